"""The seeded schedule: times in Europe/Stockholm, a command for every job."""

import zoneinfo

import pytest
from django.core.management import get_commands
from django_celery_beat.models import PeriodicTask

from atvida_social import celery_app
from atvida_social.scheduling.seeding import seed_schedule

from .conftest import INTEGRITY, PURGE, SNAPSHOTS

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")

# Every periodic job's task, and the management command that does the same by hand.
COMMANDS = {
    SNAPSHOTS: "take_snapshots",
    INTEGRITY: "check_archive",
    PURGE: "cull_items",
    "atvida_social.outbox.tasks.relay_outbox": "relay_outbox",
    "atvida_social.outbox.tasks.reconcile_outbox": "reconcile_outbox",
    "archiving.tasks.reconcile_snapshot_runs": "reconcile_snapshots",
    "activityplans.tasks.notify_expiring_credentials": "notify_expiring_credentials",
    "activityplans.tasks.remind_overdue_handovers": "remind_overdue_handovers",
    "moderation.tasks.refresh_statistics": "refresh_statistics",
    "moderation.tasks.send_supervision_warnings": "send_supervision_warnings",
    "moderation.tasks.process_pending_webhook_deliveries": "process_webhooks",
    "moderation.tasks.pull_due_connections": "pull_platforms",
    "moderation.tasks.carry_out_due_platform_actions": "carry_out_platform_actions",
}


def _crontab(task: str) -> tuple:
    crontab = PeriodicTask.objects.get(task=task).crontab
    fields = (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year)
    return (*fields, crontab.day_of_week, crontab.timezone)


@pytest.mark.django_db
def test_snapshots_are_taken_on_1_january_and_1_july_at_one_stockholm_time(seeded_schedule):
    assert _crontab(SNAPSHOTS) == ("0", "1", "1", "1,7", "*", STOCKHOLM)


@pytest.mark.django_db
def test_the_archive_is_checked_on_the_first_of_every_month(seeded_schedule):
    assert _crontab(INTEGRITY) == ("0", "3", "1", "*", "*", STOCKHOLM)


@pytest.mark.django_db
def test_removed_texts_are_purged_every_night(seeded_schedule):
    assert _crontab(PURGE) == ("30", "3", "*", "*", "*", STOCKHOLM)


@pytest.mark.django_db
def test_every_seeded_job_is_enabled_with_a_swedish_description(seeded_schedule):
    jobs = PeriodicTask.objects.exclude(task__startswith="celery.")

    assert sorted(job.task for job in jobs) == sorted(COMMANDS)
    assert all(job.enabled and "Samma som manage.py" in job.description for job in jobs)


@pytest.mark.django_db
def test_every_seeded_job_names_a_task_the_worker_knows(seeded_schedule):
    celery_app.loader.import_default_modules()

    unknown = [job.task for job in PeriodicTask.objects.all() if job.task not in celery_app.tasks]

    assert unknown == []


def test_every_periodic_job_has_a_management_command():
    commands = get_commands()

    missing = [command for task, command in COMMANDS.items() if command not in commands]

    assert missing == []


@pytest.mark.django_db
def test_seeding_again_leaves_a_job_informationsenheten_changed_as_it_is(seeded_schedule):
    job = PeriodicTask.objects.get(task=PURGE)
    job.enabled = False
    job.save()

    seed_schedule()

    assert PeriodicTask.objects.filter(task=PURGE).count() == 1
    assert not PeriodicTask.objects.get(task=PURGE).enabled


@pytest.mark.django_db
def test_statistics_are_refreshed_every_hour_stockholm_time(seeded_schedule):
    assert _crontab("moderation.tasks.refresh_statistics") == ("20", "*", "*", "*", "*", STOCKHOLM)


@pytest.mark.django_db
def test_supervision_warnings_run_every_fifteen_minutes(seeded_schedule):
    job = PeriodicTask.objects.get(task="moderation.tasks.send_supervision_warnings")

    assert (job.interval.every, job.interval.period) == (900, "seconds")
