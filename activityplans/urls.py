from django.urls import path

from . import views

app_name = "activityplans"

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("ny/", views.plan_edit, name="plan-create"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/andra/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/skicka/", views.plan_submit, name="plan-submit"),
    path("<int:pk>/dra-tillbaka/", views.plan_withdraw, name="plan-withdraw"),
    path("<int:pk>/signera/", views.plan_sign, name="plan-sign"),
    path("<int:pk>/granska/", views.plan_start_review, name="plan-start-review"),
    path(
        "<int:pk>/grafisk-profil/",
        views.plan_decide_graphic_profile,
        name="plan-decide-graphic-profile",
    ),
    path("<int:pk>/godkann/", views.plan_approve, name="plan-approve"),
    path("<int:pk>/aterremittera/", views.plan_return, name="plan-return"),
    path("<int:pk>/avsla/", views.plan_reject, name="plan-reject"),
    path("<int:pk>/revidera/", views.plan_revise, name="plan-revise"),
    path("<int:pk>/pdf/", views.plan_pdf, name="plan-pdf"),
    path("<int:pk>/inloggning/", views.credential_edit, name="credential-edit"),
    path("inloggningsuppgifter/", views.credential_list, name="credential-list"),
    path("inloggningsuppgifter/<int:pk>/visa/", views.credential_reveal, name="credential-reveal"),
]
