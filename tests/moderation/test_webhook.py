"""The webhook in Meta's shape: the handshake, signed deliveries kept in
the inbox before the 200, items made from them through the outbox, replays absorbed."""

import datetime
import hashlib
import hmac
import io
import json
from contextlib import contextmanager

import psycopg2
import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from atvida_social.organisation.encryption import stored_tokens
from atvida_social.outbox.models import OutboxMessage
from moderation.models import Item, WebhookDelivery, WebhookSubscription
from moderation.services import ingest
from tests.factories import ChannelFactory
from tests.moderation.conftest import item_data

pytestmark = pytest.mark.django_db

SECRET = "appens-hemlighet"
# 2026-03-27 16:30:00 +01:00
CREATED = 1774625400


@pytest.fixture
def subscription(channel):
    return ingest.save_webhook_subscription(channel, app_secret=SECRET)


def _url(channel) -> str:
    return f"/api/v1/webhook/{channel.pk}/"


def comment(comment_id="c-1", message="Varför är simhallen stängd?", **extra) -> dict:
    value = {
        "item": "comment",
        "verb": "add",
        "comment_id": comment_id,
        "post_id": "post-1",
        "parent_id": "post-1",
        "from": {"id": "42", "name": "Anna Andersson"},
        "message": message,
        "created_time": CREATED,
    }
    return value | extra


def payload(*values) -> bytes:
    return json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": "1",
                    "time": CREATED,
                    "changes": [{"field": "feed", "value": value} for value in values],
                }
            ],
        },
        ensure_ascii=False,
    ).encode()


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver(client, channel, body: bytes, signature: str | None):
    headers = {} if signature is None else {"X-Hub-Signature-256": signature}
    return client.generic(
        "POST", _url(channel), body, content_type="application/json", headers=headers
    )


# --- The handshake ----------------------------------------------------------------------


def test_the_handshake_echoes_the_challenge(client, channel, subscription):
    response = client.get(
        _url(channel),
        {
            "hub.mode": "subscribe",
            "hub.verify_token": subscription.verify_token,
            "hub.challenge": "1158201444",
        },
    )

    assert response.status_code == 200
    assert response.content == b"1158201444"


@pytest.mark.parametrize(
    ("mode", "token"),
    [("subscribe", "fel"), ("unsubscribe", None), ("", None), ("subscribe", "")],
)
def test_a_handshake_without_the_verify_token_is_refused(
    client, channel, subscription, mode, token
):
    response = client.get(
        _url(channel),
        {
            "hub.mode": mode,
            "hub.verify_token": subscription.verify_token if token is None else token,
            "hub.challenge": "1158201444",
        },
    )

    assert response.status_code == 403
    assert b"1158201444" not in response.content


def test_a_handshake_for_a_channel_without_a_subscription_is_refused(client, channel, subscription):
    other = ChannelFactory(unit=channel.unit)

    response = client.get(
        _url(other),
        {
            "hub.mode": "subscribe",
            "hub.verify_token": subscription.verify_token,
            "hub.challenge": "1",
        },
    )

    assert response.status_code == 403


# --- Signatures -------------------------------------------------------------------------


def test_a_signed_delivery_is_stored_and_becomes_an_item(
    client, channel, subscription, django_capture_on_commit_callbacks
):
    body = payload(comment())

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, channel, body, sign(body))

    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert bytes(delivery.body) == body
    assert delivery.processed_at is not None
    assert delivery.error == ""
    item = Item.objects.get(channel=channel)
    assert (item.external_id, item.kind, item.author) == ("c-1", "comment", "Anna Andersson")
    assert item.text == "Varför är simhallen stängd?"
    assert item.received_at.isoformat() == "2026-03-27T15:30:00+00:00"
    assert item.due_at is not None


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "sha256=",
        "sha256=" + "0" * 64,
        "sha1=" + hmac.new(SECRET.encode(), b"x", hashlib.sha1).hexdigest(),
        "other-secret",
        "tampered",
    ],
)
def test_a_bad_signature_stores_nothing(
    client, channel, subscription, signature, django_capture_on_commit_callbacks
):
    body = payload(comment())
    if signature == "other-secret":
        signature = sign(body, "en-annan-hemlighet")
    elif signature == "tampered":
        signature = sign(body)
        body = body.replace(b"simhallen", b"skolan")

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, channel, body, signature)

    assert response.status_code == 403
    assert not WebhookDelivery.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not Item.objects.exists()


