"""Facebook's webhook removals, end to end through the webhook URL with the recorded payloads:
a comment its author removed is marked deleted on the platform with the time of the change
and keeps its text, as the pull's deletion check marks it; a removal of something never
stored, a second removal, and the municipality's own removal change nothing."""

import copy
import datetime
import hashlib
import hmac
import json
from pathlib import Path

import pytest

from moderation.models import Item, PlatformAction, WebhookDelivery
from moderation.services import decide_item, ingest, platform_actions, pulls
from moderation.workflow import DecisionKind

from . import page

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[3] / "moderation/platforms/facebook/fixtures"
SECRET = "appens-hemlighet"
COMMENT = "812345678901234_1098765432109876"
# The removal's created_time in the recorded payload: 2026-03-27 17:00 UTC.
REMOVED_AT = datetime.datetime(2026, 3, 27, 17, 0, tzinfo=datetime.UTC)


def recorded(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def body_of(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


def removal(**changes) -> bytes:
    payload = recorded("webhook_comment_remove.json")
    payload["entry"][0]["changes"][0]["value"].update(changes)
    return body_of(payload)


@pytest.fixture
def subscription(channel):
    return ingest.save_webhook_subscription(channel, app_secret=SECRET)


@pytest.fixture
def deliver(client, channel, subscription, django_capture_on_commit_callbacks):
    """Post a body, signed with the app secret, to the channel's webhook URL; the delivery
    is processed through the outbox as in production. Returns the stored delivery."""

    def post(body: bytes) -> WebhookDelivery:
        signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.generic(
                "POST",
                f"/api/v1/webhook/{channel.pk}/",
                body,
                content_type="application/json",
                headers={"X-Hub-Signature-256": signature},
            )
        assert response.status_code == 200
        return WebhookDelivery.objects.get(
            channel=channel, body_sha256=hashlib.sha256(body).hexdigest()
        )

    return post


def test_a_removal_marks_the_stored_comment_deleted_at_its_time_and_keeps_the_text(
    channel, deliver
):
    deliver(body_of(recorded("webhook_comment_add.json")))

    delivery = deliver(removal())

    item = Item.objects.get(channel=channel, external_id=COMMENT)
    assert item.deleted_on_platform_at == REMOVED_AT
    assert item.text == "Varför är simhallen stängd?"
    assert (delivery.processed_at is not None, delivery.error, delivery.comment_errors) == (
        True,
        "",
        [],
    )


def test_a_removal_of_a_comment_never_stored_stores_nothing_and_is_no_error(channel, deliver):
    delivery = deliver(removal())

    assert not Item.objects.filter(channel=channel).exists()
    assert delivery.processed_at is not None
    assert (delivery.error, delivery.comment_errors) == ("", [])


def test_a_second_removal_keeps_the_first_time(channel, deliver):
    deliver(body_of(recorded("webhook_comment_add.json")))
    deliver(removal())

    later = deliver(removal(created_time=1774640000))

    item = Item.objects.get(channel=channel, external_id=COMMENT)
    assert item.deleted_on_platform_at == REMOVED_AT
    assert (later.error, later.comment_errors) == ("", [])


def test_a_removal_without_a_usable_time_is_a_comment_error_and_its_siblings_are_stored(
    channel, deliver
):
    payload = recorded("webhook_comment_remove.json")
    added = recorded("webhook_comment_add.json")["entry"][0]["changes"][0]
    other = copy.deepcopy(added)
    other["value"]["comment_id"] = "812345678901234_2"
    bad = payload["entry"][0]["changes"][0]
    bad["value"]["created_time"] = "igår"
    payload["entry"][0]["changes"] = [added, bad, other]

    delivery = deliver(body_of(payload))

    assert set(Item.objects.filter(channel=channel).values_list("external_id", flat=True)) == {
        COMMENT,
        "812345678901234_2",
    }
    assert Item.objects.get(external_id=COMMENT).deleted_on_platform_at is None
    assert delivery.comment_errors == [
        {"index": 1, "id": COMMENT, "message": "Kommentaren saknar created_time."}
    ]


def test_a_removal_of_what_the_municipality_deleted_on_facebook_is_not_the_authors(
    simulator, channel, alice, dora, deliver
):
    post = page.open_page(simulator)
    simulator.add(
        "facebook", page.PAGE, "comment", "Köp billiga klockor!", parent=post.id, object_id=COMMENT
    )
    connection = page.connect(channel, by=alice)
    pulls.pull_connection(connection.pk)
    item = Item.objects.get(channel=channel, external_id=COMMENT)
    decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")
    action = PlatformAction.objects.get(item=item, kind="delete")
    assert platform_actions.carry_out_platform_action(action.pk) == "klar"

    deliver(removal())

    item.refresh_from_db()
    assert item.deleted_on_platform_at is None
    assert item.text == "Köp billiga klockor!"


def test_the_pages_own_reply_by_webhook_is_its_own_post_not_a_comment_for_the_queue(
    channel, deliver
):
    """As the pull maps it: what the page wrote (`from.id` the page, whose id opens the
    post's) is the municipality's own post under the comment, never moderated."""
    deliver(body_of(recorded("webhook_comment_add.json")))
    reply = recorded("webhook_reply_add.json")
    value = reply["entry"][0]["changes"][0]["value"]
    value["from"] = {"id": reply["entry"][0]["id"], "name": "Åtvidabergs kommun"}
    value["message"] = "Den öppnar igen på måndag."

    deliver(body_of(reply))

    own = Item.objects.get(channel=channel, external_id=value["comment_id"])
    assert (own.kind, own.parent.external_id) == ("post", COMMENT)
    assert not Item.objects.in_queue().filter(pk=own.pk).exists()
