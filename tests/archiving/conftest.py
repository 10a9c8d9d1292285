"""Archived snapshots and files made directly, with real bytes written through the storage
API into a temporary MEDIA_ROOT: the pages and the integrity check need no renderer."""

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from archiving.models import (
    ArchiveFile,
    FileRole,
    RunStatus,
    Snapshot,
    SnapshotReason,
    SnapshotRun,
)

H1_2026 = (
    datetime.datetime.fromisoformat("2026-01-01T00:00:00+01:00"),
    datetime.datetime.fromisoformat("2026-07-01T00:00:00+02:00"),
)
H2_2025 = (
    datetime.datetime.fromisoformat("2025-07-01T00:00:00+02:00"),
    datetime.datetime.fromisoformat("2026-01-01T00:00:00+01:00"),
)


def pdf_bytes(text: str = "ögonblicksbild") -> bytes:
    return f"%PDF-1.7\n% {text}\n%%EOF\n".encode()


def make_run(channel, period=H1_2026, *, status=RunStatus.DONE, key=None, **fields):
    start, end = period
    return SnapshotRun.objects.create(
        key=key or f"halvar:{channel.pk}:{start:%Y-%m-%d}:{SnapshotRun.objects.count()}",
        channel=channel,
        period_start=start,
        period_end=end,
        reason=fields.pop("reason", SnapshotReason.SCHEDULE),
        status=status,
        **fields,
    )


def make_file(content: bytes, filename: str, **owner) -> ArchiveFile:
    """One archived file, its bytes written through the storage API as the renderer would."""
    archive_file = ArchiveFile(
        filename=filename,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        pages=owner.pop("pages", None),
        role=owner.pop("role", FileRole.PDF),
        volume=owner.pop("volume", None),
        **owner,
    )
    archive_file.file.save(filename, ContentFile(content), save=False)
    archive_file.save()
    return archive_file


def make_snapshot(channel, period=H1_2026, *, volumes: int = 1, by=None, **fields) -> Snapshot:
    """A finished snapshot with a PDF and a JSON per volume and a manifest."""
    run = make_run(channel, period, requested_by=by)
    now = timezone.now()
    snapshot = Snapshot.objects.create(
        run=run,
        channel=channel,
        period_start=run.period_start,
        period_end=run.period_end,
        reason=run.reason,
        created_by=by,
        items=fields.pop("items", 12),
        pages=fields.pop("pages", 4 * volumes),
        volumes=volumes,
        started_at=now - datetime.timedelta(minutes=2),
        finished_at=now,
        **fields,
    )
    stem = f"{channel.account_name}-{run.period_start:%Y-%m-%d}".replace(" ", "-").lower()
    for volume in range(1, volumes + 1):
        make_file(
            pdf_bytes(f"{stem} del {volume}"),
            f"{stem}-del-{volume}.pdf",
            snapshot=snapshot,
            role=FileRole.PDF,
            volume=volume,
            pages=4,
        )
        make_file(
            b'{"del": %d}' % volume,
            f"{stem}-del-{volume}.json",
            snapshot=snapshot,
            role=FileRole.JSON,
            volume=volume,
        )
    make_file(b'{"files": []}', f"{stem}-manifest.json", snapshot=snapshot, role=FileRole.MANIFEST)
    return snapshot


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Each test writes its archive into a fresh directory of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def snapshot(channel):
    return make_snapshot(channel)


@pytest.fixture
def pdf(snapshot):
    return snapshot.files.get(role=FileRole.PDF, volume=1)