def test_a_signature_for_another_channel_is_refused(client, channel, subscription):
    other = ChannelFactory(unit=channel.unit)
    ingest.save_webhook_subscription(other, app_secret="den-andra-kanalens")
    body = payload(comment())

    response = deliver(client, other, body, sign(body))

    assert response.status_code == 403
    assert not WebhookDelivery.objects.exists()


def test_a_delivery_over_the_limit_is_refused_unread(client, channel, subscription):
    body = payload(comment(message="x" * (1024 * 1024)))

    response = deliver(client, channel, body, sign(body))

    assert response.status_code == 413
    assert not WebhookDelivery.objects.exists()


def nested(levels: int):
    """A JSON value of that many nested arrays (1 is [])."""
    value = []
    for _level in range(levels - 1):
        value = [value]
    return value


# payload(comment(...)) nests seven levels down to a comment's `from`: root, entry, an entry,
# changes, a change, value, from. A comment field of n arrays makes the body 6 + n deep.
COMMENT_DEPTH = 6


def test_a_delivery_nested_to_the_limit_is_taken(client, channel, subscription):
    body = payload(comment(attachment=nested(ingest.WEBHOOK_MAX_DEPTH - COMMENT_DEPTH)))

    response = deliver(client, channel, body, sign(body))

    assert response.status_code == 200
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.parametrize("levels", [ingest.WEBHOOK_MAX_DEPTH - COMMENT_DEPTH + 1, 200_000])
def test_a_delivery_nested_too_deep_is_refused_in_json_before_it_is_stored(
    client, channel, subscription, levels
):
    body = payload(comment(attachment="DEEP")).replace(b'"DEEP"', b"[" * levels + b"]" * levels)

    response = deliver(client, channel, body, sign(body))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["message"] == (
        "Leveransen är för djupt nästlad: högst 32 nivåer."
    )
    assert not WebhookDelivery.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_delivery_of_more_comments_than_a_batch_is_refused_before_it_is_stored(
    client, channel, subscription
):
    body = payload(*(comment(f"c-{n}", message="Hej") for n in range(ingest.MAX_BATCH + 1)))

    response = deliver(client, channel, body, sign(body))

    assert response.status_code == 413
    assert response.json()["errors"][0]["message"] == (
        "Leveransen har 501 kommentarer; högst 500 tas emot per leverans."
    )
    assert not WebhookDelivery.objects.exists()


def test_a_delivery_of_a_full_batch_of_comments_is_taken(client, channel, subscription):
    body = payload(*(comment(f"c-{n}", message="Hej") for n in range(ingest.MAX_BATCH)))

    assert deliver(client, channel, body, sign(body)).status_code == 200


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            payload(*(comment(f"c-{n}", message="Hej") for n in range(ingest.MAX_BATCH + 1))),
            "Leveransen har 501 kommentarer; högst 500 tas emot per leverans.",
        ),
        (
            payload(comment(attachment="DEEP")).replace(b'"DEEP"', b"[" * 50_000 + b"]" * 50_000),
            "Leveransen är för djupt nästlad: högst 32 nivåer.",
        ),
    ],
    ids=["too many comments", "too deep"],
)
def test_a_stored_delivery_over_the_bounds_keeps_its_error_and_makes_no_items(
    channel, subscription, body, error
):
    # Kept before the checks at receipt: processing holds it to the same bounds, once.
    delivery = WebhookDelivery.objects.create(channel=channel, body=body)

    assert ingest.process_webhook_delivery(delivery.pk) == 0

    delivery.refresh_from_db()
    assert (delivery.processed_at is not None, delivery.attempts) == (True, 1)
    assert delivery.error == error
    assert not Item.objects.exists()


