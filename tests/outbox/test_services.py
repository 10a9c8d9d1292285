"""The outbox: a task an action asks for is kept with the action and handed to the broker once
a relay or the after-commit hand-over gets the row, whether the broker and the mail server are
up at that moment or not; a row marked sent is never offered again."""

import logging
import threading

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from activityplans.exceptions import TransitionNotAllowed
from activityplans.tasks import send_plan_notification
from activityplans.workflow import PlanStatus
from atvida_social import celery_app
from atvida_social.outbox.models import OutboxMessage
from atvida_social.outbox.services import Outcome, enqueue, hand_over, relay_pending
from tests.outbox.conftest import STOPPED_BROKER, broker

# Django's real SMTP backend against a port nothing listens on: the mail server is down.
SMTP_DOWN = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 1,
    "EMAIL_TIMEOUT": 2,
}


def _submit(client, plan, capture):
    with capture(execute=True):
        return client.post(reverse("activityplans:plan-submit", args=[plan.pk]))


def _signers_mailed():
    return sorted(recipient for message in mail.outbox for recipient in message.to)


def test_submitting_with_the_broker_down_succeeds_and_keeps_the_mail_pending(
    client, alice, plan, django_capture_on_commit_callbacks
):
    client.force_login(alice)

    with broker(STOPPED_BROKER):
        response = _submit(client, plan, django_capture_on_commit_callbacks)

    plan.refresh_from_db()
    message = OutboxMessage.objects.get()
    assert response.status_code == 302
    assert plan.status == PlanStatus.AWAITING_SIGNATURES
    assert (message.task_name, message.args) == (send_plan_notification.name, [plan.pk, "to_sign"])
    assert message.sent_at is None
    assert message.attempts == 1
    assert "OperationalError" in message.last_error
    assert not mail.outbox


def test_relay_sends_each_pending_task_exactly_once_when_the_broker_is_back(
    client, alice, bob, dan, plan, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with broker(STOPPED_BROKER):
        _submit(client, plan, django_capture_on_commit_callbacks)

    call_command("relay_outbox")
    call_command("relay_outbox")

    assert _signers_mailed() == sorted([alice.email, bob.email, dan.email])
    assert OutboxMessage.objects.pending().count() == 0


def test_relay_stops_at_the_first_refusal_and_fails_visibly_while_the_broker_is_down(
    client, alice, plan, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with broker(STOPPED_BROKER):
        _submit(client, plan, django_capture_on_commit_callbacks)
        later = OutboxMessage.objects.create(
            task_name=send_plan_notification.name, args=[plan.pk, "to_sign"]
        )

        with pytest.raises(CommandError, match="Meddelandekön svarar inte"):
            call_command("relay_outbox")

    first, second = OutboxMessage.objects.order_by("pk")
    assert second == later
    assert (first.attempts, second.attempts) == (2, 0)


@override_settings(**SMTP_DOWN)
def test_a_failing_mail_server_does_not_turn_a_completed_action_into_an_error(
    client, alice, plan, django_capture_on_commit_callbacks, caplog
):
    client.force_login(alice)

    with caplog.at_level(logging.WARNING, logger="atvida_social.outbox"):
        response = _submit(client, plan, django_capture_on_commit_callbacks)
    page = client.get(response["Location"])

    plan.refresh_from_db()
    message = OutboxMessage.objects.get()
    assert response.status_code == 302
    assert "Planen är skickad för signering." in page.content.decode()
    assert plan.status == PlanStatus.AWAITING_SIGNATURES
    assert message.sent_at is None
    assert "ConnectionRefusedError" in message.last_error
    assert f"Outbox message {message.pk}" in caplog.text


def test_mail_held_back_by_a_failing_mail_server_goes_out_once_it_is_back(
    client, alice, bob, dan, plan, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with override_settings(**SMTP_DOWN):
        _submit(client, plan, django_capture_on_commit_callbacks)

    relay_pending()
    relay_pending()

    assert _signers_mailed() == sorted([alice.email, bob.email, dan.email])


def test_a_message_already_sent_is_not_sent_again(plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = enqueue(send_plan_notification, plan.pk, "to_sign")
    mail.outbox.clear()

    assert hand_over(message.pk) is Outcome.SKIPPED
    assert not mail.outbox


def test_a_refused_action_leaves_no_task_behind(plan, django_capture_on_commit_callbacks):
    def refused_action():
        with transaction.atomic():
            enqueue(send_plan_notification, plan.pk, "to_sign")
            raise TransitionNotAllowed("refused")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionNotAllowed):
        refused_action()

    assert not OutboxMessage.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db(transaction=True)
def test_enqueue_outside_a_transaction_is_refused():
    """Outside an atomic block the row and the action could not commit or fail together."""
    with pytest.raises(RuntimeError, match="inside the action's transaction"):
        enqueue(send_plan_notification, 1, "to_sign")

    assert not OutboxMessage.objects.exists()


def test_the_periodic_relay_runs_every_minute_and_sends_what_is_pending(
    client, alice, bob, dan, plan, django_capture_on_commit_callbacks, seeded_schedule
):
    client.force_login(alice)
    with broker(STOPPED_BROKER):
        _submit(client, plan, django_capture_on_commit_callbacks)
    job = PeriodicTask.objects.get(task="atvida_social.outbox.tasks.relay_outbox")

    celery_app.loader.import_default_modules()  # as a worker does when it starts
    celery_app.tasks[job.task].apply()

    assert job.enabled
    assert job.interval.schedule.run_every.total_seconds() <= 60
    assert _signers_mailed() == sorted([alice.email, bob.email, dan.email])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_message_another_relay_holds_is_skipped_and_later_sent_once(alice, bob, dan, plan):
    message = OutboxMessage.objects.create(
        task_name=send_plan_notification.name, args=[plan.pk, "to_sign"]
    )
    locked, release = threading.Event(), threading.Event()

    def other_relay():
        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=message.pk)
                locked.set()
                release.wait(timeout=5)
        finally:
            connection.close()

    holder = threading.Thread(target=other_relay)
    holder.start()
    locked.wait(timeout=5)
    while_held = relay_pending()
    release.set()
    holder.join()
    afterwards = relay_pending()

    assert while_held[Outcome.SKIPPED] == 1
    assert afterwards[Outcome.SENT] == 1
    assert _signers_mailed() == sorted([alice.email, bob.email, dan.email])
