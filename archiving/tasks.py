"""Celery entry points of the archive: ids in, one service call, nothing else.

Every task is acks_late and rejected back to the queue when its worker is lost, so a killed
worker's task runs again; the services make a second run harmless. Failures are retried with
backoff; a snapshot step that still fails after its retries marks the run failed (shown on
the archive page) and removes the run's files. The render task is named render_* so that the
worker routing sends it to the "rendering" queue; its time limits bound one part (about 5-10 s
for 1,000 items), with a wide margin for a slow machine: the broker's visibility timeout must
be longer than the hard limit plus the longest retry delay.
"""

from celery import Task, shared_task

from . import services

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 3,
    "acks_late": True,
    "reject_on_worker_lost": True,
}

RENDER_SOFT_TIME_LIMIT = 15 * 60
RENDER_TIME_LIMIT = 16 * 60


class SnapshotStep(Task):
    """A step of a snapshot run (first argument: the run's id)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        services.fail_snapshot_run(args[0], error=exc)


@shared_task(**RETRY)
def take_scheduled_snapshots() -> None:
    services.schedule_half_year_snapshots()


@shared_task(base=SnapshotStep, **RETRY)
def take_snapshot(run_id: int) -> None:
    services.take_snapshot(run_id)


@shared_task(
    base=SnapshotStep,
    soft_time_limit=RENDER_SOFT_TIME_LIMIT,
    time_limit=RENDER_TIME_LIMIT,
    **RETRY,
)
def render_volume(run_id: int, number: int) -> None:
    services.render_volume(run_id, number)


@shared_task(base=SnapshotStep, **RETRY)
def finish_snapshot(run_id: int) -> None:
    services.finish_snapshot(run_id)


@shared_task(acks_late=True, ignore_result=True)
def reconcile_snapshot_runs() -> dict[str, int]:
    """Every five minutes: hand over again the lost steps of a stalled run, or fail it."""
    return services.reconcile_snapshot_runs()


@shared_task(**RETRY)
def archive_register_version(version_id: int) -> None:
    services.archive_register_version(version_id)


@shared_task(**RETRY)
def archive_plan(plan_id: int) -> None:
    services.archive_plan(plan_id)


@shared_task(**RETRY)
def archive_diarium_copy(decision_id: int) -> None:
    services.archive_diarium_copy(decision_id)


# --- Integrity of the archive ---


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def check_archive_integrity(check_id: int | None = None) -> int:
    """Monthly (no arguments), or a run Informationsenheten started (its id): verify every
    archived file. Returns the number of problems found."""
    from . import services
    from .models import IntegrityCheck

    check = IntegrityCheck.objects.get(pk=check_id) if check_id is not None else None
    return services.check_archive(check=check).problems


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def mail_check_problems(check_id: int) -> int:
    from . import notifications
    from .models import IntegrityCheck

    return notifications.send_check_problems(IntegrityCheck.objects.get(pk=check_id))


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def mail_verification_problem(verification_id: int) -> int:
    from . import notifications
    from .models import Verification

    return notifications.send_verification_problem(
        Verification.objects.select_related("file").get(pk=verification_id)
    )


# --- Culling (gallring) ---


@shared_task(acks_late=True, reject_on_worker_lost=True)
def cull_trivial_items() -> None:
    """Nightly: purge removed texts, then propose a culling or (review off) cull."""
    from .culling.services import run_culling_job

    run_culling_job()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def cull_approved_proposal(proposal_id: int) -> int:
    """Cull the items of an approved proposal; a proposal already carried out, or being
    carried out by another delivery, is left."""
    from .culling.services import carry_out_culling

    return carry_out_culling(proposal_id)
