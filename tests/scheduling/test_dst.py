"""No nightly job runs in the hour Stockholm's clock skips (last Sunday of March, 02:00-02:59 never
happens) or repeats (last Sunday of October, 02:00-02:59 twice): each nightly job runs once,
at its time, on both nights, as django-celery-beat's schedule computes it; and the migration
moves the jobs an installation still has at the old defaults, and no others."""

import calendar
import datetime
import importlib
import types
import zoneinfo

import pytest
from celery.schedules import crontab as celery_crontab
from django.apps import apps
from django.db import connection
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from atvida_social.scheduling.registry import registered_jobs

from .conftest import INTEGRITY, PURGE, SNAPSHOTS

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
UTC = datetime.UTC
YEARS = range(2026, 2046)
# Beat looks at its schedule every few seconds; half a minute is fine enough to see each run.
TICK = datetime.timedelta(seconds=30)

migration = importlib.import_module(
    "atvida_social.scheduling.migrations.0005_nightly_jobs_outside_dst_hour"
)


def _last_sunday(year: int, month: int) -> datetime.date:
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return last - datetime.timedelta(days=(last.weekday() - calendar.SUNDAY) % 7)


DST_NIGHTS = [_last_sunday(year, month) for year in YEARS for month in (3, 10)]


def _can_run_at_two_on(job, day: datetime.date) -> bool:
    fields = job.crontab
    schedule = celery_crontab(
        minute=fields.minute,
        hour=fields.hour,
        day_of_month=fields.day_of_month,
        month_of_year=fields.month_of_year,
        day_of_week=fields.day_of_week,
    )
    # celery numbers the days of the week from Sunday = 0. A job that runs every hour is
    # not at a time of night: the skipped hour's run is the next hour's.
    return (
        len(schedule.hour) < 24
        and 2 in schedule.hour
        and day.day in schedule.day_of_month
        and day.month in schedule.month_of_year
        and (day.isoweekday() % 7) in schedule.day_of_week
    )


def test_no_registered_job_can_run_in_the_hour_that_is_skipped_or_repeated():
    jobs = [job for job in registered_jobs() if job.crontab is not None]

    in_the_hour = sorted(
        {job.name for job in jobs for night in DST_NIGHTS if _can_run_at_two_on(job, night)}
    )

    assert jobs
    assert in_the_hour == []


def _runs_on(schedule, day: datetime.date) -> list[str]:
    """The local times at which beat, looking every TICK through the day, finds the job due."""
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=STOCKHOLM).astimezone(UTC)
    end = (
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), STOCKHOLM)
    ).astimezone(UTC)
    last_run_at = start - datetime.timedelta(hours=12)
    runs = []
    moment = start
    while moment < end:
        schedule.nowfun = lambda moment=moment: moment.astimezone(STOCKHOLM)
        due, _next = schedule.is_due(last_run_at)
        if due:
            runs.append(moment.astimezone(STOCKHOLM).strftime("%H:%M"))
            last_run_at = moment
        moment += TICK
    return runs


def _beat_schedule(job) -> CrontabSchedule:
    """The job's default time as django-celery-beat stores it (not saved)."""
    fields = job.crontab
    return CrontabSchedule(
        minute=fields.minute,
        hour=fields.hour,
        day_of_month=fields.day_of_month,
        month_of_year=fields.month_of_year,
        day_of_week=fields.day_of_week,
        timezone=zoneinfo.ZoneInfo(fields.timezone),
    )


@pytest.mark.parametrize(
    "night",
    [
        pytest.param(datetime.date(2027, 3, 28), id="clock-skips-an-hour"),
        pytest.param(datetime.date(2026, 10, 25), id="clock-repeats-an-hour"),
    ],
)
def test_every_nightly_job_runs_once_at_its_time_on_both_dst_nights(night):
    nightly = [
        job
        for job in registered_jobs()
        if job.crontab is not None
        and job.crontab.hour != "*"
        and (job.crontab.day_of_month, job.crontab.month_of_year, job.crontab.day_of_week)
        == ("*", "*", "*")
    ]

    runs = {job.task: _runs_on(_beat_schedule(job).schedule, night) for job in nightly}

    assert PURGE in runs
    assert runs == {
        job.task: [f"{int(job.crontab.hour):02}:{int(job.crontab.minute):02}"] for job in nightly
    }


def _schedule(task: str) -> tuple:
    crontab = PeriodicTask.objects.get(task=task).crontab
    return (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year)


def _set_schedule(task: str, minute: str, hour: str, day_of_month="*", month_of_year="*"):
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        day_of_week="*",
        timezone="Europe/Stockholm",
    )
    PeriodicTask.objects.filter(task=task).update(crontab=crontab)
    return crontab


def _migrate(*, forwards: bool) -> None:
    migration._move(apps, types.SimpleNamespace(connection=connection), forwards=forwards)


@pytest.mark.django_db
def test_the_migration_moves_the_jobs_still_at_their_old_defaults(seeded_schedule):
    old_purge = _set_schedule(PURGE, "30", "2")
    _set_schedule(SNAPSHOTS, "0", "2", "1", "1,7")

    _migrate(forwards=True)

    assert _schedule(PURGE) == ("30", "3", "*", "*")
    assert _schedule(SNAPSHOTS) == ("0", "1", "1", "1,7")
    assert CrontabSchedule.objects.filter(pk=old_purge.pk).exists()  # another job may use it


@pytest.mark.django_db
def test_the_migration_leaves_a_time_informationsenheten_chose(seeded_schedule):
    _set_schedule(PURGE, "45", "2")
    _set_schedule(INTEGRITY, "30", "2")  # not a job whose default moved

    _migrate(forwards=True)

    assert _schedule(PURGE) == ("45", "2", "*", "*")
    assert _schedule(INTEGRITY) == ("30", "2", "*", "*")


@pytest.mark.django_db
def test_the_migration_reversed_puts_the_old_defaults_back(seeded_schedule):
    _set_schedule(PURGE, "30", "3")
    _set_schedule(SNAPSHOTS, "0", "1", "1", "1,7")

    _migrate(forwards=False)

    assert _schedule(PURGE) == ("30", "2", "*", "*")
    assert _schedule(SNAPSHOTS) == ("0", "2", "1", "1,7")
