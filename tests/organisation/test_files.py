"""Stored files are reachable only through permission-checked views: nothing serves
MEDIA_ROOT by URL, in DEBUG neither, and the shared download response never lets a browser
render a stored file on this site."""

import contextlib
import importlib

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.test import Client, override_settings
from django.urls import clear_url_caches

from activityplans.models import ActivityPlan
from atvida_social.organisation.files import stored_file_response

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.7 hemlig-signerad-plan-4471"


@pytest.fixture
def stored_name():
    name = default_storage.save("aktivitetsplaner/plan-hemlig.pdf", ContentFile(CONTENT))
    yield name
    default_storage.delete(name)


def _field_file(name: str) -> FieldFile:
    return FieldFile(None, ActivityPlan._meta.get_field("approved_pdf"), name)


def _reload_urls() -> None:
    clear_url_caches()
    importlib.reload(importlib.import_module(settings.ROOT_URLCONF))


@contextlib.contextmanager
def site_running(*, debug: bool):
    """A fresh client (and so fresh middleware) on URLs loaded as with DEBUG on or off."""
    with override_settings(DEBUG=debug):
        _reload_urls()
        try:
            yield Client()
        finally:
            _reload_urls()


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize("who", ["anonymous", "informationsenheten"])
def test_a_stored_file_is_not_reachable_by_url(request, stored_name, debug, who):
    with site_running(debug=debug) as client:
        if who == "informationsenheten":
            client.force_login(request.getfixturevalue("ingrid"))
        responses = [
            client.get(settings.MEDIA_URL + stored_name),
            client.get("/" + stored_name),
            client.get(settings.STATIC_URL + stored_name),
        ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert all(
        CONTENT not in b"".join(getattr(r, "streaming_content", [r.content])) for r in responses
    )


def test_a_stored_file_downloads_as_an_attachment_that_no_browser_renders(stored_name):
    response = stored_file_response(_field_file(stored_name), "aktivitetsplan-7-rev2.pdf")

    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="aktivitetsplan-7-rev2.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_stored_html_is_downloaded_never_shown():
    name = default_storage.save("arkiv/inlagg.html", ContentFile(b"<script>alert(1)</script>"))

    response = stored_file_response(_field_file(name), "inlägg från kanalen.html")

    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''inl%C3%A4gg%20fr%C3%A5n%20kanalen.html" in response["Content-Disposition"]
    )
    response.close()
    default_storage.delete(name)


def test_a_missing_stored_file_is_a_404_with_a_swedish_message_not_a_500():
    with pytest.raises(Http404, match="finns inte längre"):
        stored_file_response(_field_file("aktivitetsplaner/borta.pdf"), "plan.pdf")


def test_an_empty_file_field_is_a_404():
    with pytest.raises(Http404, match="Filen finns inte"):
        stored_file_response(_field_file(""), "plan.pdf")


def test_media_inside_a_directory_served_to_anyone_is_a_configuration_error(tmp_path):
    static_root = tmp_path / "static"

    with override_settings(STATIC_ROOT=static_root, MEDIA_ROOT=static_root / "media"):
        errors = run_checks()

    assert "organisation.E001" in {error.id for error in errors}


def test_the_configured_media_root_passes_the_check():
    assert not [e for e in run_checks() if e.id.startswith("organisation.E00")]
