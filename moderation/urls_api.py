"""The machine-facing URLs under /api/v1/: the ingest API, its description and the webhook."""

from django.urls import path

from . import api

app_name = "api"

urlpatterns = [
    path("ingest", api.ingest_view, name="ingest"),
    path("openapi.json", api.openapi_view, name="openapi"),
    path("webhook/<int:channel_id>/", api.webhook_view, name="webhook"),
]
