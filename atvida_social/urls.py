from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .organisation.forms import AdminLoginForm, LoginForm
from .organisation.views import LogoutView

admin.site.site_header = "Atvida Social – administration"
admin.site.site_title = "Atvida Social"
admin.site.login_form = AdminLoginForm

# No route serves MEDIA_ROOT, in DEBUG neither: stored files (approved PDFs, snapshots) leave
# only through views that check permission (atvida_social.organisation.files).
urlpatterns = [
    path("", views.start, name="start"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("tillganglighet", views.accessibility_statement, name="accessibility"),
    path(
        "logga-in/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logga-ut/", LogoutView.as_view(), name="logout"),
    path("organisation/", include("atvida_social.organisation.urls")),
    path("", include("channels.urls_public")),
    path("", include("moderation.urls_public")),
    path("kanaler/", include("channels.urls")),
    path("aktivitetsplaner/", include("activityplans.urls")),
    path("moderering/", include("moderation.urls")),
    path("api/v1/", include("moderation.urls_api")),
    path("arkiv/", include("archiving.urls")),
    path("admin/", admin.site.urls),
]
