"""A snapshot run that finally fails (after the tasks' retries, or stalled: reconcile.py):
marked failed with a Swedish message for the archive page, and every file written for it
removed; and Informationsenheten's "Försök igen" on such a run."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError

from ...exceptions import SnapshotRunNotFailed
from ...models import RunStatus, SnapshotRun
from ...selectors import may_take_snapshot
from .files import archive_storage, remove_strays
from .start import start_snapshot_run

logger = logging.getLogger(__name__)


def failure_message(error: BaseException | str) -> str:
    detail = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return _(
        "Ögonblicksbilden kunde inte skapas, inte heller efter flera försök. Inga filer har "
        "sparats. Försök igen senare; om felet består, kontakta den som förvaltar systemet. "
        "Teknisk orsak: %(detail)s"
    ) % {"detail": str(detail)[:1000]}


@transaction.atomic
def fail_snapshot_run(run_id: int, *, error: BaseException | str) -> SnapshotRun | None:
    """Mark the run failed, with a Swedish message, and remove every file written for it.
    A run already done stays done."""
    run = SnapshotRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.status == RunStatus.DONE:
        return run
    run.status = RunStatus.FAILED
    run.error = failure_message(error)
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    record_audit(
        "snapshot_failed",
        obj=run,
        details={"channel": run.channel_id, "error": str(error)[:500]},
    )
    remove_strays(archive_storage(), run, keep=set())
    logger.error("Snapshot run %s failed: %s", run.pk, error)
    return run


@transaction.atomic
def retry_snapshot_run(run: SnapshotRun, *, by) -> SnapshotRun:
    """Informationsenheten starts a failed run again from the beginning: the same channel,
    period, reason and key (start_snapshot_run restarts a failed run of its key)."""
    if not may_take_snapshot(by):
        raise PermissionDeniedError
    run = SnapshotRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.FAILED:
        raise SnapshotRunNotFailed
    return start_snapshot_run(
        run.channel,
        period_start=run.period_start,
        period_end=run.period_end,
        reason=run.reason,
        key=run.key,
        by=by,
        note=run.note,
    )
