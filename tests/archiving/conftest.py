import datetime
import io
import json

import pytest
from pypdf import PdfReader

from moderation import services as moderation
from moderation.models import Item

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
