"""A warning is recorded as sent only once its mail has gone: a mail server that is down or
refuses a recipient leaves the warning for the next run, and the other warnings go out; a
warning left half-sent by a run that died is mailed once its claim is old."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings

from activityplans.selectors import current_plan
from moderation import services
from moderation.models import SupervisionNotice
from moderation.services import supervision
from tests.smtp_server import smtp_server

from .conftest import register

pytestmark = pytest.mark.django_db

# Django's real SMTP backend against a port nothing listens on: the mail server is down.
SMTP_DOWN = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 1,
    "EMAIL_TIMEOUT": 2,
}


def _smtp(port: int) -> dict:
    return SMTP_DOWN | {"EMAIL_PORT": port, "EMAIL_TIMEOUT": 5}


def _warning_due(channel, travel):
    """An item received now, Thursday 08:00, its warning due at 14:45 (under a quarter of
    its working day left)."""
    travel("2026-03-26 08:00")
    return register(channel, "2026-03-26 08:00")


def test_a_warning_whose_mail_server_is_down_is_not_recorded_as_sent(channel, dora, travel):
    item = _warning_due(channel, travel)
    supervision.mark_channel_reviewed(channel, by=dora)
    travel(item.warn_at + datetime.timedelta(minutes=1))

    with override_settings(**SMTP_DOWN):
        sent = supervision.send_supervision_warnings()

    notice = SupervisionNotice.objects.get()
    assert sent == 0
    assert (notice.sent_at, notice.claimed_at, notice.mailed) == (None, None, [])
    assert notice.attempts == 1
    assert "ConnectionRefusedError" in notice.last_error


def test_the_next_run_mails_a_warning_the_mail_server_refused_once(channel, dora, travel):
    item = _warning_due(channel, travel)
    supervision.mark_channel_reviewed(channel, by=dora)
    travel(item.warn_at + datetime.timedelta(minutes=1))
    with override_settings(**SMTP_DOWN):
        supervision.send_supervision_warnings()

    travel(item.warn_at + datetime.timedelta(minutes=16))
    first = supervision.send_supervision_warnings()
    second = supervision.send_supervision_warnings()

    notice = SupervisionNotice.objects.get()
    assert (first, second) == (1, 0)
    assert [message.to for message in mail.outbox] == [[dora.email]]
    assert notice.sent_at is not None
    assert (notice.attempts, notice.last_error, notice.mailed) == (2, "", [dora.pk])


def test_a_refused_recipient_stops_no_other_warning(channel, dora, alice, travel):
    # Two items due at the same moment: dora's, registered first, is mailed first.
    travel("2026-03-26 08:00")
    first = register(channel, "2026-03-26 08:00", external_id="fb-dora")
    second = register(channel, "2026-03-26 08:00", external_id="fb-alice")
    services.assign_item(second, by=dora, to=alice)
    supervision.mark_channel_reviewed(channel, by=dora)
    travel(second.warn_at + datetime.timedelta(minutes=1))

    with smtp_server(refuse={dora.email}) as server, override_settings(**_smtp(server.port)):
        sent = supervision.send_supervision_warnings()

    refused = SupervisionNotice.objects.get(item=first)
    assert sent == 1
    assert server.delivered == [alice.email]
    assert SupervisionNotice.objects.get(item=second).sent_at is not None
    assert refused.sent_at is None
    assert "SMTPRecipientsRefused" in refused.last_error

    with smtp_server() as server, override_settings(**_smtp(server.port)):
        supervision.send_supervision_warnings()

    assert server.delivered == [dora.email]


def test_a_retry_mails_only_the_recipients_not_yet_mailed(channel, dora, dagny, travel):
    # Two daily operators, as an approved revision of the plan naming both would have.
    plan = current_plan(channel)
    plan.daily_operators.add(dagny)
    mailed_first, refused = list(plan.daily_operators.all())
    item = _warning_due(channel, travel)
    supervision.mark_channel_reviewed(channel, by=dora)
    travel(item.warn_at + datetime.timedelta(minutes=1))

    with smtp_server(refuse={refused.email}) as server, override_settings(**_smtp(server.port)):
        supervision.send_supervision_warnings()
    with smtp_server() as later, override_settings(**_smtp(later.port)):
        supervision.send_supervision_warnings()

    assert server.delivered == [mailed_first.email]
    assert later.delivered == [refused.email]
    assert SupervisionNotice.objects.get().sent_at is not None


def test_a_warning_left_by_a_run_that_died_is_mailed_after_the_claim_timeout(channel, dora, travel):
    item = _warning_due(channel, travel)
    supervision.mark_channel_reviewed(channel, by=dora)
    claimed = travel(item.warn_at + datetime.timedelta(minutes=1))
    with override_settings(**SMTP_DOWN):
        supervision.send_supervision_warnings()
    # What a run killed while mailing leaves: claimed, not released, not sent.
    SupervisionNotice.objects.update(claimed_at=claimed)

    travel(claimed + supervision.CLAIM_TIMEOUT - datetime.timedelta(minutes=1))
    while_held = supervision.send_supervision_warnings()
    travel(claimed + supervision.CLAIM_TIMEOUT + datetime.timedelta(minutes=1))
    after_timeout = supervision.send_supervision_warnings()

    assert (while_held, after_timeout) == (0, 1)
    assert [message.to for message in mail.outbox] == [[dora.email]]