def _failing_for(monkeypatch, failing_pk):
    """The attempt of one delivery fails outside its own error handling (a lost connection
    while it is claimed); the others' do not."""
    claim = ingest._claim_attempt

    def claim_or_fail(delivery_id, **kwargs):
        if delivery_id == failing_pk:
            raise OperationalError("server closed the connection unexpectedly")
        return claim(delivery_id, **kwargs)

    monkeypatch.setattr(ingest, "_claim_attempt", claim_or_fail)


def _three_deliveries(channel):
    return [
        WebhookDelivery.objects.create(channel=channel, body=payload(comment(f"c-{n}")))
        for n in range(3)
    ]


def test_a_failing_delivery_does_not_stop_process_webhooks(channel, subscription, monkeypatch):
    _first, failing, _last = _three_deliveries(channel)
    _failing_for(monkeypatch, failing.pk)
    out = io.StringIO()

    call_command("process_webhooks", stdout=out)

    assert sorted(Item.objects.values_list("external_id", flat=True)) == ["c-0", "c-2"]
    assert "3 leveranser behandlade, 2 nya inlägg" in out.getvalue()
    failing.refresh_from_db()
    assert (failing.processed_at, failing.error) == (None, "Tillfälligt fel: OperationalError")


def test_a_failing_delivery_does_not_stop_the_scheduled_processing(
    channel, subscription, monkeypatch
):
    from moderation.tasks import process_pending_webhook_deliveries

    _first, failing, last = _three_deliveries(channel)
    _failing_for(monkeypatch, failing.pk)

    assert process_pending_webhook_deliveries() == 2

    last.refresh_from_db()
    assert last.processed_at is not None
    failing.refresh_from_db()
    assert failing.error == "Tillfälligt fel: OperationalError"


def test_only_get_and_post_are_allowed(client, channel, subscription):
    assert client.put(_url(channel)).status_code == 405


# --- Replays, outages and threads -------------------------------------------------------


def test_a_replayed_delivery_is_recognised_answered_200_and_stored_once(
    client, channel, subscription, django_capture_on_commit_callbacks
):
    body = payload(comment())

    with django_capture_on_commit_callbacks(execute=True):
        first = deliver(client, channel, body, sign(body))
        again = deliver(client, channel, body, sign(body))

    assert (first.status_code, again.status_code) == (200, 200)
    delivery = WebhookDelivery.objects.get()
    assert delivery.body_sha256 == hashlib.sha256(body).hexdigest()
    assert OutboxMessage.objects.count() == 1
    assert Item.objects.filter(channel=channel).count() == 1


def test_the_same_body_on_another_channel_is_not_a_replay(channel, subscription):
    other = ChannelFactory(unit=channel.unit)
    body = payload(comment())

    _first, first_created = ingest.receive_webhook_delivery(channel, body)
    _other, other_created = ingest.receive_webhook_delivery(other, body)

    assert (first_created, other_created) == (True, True)
    assert WebhookDelivery.objects.count() == 2


def test_a_delivery_survives_a_lost_hand_over_and_process_webhooks_makes_its_items(
    client, channel, subscription, django_capture_on_commit_callbacks
):
    body = payload(comment("c-1"), comment("c-2", message="Tack för svaret!"))
    # The process dies after the commit, before the hand-over to the broker.
    with django_capture_on_commit_callbacks(execute=False):
        response = deliver(client, channel, body, sign(body))
    assert response.status_code == 200
    assert not Item.objects.exists()
    out = io.StringIO()

    call_command("process_webhooks", stdout=out)

    assert sorted(Item.objects.values_list("external_id", flat=True)) == ["c-1", "c-2"]
    assert "1 leveranser behandlade, 2 nya inlägg" in out.getvalue()
    assert WebhookDelivery.objects.get().processed_at is not None


