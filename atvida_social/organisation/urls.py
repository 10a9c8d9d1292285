from django.urls import path

from . import views

app_name = "organisation"

urlpatterns = [
    path("verksamheter/", views.unit_list, name="unit-list"),
    path("verksamheter/<int:pk>/", views.unit_detail, name="unit-detail"),
]
