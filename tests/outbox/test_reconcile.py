"""Messages the broker took and lost (a worker killed while it held one, a queue emptied by a
broker restarted without its data) are handed over again, at most a few times, then given up
and shown to Informationsenheten."""

import datetime
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from atvida_social import celery_app
from atvida_social.outbox import services
from atvida_social.outbox.models import OutboxMessage
from atvida_social.outbox.tasks import reconcile_outbox
from atvida_social.scheduling.health import scheduler_last_ran
from tests.scheduling.conftest import file_queue, real_broker  # noqa: F401  (fixtures)

EFFECTS: list[str] = []
RAN = threading.Event()


@celery_app.task(name="tests.outbox.record_effect", acks_late=True)
def record_effect(key: str) -> None:
    EFFECTS.append(key)
    RAN.set()


@pytest.fixture(autouse=True)
def _fresh_effects():
    EFFECTS.clear()
    RAN.clear()


def _send(django_capture_on_commit_callbacks, key: str = "a") -> OutboxMessage:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = services.enqueue(record_effect, key)
    message.refresh_from_db()
    return message


def _lose_everything_queued(queue) -> None:
    """What a worker killed with its message, or a broker restarted empty, leaves behind."""
    for path in queue.glob("*.msg"):
        path.unlink()


def _limit() -> datetime.timedelta:
    return services.completion_limit(record_effect.name)


@pytest.mark.django_db
def test_a_message_the_broker_lost_is_handed_over_again_after_its_limit_and_runs_once(
    file_queue,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    message = _send(django_capture_on_commit_callbacks)
    assert message.sent_at is not None
    assert message.completed_at is None
    _lose_everything_queued(file_queue)

    early = services.reconcile_sent(now=message.sent_at + _limit() - datetime.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        late = services.reconcile_sent(now=message.sent_at + _limit())

    message.refresh_from_db()
    assert early == {"handed_over": 0, "given_up": 0}
    assert late == {"handed_over": 1, "given_up": 0}
    [queued] = file_queue.glob("*.msg")
    assert message.task_id in queued.read_text()  # back in the queue, under the same task id
    assert message.sent_at is not None
    assert message.redeliveries == 1


@pytest.mark.django_db
def test_a_message_never_completed_is_given_up_after_the_cap_and_shown_to_informationsenheten(
    file_queue,  # noqa: F811
    django_capture_on_commit_callbacks,
    settings,
    client,
    ingrid,
):
    settings.OUTBOX_MAX_REDELIVERIES = 1
    message = _send(django_capture_on_commit_callbacks)
    day = datetime.timedelta(days=1)
    outcomes = []
    for days in (1, 2, 3):
        _lose_everything_queued(file_queue)
        with django_capture_on_commit_callbacks(execute=True):
            outcomes.append(services.reconcile_sent(now=timezone.now() + days * day))

    message.refresh_from_db()
    assert outcomes == [
        {"handed_over": 1, "given_up": 0},
        {"handed_over": 0, "given_up": 1},
        {"handed_over": 0, "given_up": 0},
    ]
    assert message.is_given_up
    assert message.redeliveries == 1
    client.force_login(ingrid)
    page = client.get(reverse("start")).content.decode()
    assert (
        f"Uppgiften tests.outbox.record_effect (nr {message.pk}) blev aldrig klar och har "
        "getts upp" in page
    )
    assert client.get(reverse("healthz")).json()["outbox_given_up"] == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_records_a_task_completed_so_it_is_not_handed_over_again(
    real_broker,  # noqa: F811
):
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        with transaction.atomic():
            message = services.enqueue(record_effect, "b")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.completed_at is not None:
                break
            time.sleep(0.1)

    assert EFFECTS == ["b"]
    assert message.started_at is not None
    assert message.completed_at is not None
    far = timezone.now() + datetime.timedelta(days=30)
    assert services.reconcile_sent(now=far) == {"handed_over": 0, "given_up": 0}


@pytest.mark.django_db
def test_the_reconciler_job_and_its_command_record_that_the_scheduler_ran(time_machine):
    moment = datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC)
    time_machine.move_to(moment, tick=False)
    reconcile_outbox.delay()
    by_the_job = scheduler_last_ran()
    time_machine.move_to(moment + datetime.timedelta(minutes=1), tick=False)

    call_command("reconcile_outbox")

    assert by_the_job == moment
    assert scheduler_last_ran() == moment + datetime.timedelta(minutes=1)


@pytest.mark.django_db
def test_a_task_run_in_process_is_completed_at_once_and_never_handed_over_again(
    django_capture_on_commit_callbacks,
):
    message = _send(django_capture_on_commit_callbacks)  # memory://: run here, in-process

    far = timezone.now() + datetime.timedelta(days=30)
    counts = services.reconcile_sent(now=far)

    assert EFFECTS == ["a"]
    assert message.completed_at is not None
    assert counts == {"handed_over": 0, "given_up": 0}