def test_a_processed_delivery_is_not_processed_again(channel, subscription):
    delivery = WebhookDelivery.objects.create(channel=channel, body=payload(comment()))
    assert ingest.process_webhook_delivery(delivery.pk) == 1
    Item.objects.all().delete()

    assert ingest.process_webhook_delivery(delivery.pk) == 0
    assert not Item.objects.exists()


def test_a_reply_is_threaded_under_its_stored_parent(channel, subscription):
    parent, _created = ingest.ingest_items(channel, [item_data(external_id="c-1")])[0]
    delivery = WebhookDelivery.objects.create(
        channel=channel, body=payload(comment("c-2", parent_id="c-1"))
    )

    ingest.process_webhook_delivery(delivery.pk)

    assert Item.objects.get(external_id="c-2").parent == parent


def test_a_comment_on_a_post_not_stored_has_no_parent(channel, subscription):
    delivery = WebhookDelivery.objects.create(channel=channel, body=payload(comment()))

    ingest.process_webhook_delivery(delivery.pk)

    assert Item.objects.get(external_id="c-1").parent is None


def test_a_reply_in_the_same_delivery_finds_its_parent(channel, subscription):
    delivery = WebhookDelivery.objects.create(
        channel=channel, body=payload(comment("c-1"), comment("c-2", parent_id="c-1"))
    )

    ingest.process_webhook_delivery(delivery.pk)

    assert Item.objects.get(external_id="c-2").parent.external_id == "c-1"


def test_a_removed_comment_makes_no_item(channel, subscription):
    delivery = WebhookDelivery.objects.create(channel=channel, body=payload(comment(verb="remove")))

    ingest.process_webhook_delivery(delivery.pk)

    assert not Item.objects.exists()


@pytest.mark.parametrize("body", [b"not json", b"\xff", b"[]", b'{"entry": 1}'])
def test_a_delivery_that_cannot_become_items_keeps_its_error(channel, subscription, body):
    delivery, _created = ingest.receive_webhook_delivery(channel, body)

    ingest.process_webhook_delivery(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.processed_at is not None
    assert delivery.error
    assert delivery.state_label == "Kunde inte bli inlägg"
    assert not Item.objects.exists()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (comment("c-2", created_time="igår"), "Kommentaren saknar created_time."),
        (comment("c-2", created_time=10**20), "Kommentarens created_time är ogiltig."),
        (
            comment("c-2", created_time=-62135596800),  # 0001-01-01 00:00 UTC
            "received_at: Tidpunkten ligger för långt tillbaka: tidigast 2000-01-01.",
        ),
        (
            comment("c-2", created_time=0),
            "received_at: Tidpunkten ligger för långt tillbaka: tidigast 2000-01-01.",
        ),
        (comment(comment_id=""), "external_id: Fältet måste anges."),
        (comment("c-2", message="a\x00b"), "text: Texten innehåller otillåtna tecken."),
    ],
)
def test_a_bad_comment_is_recorded_and_its_siblings_are_stored(channel, subscription, bad, message):
    body = payload(comment("c-1"), bad, comment("c-3", message="Tack!"))
    delivery, _created = ingest.receive_webhook_delivery(channel, body)

    created = ingest.process_webhook_delivery(delivery.pk)

    delivery.refresh_from_db()
    assert created == 2
    assert sorted(Item.objects.values_list("external_id", flat=True)) == ["c-1", "c-3"]
    assert delivery.comment_errors == [{"index": 1, "id": bad["comment_id"], "message": message}]
    assert delivery.processed_at is not None
    assert delivery.error == ""
    assert delivery.state_label == "Behandlad; 1 kommentar kunde inte bli inlägg"


