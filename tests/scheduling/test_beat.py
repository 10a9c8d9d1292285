"""Beat's DatabaseScheduler reads the seeded jobs and sends each to the broker at its time,
in Stockholm's wall-clock time, winter and summer alike.

Transactional: the scheduler closes database connections that are inside a transaction, as a
test's would be."""

import datetime
import json
import zoneinfo

import pytest
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from atvida_social import celery_app

from .conftest import SNAPSHOTS

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
SNAPSHOT_DAYS = [
    pytest.param(datetime.datetime(2027, 1, 1, 1, 0, tzinfo=STOCKHOLM), id="1-january-cet"),
    pytest.param(datetime.datetime(2026, 7, 1, 1, 0, tzinfo=STOCKHOLM), id="1-july-cest"),
]


def _scheduler_at(moment, time_machine, last_run):
    """Beat starting at `moment`, the snapshot job last run at `last_run`."""
    PeriodicTask.objects.filter(task=SNAPSHOTS).update(last_run_at=last_run)
    time_machine.move_to(moment, tick=False)
    return DatabaseScheduler(app=celery_app)


def _run_due(scheduler) -> None:
    """What beat's loop does at this moment: each tick sends at most one due job."""
    for _ in range(len(scheduler.schedule) + 1):
        scheduler.tick()


def _snapshot_entry(scheduler):
    [entry] = [entry for entry in scheduler.schedule.values() if entry.task == SNAPSHOTS]
    return entry


def _queued_tasks(queue) -> list[str]:
    return [json.loads(path.read_text())["headers"]["task"] for path in sorted(queue.glob("*.msg"))]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("at", SNAPSHOT_DAYS)
def test_the_snapshot_job_is_due_at_one_oclock_stockholm_time(
    seeded_schedule, file_queue, time_machine, at
):
    last_run = at - datetime.timedelta(days=180)
    before = _snapshot_entry(
        _scheduler_at(at - datetime.timedelta(minutes=1), time_machine, last_run)
    )
    due, _next = before.is_due()
    assert not due

    scheduler = _scheduler_at(at + datetime.timedelta(seconds=30), time_machine, last_run)
    _run_due(scheduler)

    assert SNAPSHOTS in _queued_tasks(file_queue)


@pytest.mark.django_db(transaction=True)
def test_the_snapshot_job_is_not_sent_on_other_first_days_of_the_month(
    seeded_schedule, file_queue, time_machine
):
    at = datetime.datetime(2026, 4, 1, 1, 0, 30, tzinfo=STOCKHOLM)
    scheduler = _scheduler_at(at, time_machine, at - datetime.timedelta(days=30))

    due, _next = _snapshot_entry(scheduler).is_due()
    _run_due(scheduler)

    assert not due
    assert SNAPSHOTS not in _queued_tasks(file_queue)


@pytest.mark.django_db(transaction=True)
def test_a_job_informationsenheten_switched_off_is_not_scheduled(seeded_schedule, time_machine):
    PeriodicTask.objects.filter(task=SNAPSHOTS).update(enabled=False)
    time_machine.move_to(datetime.datetime(2026, 7, 1, 2, 0, tzinfo=STOCKHOLM), tick=False)

    scheduler = DatabaseScheduler(app=celery_app)

    assert SNAPSHOTS not in {entry.task for entry in scheduler.schedule.values()}
