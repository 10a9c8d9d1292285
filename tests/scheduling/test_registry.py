"""Each app registers its own periodic jobs; the registry refuses a job it could not seed."""

import datetime
from importlib import import_module

import pytest
from django.core.exceptions import ImproperlyConfigured

from atvida_social.scheduling import registry
from atvida_social.scheduling.registry import Crontab, register_job, registered_jobs


@pytest.fixture
def empty_registry(monkeypatch):
    """An empty registry that a test may fill without leaking into other tests."""
    monkeypatch.setattr(registry, "_registry", {})
    return registry._registry


@pytest.mark.parametrize(
    ("module", "tasks"),
    [
        (
            "archiving.jobs",
            {
                "archiving.tasks.take_scheduled_snapshots",
                "archiving.tasks.check_archive_integrity",
                "archiving.tasks.cull_trivial_items",
                "archiving.tasks.reconcile_snapshot_runs",
            },
        ),
        (
            "activityplans.jobs",
            {
                "activityplans.tasks.notify_expiring_credentials",
                "activityplans.tasks.remind_overdue_handovers",
            },
        ),
        (
            "moderation.jobs",
            {
                "moderation.tasks.refresh_statistics",
                "moderation.tasks.send_supervision_warnings",
                "moderation.tasks.process_pending_webhook_deliveries",
                "moderation.tasks.pull_due_connections",
                "moderation.tasks.carry_out_due_platform_actions",
            },
        ),
        (
            "atvida_social.outbox.jobs",
            {
                "atvida_social.outbox.tasks.relay_outbox",
                "atvida_social.outbox.tasks.reconcile_outbox",
            },
        ),
    ],
)
def test_each_app_registers_the_jobs_of_its_own_tasks(empty_registry, module, tasks):
    import_module(module).register_jobs()

    assert {job.task for job in registered_jobs()} == tasks


def test_every_app_has_registered_its_jobs_at_startup():
    apps = {job.task.rsplit(".tasks.", 1)[0] for job in registered_jobs()}

    assert apps == {"archiving", "activityplans", "moderation", "atvida_social.outbox"}


def test_registering_the_same_job_again_changes_nothing(empty_registry):
    for _ in range(2):
        register_job("Jobb", task="app.tasks.job", description="Gör något.", crontab=Crontab())

    assert len(registered_jobs()) == 1


def test_another_job_under_a_taken_name_is_refused(empty_registry):
    register_job("Jobb", task="app.tasks.job", description="Gör något.", crontab=Crontab())

    with pytest.raises(ImproperlyConfigured, match="already registered"):
        register_job("Jobb", task="app.tasks.other", description="Gör något.", crontab=Crontab())


def test_a_second_job_for_a_scheduled_task_is_refused(empty_registry):
    # Seeding takes a task that runs under any name for the job that was renamed.
    register_job("Jobb", task="app.tasks.job", description="Gör något.", crontab=Crontab())

    with pytest.raises(ImproperlyConfigured, match="already scheduled"):
        register_job("Annat", task="app.tasks.job", description="Gör något.", crontab=Crontab())


@pytest.mark.parametrize(
    "when",
    [{}, {"crontab": Crontab(), "every": datetime.timedelta(minutes=1)}],
    ids=["neither", "both"],
)
def test_a_job_runs_either_at_a_crontab_or_every_so_often(empty_registry, when):
    with pytest.raises(ImproperlyConfigured, match="either a crontab or"):
        register_job("Jobb", task="app.tasks.job", description="Gör något.", **when)


def test_a_job_without_a_description_is_refused(empty_registry):
    with pytest.raises(ImproperlyConfigured, match="no description"):
        register_job("Jobb", task="app.tasks.job", description="", crontab=Crontab())
