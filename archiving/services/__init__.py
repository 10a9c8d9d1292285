"""Every write to the archive: snapshots, archived documents, their verification and the
on-demand request. Each module's public names are listed here, explicitly."""

from .documents import (
    archive_diarium_copy,
    archive_plan,
    archive_register_version,
    request_diarium_copy,
    request_plan_archiving,
    request_register_version_archiving,
)
from .integrity import check_archive, start_archive_check, verify_file
from .requests import request_snapshot
from .snapshots import (
    fail_snapshot_run,
    finish_snapshot,
    half_year_containing,
    previous_half_year,
    reconcile_snapshot_runs,
    render_volume,
    retry_snapshot_run,
    schedule_half_year_snapshots,
    snapshot_closed_channel,
    snapshot_register_changes,
    start_snapshot_run,
    take_snapshot,
)

__all__ = [
    "archive_diarium_copy",
    "archive_plan",
    "archive_register_version",
    "check_archive",
    "fail_snapshot_run",
    "finish_snapshot",
    "half_year_containing",
    "previous_half_year",
    "reconcile_snapshot_runs",
    "render_volume",
    "request_diarium_copy",
    "request_plan_archiving",
    "request_register_version_archiving",
    "request_snapshot",
    "retry_snapshot_run",
    "schedule_half_year_snapshots",
    "snapshot_closed_channel",
    "snapshot_register_changes",
    "start_archive_check",
    "start_snapshot_run",
    "take_snapshot",
    "verify_file",
]
