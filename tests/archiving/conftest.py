"""Archived snapshots and files made directly, with real bytes written through the storage
API into a temporary MEDIA_ROOT: the pages and the integrity check need no renderer."""

import datetime
import hashlib
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from archiving.models import (
    ArchiveFile,
    FileRole,
    RunStatus,
    Snapshot,
    SnapshotReason,
    SnapshotRun,
)
from moderation import services as moderation
from moderation.models import Item

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


STOCKHOLM = datetime.timezone(datetime.timedelta(hours=2))
# 1 July 2026, 02:00 Stockholm: the half-yearly job's moment; January to June just ended.
JOB_MOMENT = datetime.datetime(2026, 7, 1, 2, 0, tzinfo=STOCKHOLM)


def received(day: int, hour: int = 12, minute: int = 0, month: int = 3) -> str:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=STOCKHOLM).isoformat()


def add_item(channel, external_id: str, *, at: str, text: str = "", parent=None, kind="comment"):
    item, _ = moderation.register_item(
        channel,
        {
            "external_id": external_id,
            "kind": kind,
            "author": "Anna Andersson",
            "text": text or f"Kommentar {external_id} om öppettiderna.",
            "received_at": at,
            "url": f"https://www.facebook.com/bibblan-moderering/posts/{external_id}",
            "parent": parent.external_id if parent else None,
        },
    )
    return item


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def read(archive_file) -> bytes:
    with archive_file.file.open("rb") as handle:
        return handle.read()


def read_json(archive_file) -> dict:
    return json.loads(read(archive_file).decode("utf-8"))


@pytest.fixture
def at_job_moment(time_machine):
    time_machine.move_to(JOB_MOMENT, tick=True)
    return JOB_MOMENT


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run what the outbox hands over after commit, here and now (tasks run in-process)."""

    def runner():
        return django_capture_on_commit_callbacks(execute=True)

    return runner


@pytest.fixture
def thread_items(channel, at_job_moment):
    """A question with two replies, a comment with one, and a lone comment, in March."""
    question = add_item(channel, "q1", at=received(2), kind="question")
    add_item(channel, "q1-r1", at=received(2, 13), parent=question)
    comment = add_item(channel, "c1", at=received(3))
    add_item(channel, "q1-r2", at=received(4), parent=question)
    add_item(channel, "c1-r1", at=received(5), parent=comment)
    add_item(channel, "c2", at=received(6))
    return Item.objects.filter(channel=channel)