def test_a_reply_to_a_bad_comment_in_the_same_delivery_is_recorded_with_it(channel, subscription):
    body = payload(
        comment("c-1", message="a\x00b"),
        comment("c-2", parent_id="c-1"),
        comment("c-3"),
    )
    delivery, _created = ingest.receive_webhook_delivery(channel, body)

    ingest.process_webhook_delivery(delivery.pk)

    delivery.refresh_from_db()
    assert list(Item.objects.values_list("external_id", flat=True)) == ["c-3"]
    assert [(e["index"], e["id"]) for e in delivery.comment_errors] == [(0, "c-1"), (1, "c-2")]


# --- Retries ----------------------------------------------------------------------------


@contextmanager
def _items_table_locked(lock_timeout_ms: int = 100):
    """Another session holds the items table (a long migration, a stuck VACUUM FULL), and this
    session waits for a lock at most lock_timeout_ms: every attempt meets a real database fault."""
    other = psycopg2.connect(
        dbname=connection.settings_dict["NAME"],
        user=connection.settings_dict["USER"],
        host=connection.settings_dict["HOST"],
        port=connection.settings_dict["PORT"],
        password=connection.settings_dict["PASSWORD"],
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("LOCK TABLE moderation_item IN ACCESS EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {int(lock_timeout_ms)}")
        yield
    finally:
        other.rollback()
        other.close()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")


@pytest.mark.postgres
def test_a_failed_delivery_is_retried_by_the_scheduled_job_after_the_back_off(
    channel, subscription
):
    delivery, _created = ingest.receive_webhook_delivery(channel, payload(comment()))
    start = timezone.now()
    with _items_table_locked():
        assert ingest.process_webhook_delivery(delivery.pk, now=start) == 0
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.processed_at) == (1, None)
    assert delivery.next_attempt_at == start + datetime.timedelta(minutes=1)
    assert delivery.error.startswith("Tillfälligt fel")
    assert delivery.state_label == "Väntar på försök 2"

    too_early = ingest.process_pending_deliveries(
        due_only=True, now=start + datetime.timedelta(seconds=59)
    )
    due = ingest.process_pending_deliveries(
        due_only=True, now=start + datetime.timedelta(minutes=1)
    )

    assert too_early == (0, 0)
    assert due == (1, 1)
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.error, delivery.next_attempt_at) == (2, "", None)
    assert Item.objects.get().external_id == "c-1"


@pytest.mark.postgres
def test_a_delivery_failing_every_attempt_waits_twice_as_long_each_time_and_is_given_up(
    channel, subscription
):
    delivery, _created = ingest.receive_webhook_delivery(channel, payload(comment()))
    now = timezone.now()
    delays = []
    with _items_table_locked():
        for _attempt in range(WebhookDelivery.MAX_ATTEMPTS):
            ingest.process_pending_deliveries(due_only=True, now=now)
            delivery.refresh_from_db()
            if delivery.next_attempt_at is not None:
                delays.append(delivery.next_attempt_at - now)
                now = delivery.next_attempt_at
        assert ingest.process_pending_deliveries(
            due_only=True, now=now + datetime.timedelta(days=1)
        ) == (0, 0)

    minutes = [delay // datetime.timedelta(minutes=1) for delay in delays]
    assert minutes == [1, 2, 4, 8, 16, 32, 64]
    assert delivery.attempts == WebhookDelivery.MAX_ATTEMPTS
    assert delivery.given_up_at is not None
    assert delivery.state_label == "Uppgiven efter 8 försök"
    assert not Item.objects.exists()


def _give_up(delivery: WebhookDelivery) -> None:
    """Every attempt fails on a real database fault until the delivery is given up."""
    now = timezone.now()
    with _items_table_locked():
        for _attempt in range(WebhookDelivery.MAX_ATTEMPTS):
            ingest.process_webhook_delivery(delivery.pk, now=now)
            now += datetime.timedelta(hours=6)


@pytest.mark.postgres
def test_the_ways_in_page_lists_given_up_and_faulty_deliveries_in_swedish(
    client, channel, subscription, ingrid, django_assert_max_num_queries
):
    given_up, _created = ingest.receive_webhook_delivery(channel, payload(comment("c-9")))
    _give_up(given_up)
    faulty, _created = ingest.receive_webhook_delivery(
        channel, payload(comment("c-1"), comment("c-2", created_time="igår"))
    )
    ingest.process_webhook_delivery(faulty.pk)
    clean, _created = ingest.receive_webhook_delivery(channel, payload(comment("c-3")))
    ingest.process_webhook_delivery(clean.pk)
    client.force_login(ingrid)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("moderation:token-list")).content.decode()

    assert "Uppgiven efter 8 försök" in page
    assert "Behandlad; 1 kommentar kunde inte bli inlägg" in page
    assert "Kommentar c-2: Kommentaren saknar created_time." in page
    assert page.count("<td>Behandlad</td>") == 0


