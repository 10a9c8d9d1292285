"""A real Celery worker, on the embedded default's file-system broker and (in the pass that
has it) on Redis: the web process queues, the worker runs, a failure reaches
Informationsenheten once."""

import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from atvida_social import celery_app
from atvida_social.organisation.roles import Role
from atvida_social.outbox.models import OutboxMessage
from tests.factories import ActivityPlanFactory, UserFactory

ATTEMPTS: list[str] = []
SUCCEEDED = threading.Event()


@celery_app.task(
    name="tests.scheduling.always_fails",
    autoretry_for=(RuntimeError,),
    max_retries=1,
    default_retry_delay=0,
)
def always_fails():
    ATTEMPTS.append("always_fails")
    raise RuntimeError("Mallen för ögonblicksbilden saknas")


@celery_app.task(name="tests.scheduling.fails_without_retry")
def fails_without_retry():
    raise RuntimeError("Mallen för ögonblicksbilden saknas")


@celery_app.task(
    bind=True,
    name="tests.scheduling.fails_once",
    autoretry_for=(RuntimeError,),
    max_retries=3,
    default_retry_delay=0,
)
def fails_once(self):
    ATTEMPTS.append("fails_once")
    if self.request.retries == 0:
        raise RuntimeError("Tillfälligt fel")
    SUCCEEDED.set()


@pytest.fixture(autouse=True)
def _fresh_counters():
    ATTEMPTS.clear()
    SUCCEEDED.clear()


def _worker():
    return start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20)


def _wait_for(condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


@pytest.fixture
def dan(library):
    return UserFactory(username="dan", unit=library, roles=[Role.ACCOUNT_OWNER])


@pytest.fixture
def plan(library, alice, bob, dan):
    """A complete draft by alice: submitting it mails its three signers."""
    return ActivityPlanFactory(
        unit=library,
        account_name="Bibblan på Facebook",
        url="https://www.facebook.com/bibblan",
        manager=bob,
        prepared_by=alice,
        administrators=[alice, dan],
        daily_operators=[alice],
    )


@pytest.mark.django_db(transaction=True)
def test_a_task_the_web_process_queues_is_run_once_by_the_worker(
    client, alice, bob, dan, plan, real_broker
):
    client.force_login(alice)

    response = client.post(reverse("activityplans:plan-submit", args=[plan.pk]))
    queued_before_the_worker_ran = not mail.outbox and (
        real_broker is None or len(list(real_broker.glob("*.celery.msg"))) == 1
    )
    with _worker():
        _wait_for(lambda: len(mail.outbox) >= 3)
        time.sleep(1.5)  # room for a second delivery to show itself

    assert response.status_code == 302
    assert queued_before_the_worker_ran
    assert sorted(to for message in mail.outbox for to in message.to) == sorted(
        [alice.email, bob.email, dan.email]
    )
    assert OutboxMessage.objects.pending().count() == 0
    if real_broker is not None:
        assert not list(real_broker.glob("*.msg")), "the message left the queue folder"


@pytest.mark.django_db(transaction=True)
def test_a_job_that_fails_for_good_is_mailed_to_informationsenheten_once(
    ingrid, alice, real_broker
):
    with _worker():
        always_fails.delay()
        _wait_for(lambda: mail.outbox)
        time.sleep(1.5)

    [message] = mail.outbox
    assert ATTEMPTS == ["always_fails", "always_fails"]  # the first try and its one retry
    assert message.to == [ingrid.email]
    assert message.subject == "Ett bakgrundsjobb misslyckades: tests.scheduling.always_fails"
    assert "RuntimeError: Mallen för ögonblicksbilden saknas" in message.body
    assert "försöks inte igen" in message.body


@pytest.mark.django_db(transaction=True)
def test_a_job_that_succeeds_on_its_retry_mails_no_one(ingrid, real_broker):
    with _worker():
        fails_once.delay()
        _wait_for(SUCCEEDED.is_set)
        time.sleep(1.5)

    assert ATTEMPTS == ["fails_once", "fails_once"]
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_every_active_member_of_informationsenheten_is_mailed(
    ingrid, information_unit, real_broker
):
    colleague = UserFactory(username="ivar", unit=information_unit, roles=[Role.INFORMATION_UNIT])
    UserFactory(
        username="inaktiv", unit=information_unit, roles=[Role.INFORMATION_UNIT], is_active=False
    )

    with _worker():
        always_fails.delay()
        _wait_for(lambda: len(mail.outbox) >= 2)
        time.sleep(1.5)

    assert sorted(to for message in mail.outbox for to in message.to) == sorted(
        [ingrid.email, colleague.email]
    )


@pytest.mark.django_db
def test_a_task_run_in_process_reports_its_failure_to_its_caller_not_by_mail(ingrid):
    result = fails_without_retry.apply(throw=False)  # the failure only in the result

    assert isinstance(result.result, RuntimeError)
    assert mail.outbox == []
