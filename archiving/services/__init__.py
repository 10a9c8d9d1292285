"""Every write to the archive: snapshots, their verification and the on-demand request.

Each module's names are listed here explicitly (no star imports)."""

from .integrity import check_archive, start_archive_check, verify_file
from .requests import request_snapshot

__all__ = [
    "check_archive",
    "request_snapshot",
    "start_archive_check",
    "verify_file",
]
