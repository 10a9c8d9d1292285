from django.urls import path

from .views import public_views as views

app_name = "citizens"

urlpatterns = [
    path("sociala-medier/kanal/<int:pk>", views.channel_page, name="channel"),
    path("sociala-medier/anmal", views.report, name="report"),
    path("sociala-medier/anmal/kvitto/<str:token>", views.report_receipt, name="report-receipt"),
]