@pytest.mark.each_database
def test_the_ways_in_page_lists_a_delivery_with_comment_errors_not_a_clean_one(
    client, channel, subscription, ingrid
):
    faulty, _created = ingest.receive_webhook_delivery(
        channel, payload(comment("c-1"), comment("c-2", created_time="igår"))
    )
    clean, _created = ingest.receive_webhook_delivery(channel, payload(comment("c-3")))
    for delivery in (faulty, clean):
        ingest.process_webhook_delivery(delivery.pk)
    client.force_login(ingrid)

    page = client.get(reverse("moderation:token-list")).content.decode()

    assert page.count("Behandlad; 1 kommentar kunde inte bli inlägg") == 1
    assert "<td>Behandlad</td>" not in page


def test_the_back_off_doubles_up_to_six_hours():
    assert [ingest.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 10, 20)] == [
        1,
        2,
        4,
        360,
        360,
    ]


def test_the_retry_job_is_registered_with_its_task():
    from atvida_social.scheduling.registry import registered_jobs
    from moderation.tasks import process_pending_webhook_deliveries

    jobs = {job.task: job for job in registered_jobs()}

    assert "moderation.tasks.process_pending_webhook_deliveries" in jobs
    assert process_pending_webhook_deliveries.name in jobs


# --- The secrets ------------------------------------------------------------------------


def test_the_app_secret_and_verify_token_are_encrypted_at_rest(channel, subscription):
    ((_pk, app_secret, verify_token),) = stored_tokens(
        WebhookSubscription.objects.all(), ("app_secret", "verify_token")
    )

    assert SECRET not in app_secret
    assert subscription.verify_token not in verify_token


def test_webhook_subscription_reads_the_secret_from_stdin_and_prints_the_verify_token(
    channel, monkeypatch
):
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    out = io.StringIO()

    call_command("webhook_subscription", str(channel.pk), stdout=out)

    subscription = WebhookSubscription.objects.get(channel=channel)
    assert subscription.app_secret == SECRET
    assert out.getvalue().split()[-1] == subscription.verify_token


def test_key_rotation_re_encrypts_the_webhook_secrets_too(channel, settings):
    from io import StringIO

    from cryptography.fernet import Fernet
    from django.core.management import call_command
    from django.test import override_settings

    from moderation.models import WebhookSubscription
    from moderation.services.ingest import save_webhook_subscription

    save_webhook_subscription(channel, app_secret="appens-hemlighet")
    new = Fernet.generate_key().decode()

    with override_settings(CREDENTIAL_KEYS=[new, *settings.CREDENTIAL_KEYS]):
        call_command("rotate_credential_keys", stdout=StringIO())
    with override_settings(CREDENTIAL_KEYS=[new]):
        assert WebhookSubscription.objects.get(channel=channel).app_secret == "appens-hemlighet"
