from django.urls import path

from . import views

app_name = "channels"

urlpatterns = [
    path("", views.channel_list, name="channel-list"),
    path("ny/", views.channel_edit, name="channel-create"),
    path("<int:pk>/", views.channel_detail, name="channel-detail"),
    path("<int:pk>/andra/", views.channel_edit, name="channel-edit"),
    path("partier/", views.party_list, name="party-list"),
    path("partier/ny/", views.party_edit, name="party-create"),
    path("partier/<int:pk>/andra/", views.party_edit, name="party-edit"),
    path("partier/<int:party_pk>/lankar/ny/", views.party_link_edit, name="party-link-create"),
    path(
        "partier/<int:party_pk>/lankar/<int:pk>/andra/",
        views.party_link_edit,
        name="party-link-edit",
    ),
    path(
        "partier/<int:party_pk>/lankar/<int:pk>/ta-bort/",
        views.party_link_delete,
        name="party-link-delete",
    ),
    path("publicera/", views.publish, name="publish"),
    path("versioner/", views.version_list, name="version-list"),
]
