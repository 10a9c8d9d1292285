from django.urls import path

from . import views
from .culling import views as culling_views

app_name = "archiving"

urlpatterns = [
    path("", views.snapshot_list, name="snapshot-list"),
    path("pagar.json", views.run_status, name="run-status"),
    path("korningar/<int:pk>/forsok-igen/", views.run_retry, name="run-retry"),
    path("kanaler/", views.channel_list, name="channel-list"),
    path("kanaler/<int:pk>/ogonblicksbild/", views.snapshot_request, name="snapshot-request"),
    path("dokument/", views.document_list, name="document-list"),
    path("kontroller/", views.check_list, name="check-list"),
    path("kontroller/ny/", views.check_start, name="check-start"),
    path("filer/<int:pk>/", views.file_download, name="file-download"),
    path("filer/<int:pk>/kontrollera/", views.file_verify, name="file-verify"),
    path("diarieexemplar/<int:pk>/", views.diarium_copy_download, name="diarium-copy"),
    path("gallring/", culling_views.culling_review, name="culling-review"),
    path(
        "gallring/forslag/<int:pk>/godkann/", culling_views.culling_approve, name="culling-approve"
    ),
    path(
        "gallring/forslag/<int:pk>/avvisa/", culling_views.culling_discard, name="culling-discard"
    ),
    path("gallring/beslut/", culling_views.decision_record, name="decision-record"),
    path("gallring/stopp/", culling_views.hold_place, name="hold-place"),
    path("gallring/stopp/<int:pk>/hav/", culling_views.hold_release, name="hold-release"),
    path("gallring/stopp/inlagg/<int:item_id>/", culling_views.item_hold, name="item-hold"),
    path("gallring/logg/", culling_views.culling_log, name="culling-log"),
    path("gallring/logg.csv", culling_views.culling_log_csv, name="culling-log-csv"),
]
