from django.urls import path

from . import public_views as views

app_name = "public"

urlpatterns = [
    path("sociala-medier", views.register_page, name="register"),
    path("sociala-medier.json", views.latest_json, name="register-json"),
    path("sociala-medier.csv", views.latest_csv, name="register-csv"),
    path("sociala-medier/versioner", views.version_list, name="version-list"),
    path("sociala-medier/versioner/<int:number>", views.version_page, name="version-detail"),
    path("sociala-medier/versioner/<int:number>.json", views.version_json, name="version-json"),
    path("sociala-medier/versioner/<int:number>.csv", views.version_csv, name="version-csv"),
    path(
        "sociala-medier/versioner/<int:number>/jamfor/<int:other>",
        views.version_compare,
        name="version-compare",
    ),
]
