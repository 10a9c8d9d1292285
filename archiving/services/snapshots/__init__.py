"""Taking snapshots of the channels (Arkivering: "en ögonblicksbild ... minst en gång varje
halvår eller vid större förändringar", in a standard format, RA-FS 2009:2).

The making of a snapshot is a run in four steps, each a Celery task that calls one function
with the run's id, each step a module of this package:

1. start.py  `start_snapshot_run` records the run under its key (the same key twice gives one
   run) and enqueues `take_snapshot` through the outbox, in the caller's transaction; the
   schedule and the automatic triggers start runs through it.
2. plan.py  `take_snapshot` plans the parts ("del 1 av 3"), threads kept whole, and enqueues
   one `render_volume` per part.
3. render.py  `render_volume` renders one part as PDF/A and JSON, stores both files and counts
   the part done; the last part enqueues `finish_snapshot`.
4. finish.py  `finish_snapshot` writes the manifest (every file with its SHA-256) and records
   the `Snapshot` with all its `ArchiveFile` rows in one transaction.

A run that finally fails (after the tasks' retries) is marked failed with a Swedish message
for the archive page, and the files written for it are removed (failure.py; a file the
storage refuses to remove is logged and left): no partial snapshot is ever recorded.
Informationsenheten starts a failed run again (failure.py `retry_snapshot_run`), and so does
the next schedule. A run whose work was lost (a killed worker) is found by the reconciler
(reconcile.py), its missing steps handed over again and, if it still makes no progress,
failed. files.py stores and removes the files.
"""

from .failure import fail_snapshot_run, failure_message, retry_snapshot_run
from .files import archive_storage
from .finish import finish_snapshot
from .plan import plan_volumes, take_snapshot
from .reconcile import reconcile_snapshot_runs
from .render import render_volume
from .start import (
    half_year_containing,
    previous_half_year,
    schedule_half_year_snapshots,
    snapshot_closed_channel,
    snapshot_register_changes,
    start_snapshot_run,
)

__all__ = [
    "archive_storage",
    "fail_snapshot_run",
    "failure_message",
    "finish_snapshot",
    "half_year_containing",
    "plan_volumes",
    "previous_half_year",
    "reconcile_snapshot_runs",
    "render_volume",
    "retry_snapshot_run",
    "schedule_half_year_snapshots",
    "snapshot_closed_channel",
    "snapshot_register_changes",
    "start_snapshot_run",
    "take_snapshot",
]
