"""migrate seeds each registered job that is missing, at its default time, and leaves the
schedule Informationsenheten edited as it is."""

import datetime

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from atvida_social.scheduling import registry
from atvida_social.scheduling.registry import Crontab, register_job, registered_jobs
from atvida_social.scheduling.seeding import seed_schedule

from .conftest import PURGE

pytestmark = pytest.mark.django_db


def _default_crontab(job) -> tuple:
    crontab = job.crontab
    return (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year)


def test_every_registered_job_is_in_the_schedule_at_its_default_time(seeded_schedule):
    for job in registered_jobs():
        row = PeriodicTask.objects.get(name=job.name)
        assert (row.task, row.description, row.enabled) == (job.task, str(job.description), True)
        assert row.expire_seconds == job.expire_seconds
        if job.crontab is not None:
            assert _default_crontab(row) == _default_crontab(job)
        else:
            assert (row.interval.every, row.interval.period) == (
                job.every.total_seconds(),
                "seconds",
            )


def test_migrate_leaves_the_schedule_informationsenheten_edited_as_it_is(seeded_schedule):
    job = PeriodicTask.objects.get(task=PURGE)
    job.name = "Gallring, varje söndag"
    job.enabled = False
    job.crontab = CrontabSchedule.objects.create(minute="0", hour="4", day_of_week="0")
    job.save()
    before = list(PeriodicTask.objects.order_by("pk").values())

    call_command("migrate", verbosity=0)

    assert list(PeriodicTask.objects.order_by("pk").values()) == before


def test_migrate_creates_a_job_that_is_missing(seeded_schedule):
    PeriodicTask.objects.filter(task=PURGE).delete()

    call_command("migrate", verbosity=0)

    job = PeriodicTask.objects.get(task=PURGE)
    assert job.enabled
    assert (job.crontab.minute, job.crontab.hour) == ("30", "3")


def test_a_job_an_app_registers_later_is_seeded_beside_the_existing_ones(
    seeded_schedule, monkeypatch
):
    monkeypatch.setattr(registry, "_registry", dict(registry._registry))
    register_job(
        "Ny rapport, varje måndag",
        task="moderation.tasks.weekly_report",
        description="Skickar en rapport. Samma som manage.py weekly_report.",
        crontab=Crontab(minute="0", hour="6", day_of_week="1"),
    )
    count = PeriodicTask.objects.count()

    created = seed_schedule()

    assert created == ["Ny rapport, varje måndag"]
    assert PeriodicTask.objects.count() == count + 1


def test_an_interval_shared_by_jobs_is_created_once(seeded_schedule, monkeypatch):
    monkeypatch.setattr(registry, "_registry", dict(registry._registry))
    register_job(
        "Annan kö, varje minut",
        task="moderation.tasks.other_relay",
        description="Skickar. Samma som manage.py other_relay.",
        every=datetime.timedelta(seconds=60),
    )

    seed_schedule()

    relay = PeriodicTask.objects.get(task="atvida_social.outbox.tasks.relay_outbox")
    assert PeriodicTask.objects.get(task="moderation.tasks.other_relay").interval == relay.interval
