"""Culled stays culled: every culled item is remembered (channel, platform id, when, under
which log record; never its text), and no way in stores it again."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from archiving.culling import services as culling
from moderation import services as moderation_services
from moderation.models import CulledItem, Item, WebhookDelivery
from moderation.services import ingest
from moderation.workflow import ItemStatus
from tests.culling.conftest import NOW, make_snapshot
from tests.moderation.conftest import item_data

pytestmark = [pytest.mark.django_db, pytest.mark.each_database]

# Old enough to be culled at NOW (15 June 2026): February 2026.
RECEIVED = "2026-02-10T09:00:00+01:00"


def _trivial(channel, by, external_id, *, parent=None, text="Hur dags öppnar ni?") -> Item:
    item, _created = moderation_services.register_item(
        channel,
        item_data(
            external_id=external_id,
            kind="comment",
            text=text,
            received_at=RECEIVED,
            parent=parent,
        ),
    )
    moderation_services.decide_item(item, by=by, kind="trivial")
    return item


def _sent_again(external_id, **overrides) -> dict:
    return (
        item_data(
            external_id=external_id,
            kind="comment",
            text="Hur dags öppnar ni?",
            received_at=RECEIVED,
            author="Anna Andersson",
        )
        | overrides
    )


@pytest.fixture
def culled(channel, dora, decision):
    """fb-1 culled from the channel, under the culling log's record."""
    _trivial(channel, dora, "fb-1")
    make_snapshot(channel)
    with override_settings(CULLING_REQUIRES_REVIEW=False):
        result = culling.cull(None, by=None, now=NOW)
    assert result.items == 1
    assert not Item.objects.filter(channel=channel, external_id="fb-1").exists()
    return result.record


def test_a_culled_item_is_remembered_without_its_text(channel, culled):
    remembered = CulledItem.objects.get()

    assert (remembered.channel, remembered.external_id) == (channel, "fb-1")
    assert remembered.culling_record_id == culled.pk
    assert remembered.culled_at is not None
    fields = {field.name for field in CulledItem._meta.get_fields()}
    assert not fields & {"text", "author", "url", "links"}


@override_settings(CULLING_REQUIRES_REVIEW=False)
def test_a_marker_left_in_its_thread_is_remembered_too(channel, dora, decision):
    _trivial(channel, dora, "fb-1")
    moderation_services.register_item(
        channel, item_data(external_id="fb-2", received_at=RECEIVED, parent="fb-1")
    )
    make_snapshot(channel)

    record = culling.cull(None, by=None, now=NOW).record

    marker = Item.objects.get(channel=channel, external_id="fb-1")
    assert marker.status == ItemStatus.CULLED
    assert CulledItem.objects.get().culling_record_id == record.pk


def test_a_culled_item_sent_again_is_not_stored_again(channel, culled):
    results = ingest.ingest_items(channel, [_sent_again("fb-1")])

    [(item, created)] = results
    assert (item.pk, created, item.status) == (None, False, ItemStatus.CULLED)
    assert not Item.objects.filter(channel=channel, external_id="fb-1").exists()


def test_the_same_id_on_another_channel_is_not_culled_there(channel, culled, library):
    from tests.factories import ChannelFactory

    other = ChannelFactory(unit=library)

    [(item, created)] = ingest.ingest_items(other, [_sent_again("fb-1")])

    assert created
    assert item.pk is not None


def test_the_api_answers_a_culled_item_as_not_created_with_status_gallrad(client, channel, culled):
    _token, secret = ingest.create_ingest_token(channel, label="Koppling")

    response = client.generic(
        "POST",
        "/api/v1/ingest",
        json.dumps({"items": [_sent_again("fb-1"), _sent_again("fb-9")]}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert response.status_code == 200
    first, second = response.json()["items"]
    assert first == {
        "external_id": "fb-1",
        "id": None,
        "created": False,
        "edited": False,
        "status": "gallrad",
        "due_at": None,
        "flags": [],
    }
    assert second["created"] is True
    assert set(Item.objects.filter(channel=channel).values_list("external_id", flat=True)) == {
        "fb-9"
    }


def test_the_api_schema_allows_a_culled_answer(client):
    schema = client.get("/api/v1/openapi.json").json()
    item_out = schema["components"]["schemas"]["ItemOut"]["properties"]

    assert item_out["id"]["type"] == ["integer", "null"]
    assert "gallrad" in item_out["status"]["description"]


def test_a_file_import_skips_a_culled_item_and_says_so(channel, culled, tmp_path):
    path = tmp_path / "inlagg.json"
    path.write_text(json.dumps([_sent_again("fb-1"), _sent_again("fb-9")]), encoding="utf-8")
    out = io.StringIO()

    call_command("import_items", str(channel.pk), str(path), stdout=out, stderr=io.StringIO())

    assert "Inlägg 1: fb-1 är redan gallrat och hoppades över." in out.getvalue()
    assert "1 inlägg importerade, 0 fanns redan. 1 hoppades över: redan gallrade." in (
        out.getvalue()
    )
    assert not Item.objects.filter(channel=channel, external_id="fb-1").exists()


def test_a_webhook_delivery_of_a_culled_comment_stores_nothing(channel, culled):
    from tests.moderation.test_webhook import comment, payload

    body = payload(comment(comment_id="fb-1", created_time=1770710400))
    delivery, _created = ingest.receive_webhook_delivery(channel, body)

    assert ingest.process_webhook_delivery(delivery.pk) == 0

    assert WebhookDelivery.objects.get(pk=delivery.pk).error == ""
    assert not Item.objects.filter(channel=channel, external_id="fb-1").exists()


def test_a_reply_to_a_culled_item_is_stored_outside_the_thread(channel, culled):
    reply = _sent_again("fb-2", parent="fb-1")

    [(item, created)] = ingest.ingest_items(channel, [reply])

    assert created
    assert item.parent_id is None


def test_a_culled_parent_and_its_reply_sent_again_together_do_not_fail(channel, culled):
    results = ingest.ingest_items(
        channel, [_sent_again("fb-1"), _sent_again("fb-2", parent="fb-1")]
    )

    assert [(item.external_id, created) for item, created in results] == [
        ("fb-1", False),
        ("fb-2", True),
    ]
    assert Item.objects.get(channel=channel, external_id="fb-2").parent_id is None


def test_the_staff_form_refuses_a_culled_item(client, channel, dora, culled):
    client.force_login(dora)

    response = client.post(
        reverse("moderation:item-create"),
        {
            "channel": channel.pk,
            "kind": "comment",
            "external_id": "fb-1",
            "author": "Anna",
            "text": "Hur dags öppnar ni?",
            "received_at": "2026-02-10 09:00",
        },
    )

    assert response.status_code == 200
    assert "Inlägget är redan gallrat och registreras inte igen." in response.content.decode()
    assert not Item.objects.filter(channel=channel, external_id="fb-1").exists()


def test_a_culled_item_is_remembered_once_per_channel(channel, culled):
    with pytest.raises(IntegrityError), transaction.atomic():
        CulledItem.objects.create(channel=channel, external_id="fb-1", culled_at=timezone.now())
