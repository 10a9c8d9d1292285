from django.urls import path

from . import views

app_name = "archiving"

urlpatterns = [
    path("", views.snapshot_list, name="snapshot-list"),
    path("pagar.json", views.run_status, name="run-status"),
    path("kanaler/", views.channel_list, name="channel-list"),
    path("kanaler/<int:pk>/ogonblicksbild/", views.snapshot_request, name="snapshot-request"),
    path("dokument/", views.document_list, name="document-list"),
    path("kontroller/", views.check_list, name="check-list"),
    path("kontroller/ny/", views.check_start, name="check-start"),
    path("filer/<int:pk>/", views.file_download, name="file-download"),
    path("filer/<int:pk>/kontrollera/", views.file_verify, name="file-verify"),
]
