"""Snapshot runs whose work was lost: a worker killed while it planned or rendered, a part's
message lost with the embedded default's file queue or with a Redis restarted without its
data. Without this such a run would show "pågår" for good, and asking for it again would
return the stuck run.

A periodic job (`reconcile_snapshot_runs`, every five minutes) looks at every run in progress.
A run shows progress when it is handed to the workers, planned, and each time a part is done;
one with no progress for SNAPSHOT_STALL_AFTER seconds (longer than a part's hard time limit)
has its missing steps handed over again: the plan of a run still queued, the render of every
part not done, or the finish of a run whose parts are all done. Each step is idempotent, so a
step that was only slow does no harm when it comes twice. After SNAPSHOT_MAX_HANDOVERS such
hand-overs without the run finishing it is failed (failure.py: a Swedish message, its files
removed), and the next schedule or Informationsenheten's "Försök igen" starts it again.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit
from atvida_social.outbox.services import enqueue

from ...models import RunStatus, SnapshotRun
from .failure import fail_snapshot_run
from .plan import RENDER_VOLUME
from .render import FINISH_SNAPSHOT
from .start import TAKE_SNAPSHOT

logger = logging.getLogger(__name__)

IN_PROGRESS = (RunStatus.QUEUED, RunStatus.RENDERING)


def last_progress(run: SnapshotRun, last_part_done: datetime.datetime | None):
    """The run's latest sign of progress: handed over, planned, or a part done."""
    moments = (run.created_at, run.handed_over_at, run.started_at, last_part_done)
    return max(moment for moment in moments if moment is not None)


def reconcile_snapshot_runs(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Hand over again the missing steps of every run in progress without progress for
    SNAPSHOT_STALL_AFTER seconds, or fail it after SNAPSHOT_MAX_HANDOVERS hand-overs.
    Returns how many runs were handed over again and how many failed."""
    now = now or timezone.now()
    counts = {"handed_over": 0, "failed": 0}
    runs = (
        SnapshotRun.objects.filter(status__in=IN_PROGRESS)
        .annotate(last_part_done=Max("parts__finished_at"))
        .order_by("pk")
    )
    for run in runs:
        if not _is_stalled(run, run.last_part_done, now=now):
            continue
        outcome = _hand_over_again(run.pk, now=now)
        if outcome is not None:
            counts[outcome] += 1
    return counts


def _is_stalled(run, last_part_done, *, now) -> bool:
    limit = datetime.timedelta(seconds=settings.SNAPSHOT_STALL_AFTER)
    return last_progress(run, last_part_done) + limit <= now


@transaction.atomic
def _hand_over_again(run_id: int, *, now) -> str | None:
    run = (
        SnapshotRun.objects.select_for_update(skip_locked=True)
        .filter(pk=run_id, status__in=IN_PROGRESS)
        .first()
    )
    last_part_done = run and run.parts.aggregate(last=Max("finished_at"))["last"]
    if run is None or not _is_stalled(run, last_part_done, now=now):
        return None  # finished, failed or moved on meanwhile, or another reconciler holds it
    minutes = settings.SNAPSHOT_STALL_AFTER // 60
    if run.handovers >= settings.SNAPSHOT_MAX_HANDOVERS:
        fail_snapshot_run(
            run.pk,
            error=_(
                "arbetet kom inte vidare på %(minutes)s minuter, inte heller efter att ha "
                "lämnats till arbetarna igen %(times)s gånger (en arbetare kan ha stoppats)."
            )
            % {"minutes": minutes, "times": run.handovers},
        )
        return "failed"
    if run.status == RunStatus.QUEUED:
        steps = [(TAKE_SNAPSHOT, run.pk)]
    else:
        missing = list(
            run.parts.filter(finished_at__isnull=True)
            .order_by("number")
            .values_list("number", flat=True)
        )
        steps = [(RENDER_VOLUME, run.pk, number) for number in missing]
        steps = steps or [(FINISH_SNAPSHOT, run.pk)]
    run.handovers += 1
    run.handed_over_at = now
    run.save(update_fields=["handovers", "handed_over_at"])
    for task, *args in steps:
        enqueue(task, *args)
    record_audit(
        "snapshot_handed_over_again",
        obj=run,
        details={"steps": [[task, *args] for task, *args in steps], "time": run.handovers},
    )
    logger.warning(
        "Snapshot run %s made no progress for %s minutes; handed over again: %s.",
        run.pk,
        minutes,
        steps,
    )
    return "handed_over"
