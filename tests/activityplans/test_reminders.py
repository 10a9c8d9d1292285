"""The daily reminder of logins not handed over within 14 days of the plan's approval
(Aktivitetsplan: after the start the login goes to Informationsenheten)."""

import datetime
import time
from io import StringIO

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from activityplans import services, tasks
from activityplans.models import ActivityPlan
from atvida_social import celery_app
from tests.factories import ActivityPlanFactory, ChannelFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


def _approved_on(plan, day: datetime.date):
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    ActivityPlan.objects.filter(pk=plan.pk).update(status_changed_at=at)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def overdue(approved):
    """The approved plan of Bibblan på Facebook, approved 15 days before TODAY."""
    return _approved_on(approved, TODAY - datetime.timedelta(days=15))


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_overdue_login_reminds_the_account_owners_and_information_unit_once_each(
    overdue, alice, dan, ingrid, bob
):
    mail.outbox.clear()

    sent = services.remind_overdue_handovers(today=TODAY)

    assert sent == 3
    assert _recipients() == sorted([alice.email, dan.email, ingrid.email])
    assert all("Bibblan på Facebook" in message.subject for message in mail.outbox)
    assert all(message.subject.startswith("Påminnelse:") for message in mail.outbox)


def test_account_owner_gets_the_handover_link_and_information_unit_the_channel(
    overdue, alice, ingrid
):
    mail.outbox.clear()

    services.remind_overdue_handovers(today=TODAY)

    site = settings.SITE_URL.rstrip("/")
    by_address = {message.to[0]: message.body for message in mail.outbox}
    handover = site + reverse("activityplans:credential-edit", args=[overdue.pk])
    detail = site + reverse("channels:channel-detail", args=[overdue.channel_id])
    assert handover in by_address[alice.email]
    assert "lämnas till informationsenheten senast 14 dagar" in by_address[alice.email]
    assert detail in by_address[ingrid.email]
    assert handover not in by_address[ingrid.email]
    assert "?flag=inloggning-forsenad" in by_address[ingrid.email]


def test_no_reminder_within_the_14_days(approved):
    _approved_on(approved, TODAY - datetime.timedelta(days=14))
    mail.outbox.clear()

    assert services.remind_overdue_handovers(today=TODAY) == 0
    assert mail.outbox == []


def test_no_reminder_after_the_login_is_handed_over(overdue, alice):
    services.save_credential(overdue, by=alice, username="bibblan", password="hemligt")
    mail.outbox.clear()

    assert services.remind_overdue_handovers(today=TODAY) == 0
    assert mail.outbox == []


def test_second_run_on_the_same_day_mails_nobody_and_the_next_day_reminds_again(overdue):
    services.remind_overdue_handovers(today=TODAY)
    mail.outbox.clear()

    again = services.remind_overdue_handovers(today=TODAY)
    next_day = services.remind_overdue_handovers(today=TODAY + datetime.timedelta(days=1))

    assert again == 0
    assert next_day == 3


def test_information_unit_gets_one_mail_for_several_channels(overdue, ingrid, library):
    other = ActivityPlanFactory(
        unit=library,
        account_name="Bibblan på Instagram",
        platform="instagram",
        url="https://www.instagram.com/bibblan",
        channel=ChannelFactory(
            unit=library,
            account_name="Bibblan på Instagram",
            platform="instagram",
            url="https://www.instagram.com/bibblan",
        ),
        status="godkand",
    )
    _approved_on(other, TODAY - datetime.timedelta(days=30))
    mail.outbox.clear()

    services.remind_overdue_handovers(today=TODAY)

    to_ingrid = [message for message in mail.outbox if message.to == [ingrid.email]]
    assert len(to_ingrid) == 1
    assert "2 kanaler" in to_ingrid[0].subject
    assert "Bibblan på Facebook" in to_ingrid[0].body
    assert "Bibblan på Instagram" in to_ingrid[0].body


def test_inactive_account_owner_is_not_mailed(overdue, dan, alice, ingrid):
    dan.is_active = False
    dan.save()
    mail.outbox.clear()

    services.remind_overdue_handovers(today=TODAY)

    assert _recipients() == sorted([alice.email, ingrid.email])


def test_closed_channel_is_not_reminded_of(overdue):
    channel = overdue.channel
    channel.status = "avslutad"
    channel.ended_on = TODAY
    channel.save()
    mail.outbox.clear()

    assert services.remind_overdue_handovers(today=TODAY) == 0


def test_management_command_and_daily_task_send_the_reminders(overdue):
    mail.outbox.clear()
    morning = datetime.datetime(2026, 11, 30, 7, tzinfo=datetime.UTC)

    with time_machine.travel(morning, tick=False):
        out = StringIO()
        call_command("remind_overdue_handovers", stdout=out)
        first = len(mail.outbox)
    with time_machine.travel(morning + datetime.timedelta(days=1), tick=False):
        tasks.remind_overdue_handovers.delay()

    assert "3 påminnelser skickade." in out.getvalue()
    assert first == 3
    assert len(mail.outbox) == 6


@pytest.mark.django_db
def test_reminder_runs_every_morning_at_seven(seeded_schedule):
    job = PeriodicTask.objects.get(task="activityplans.tasks.remind_overdue_handovers")

    assert job.task in celery_app.tasks
    assert job.schedule.hour == {7}
    assert job.schedule.minute == {0}


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_sends_the_handover_reminders_from_the_broker(approved, alice, dan, ingrid):
    _approved_on(approved, timezone.localdate() - datetime.timedelta(days=20))
    mail.outbox.clear()
    before = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
    }
    celery_app.conf.update(task_always_eager=False, broker_url=settings.CELERY_BROKER_URL)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False):
            tasks.remind_overdue_handovers.delay()
            deadline = time.monotonic() + 20
            while len(mail.outbox) < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        celery_app.conf.update(before)

    assert _recipients() == sorted([alice.email, dan.email, ingrid.email])
