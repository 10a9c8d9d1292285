"""A scheduled snapshot made by a real Celery worker over the real Redis broker, on
PostgreSQL: each step goes through the broker, the parts as separate tasks."""

import io
import time

import pikepdf
import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from archiving import rendering, tasks
from archiving.models import FileRole, RunStatus, Snapshot, SnapshotRun
from atvida_social import celery_app
from tests.outbox.conftest import broker

from .conftest import pdf_text, read

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def _wait_for_run(deadline_seconds: float = 90) -> SnapshotRun:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        run = SnapshotRun.objects.first()
        if run is not None and run.status in (RunStatus.DONE, RunStatus.FAILED):
            return run
        time.sleep(0.2)
    raise AssertionError(f"The snapshot was not made in time: {SnapshotRun.objects.first()}")


@pytest.fixture
def worker():
    with broker(settings.CELERY_BROKER_URL):
        celery_app.control.purge()
        # The parts are rendered on the "rendering" queue (CELERY_TASK_ROUTES), as in production.
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, queues=["celery", "rendering"]
        ):
            yield


def test_a_scheduled_snapshot_is_made_through_the_broker(channel, thread_items, settings, worker):
    settings.ARCHIVE_VOLUME_ITEMS = 3

    tasks.take_scheduled_snapshots.delay()
    run = _wait_for_run()

    assert run.status == RunStatus.DONE, run.error
    snapshot = Snapshot.objects.get(run=run)
    assert (snapshot.items, snapshot.volumes) == (6, 3)
    first = snapshot.files.get(role=FileRole.PDF, volume=1)
    data = read(first)
    with pikepdf.open(io.BytesIO(data)) as document:
        assert document.open_metadata()["pdfaid:part"] == "1"
    assert "Del 1 av 3" in pdf_text(data)
    assert snapshot.files.count() == 7


def test_a_part_failing_once_is_retried_by_the_worker_and_recorded_once(
    channel, thread_items, monkeypatch, worker
):
    real = rendering.write_json
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("Disken är full")
        return real(*args, **kwargs)

    monkeypatch.setattr(rendering, "write_json", flaky)

    tasks.take_scheduled_snapshots.delay()
    run = _wait_for_run()

    assert run.status == RunStatus.DONE, run.error
    assert len(calls) == 2
    assert Snapshot.objects.count() == 1
    assert Snapshot.objects.get().files.count() == 3
