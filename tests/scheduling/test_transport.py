"""The embedded default's broker hands a worker only messages written whole."""

import json
import threading

import pytest
from django.db import transaction

from activityplans.tasks import send_plan_notification
from atvida_social import celery_app
from atvida_social.outbox.services import Outcome, enqueue, hand_over

pytestmark = pytest.mark.embedded


def _watch(folder, stop: threading.Event, seen: list) -> None:
    """A worker's view of the folder: read each message file the moment its name appears."""
    while not stop.is_set():
        for path in folder.glob("*.msg"):
            try:
                seen.append(json.loads(path.read_bytes()) is not None)
            except FileNotFoundError:
                continue
            except ValueError:
                seen.append(False)  # empty or half written


def test_a_message_is_visible_to_a_worker_only_once_written_whole(file_queue):
    stop, seen = threading.Event(), []
    watcher = threading.Thread(target=_watch, args=(file_queue, stop, seen))
    watcher.start()
    try:
        with celery_app.connection_for_write() as connection:
            queue = connection.SimpleQueue("probe")
            for number in range(20):
                queue.put({"number": number, "text": "x" * 2_000_000})
            received = [queue.get(timeout=5) for _ in range(20)]
            for message in received:
                message.ack()
            queue.close()
    finally:
        stop.set()
        watcher.join()

    assert sorted(message.payload["number"] for message in received) == list(range(20))
    assert seen
    assert all(seen), f"{seen.count(False)} of {len(seen)} reads found a partial message"
    assert list(file_queue.iterdir()) == [], "no temporary file is left behind"


@pytest.mark.django_db
def test_a_queue_folder_that_cannot_be_written_keeps_the_task_in_the_outbox(file_queue):
    file_queue.rmdir()  # the folder is gone (a full or unmounted disk behaves alike)
    with transaction.atomic():
        message = enqueue(send_plan_notification, 1, "to_sign")

    outcome = hand_over(message.pk)
    message.refresh_from_db()

    assert outcome is Outcome.BROKER_UNREACHABLE
    assert message.sent_at is None
    assert "cannot be used" in message.last_error
