"""A snapshot run that finally fails (after the tasks' retries): marked failed with a
Swedish message for the archive page, and every file written for it removed."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit

from ...models import RunStatus, SnapshotRun
from .files import archive_storage, remove_strays

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
