"""A scheduled snapshot made by a real Celery worker over the real Redis broker, on
PostgreSQL: each step goes through the broker, the parts as separate tasks."""

import datetime
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.utils import timezone

from archiving import rendering, services, tasks
from archiving.models import FileRole, RunStatus, Snapshot, SnapshotRun
from atvida_social import celery_app
from atvida_social.outbox.models import OutboxMessage
from tests.outbox.conftest import broker

from .conftest import pdf_text, read

ROOT = Path(__file__).resolve().parent.parent.parent

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


def _worker_process(log_path, env: dict) -> subprocess.Popen:
    """A real worker in a process of its own, so that it can be killed outright."""
    with open(log_path, "w") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "atvida_social",
                "worker",
                "--pool",
                "solo",
                "--queues",
                "celery,rendering",
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _rendering_a_part_after_one_done(run) -> bool:
    """A part is done and the worker has begun another part's render (its outbox row
    started, not completed): the message it holds is not acknowledged."""
    run.refresh_from_db()
    done = set(run.parts.filter(finished_at__isnull=False).values_list("number", flat=True))
    begun = OutboxMessage.objects.filter(
        task_name="archiving.tasks.render_volume",
        started_at__isnull=False,
        completed_at__isnull=True,
    ).values_list("args", flat=True)
    return bool(done) and any(args[1] not in done for args in begun)


def test_a_worker_killed_mid_run_loses_a_part_the_reconciler_hands_over_again(
    channel, thread_items, tmp_path
):
    """SIGKILL while the parts are rendered: the part it held stays unacknowledged in Redis
    for the visibility timeout (half an hour); the reconciler hands the missing parts over
    again and a new worker finishes the snapshot."""
    database = connection.settings_dict
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO"))
    } | {
        "DJANGO_SETTINGS_MODULE": "atvida_social.settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "VAR_DIR": str(tmp_path),
        "ARCHIVE_VOLUME_ITEMS": "1",  # six small parts
        # This test process's own keys on Redis (atvida_social/settings_test.py).
        "CELERY_KEY_PREFIX": settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("global_keyprefix", ""),
    }
    with broker(settings.CELERY_BROKER_URL):
        celery_app.control.purge()
        killed = _worker_process(tmp_path / "killed.log", env)
        try:
            [run] = services.schedule_half_year_snapshots()
            # Killed once a part is done and the worker is inside the next one's render.
            # A worker starting on a busy machine (the suite in two processes beside the
            # browser tests) may take a minute before its first part.
            deadline = time.monotonic() + 240
            while not _rendering_a_part_after_one_done(run) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert _rendering_a_part_after_one_done(run), (tmp_path / "killed.log").read_text()
            os.kill(killed.pid, signal.SIGKILL)
            killed.wait(timeout=10)
        finally:
            if killed.poll() is None:
                os.kill(killed.pid, signal.SIGKILL)
                killed.wait(timeout=10)
        run.refresh_from_db()
        assert run.status == RunStatus.RENDERING, (tmp_path / "killed.log").read_text()
        assert 1 <= run.volumes_done < run.volumes_total

        services.reconcile_snapshot_runs(now=timezone.now() + datetime.timedelta(days=365))
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, queues=["celery", "rendering"]
        ):
            run = _wait_for_run(60)

    assert run.status == RunStatus.DONE, run.error
    snapshot = Snapshot.objects.get(run=run)
    assert (snapshot.items, snapshot.volumes) == (6, run.volumes_total)
    assert snapshot.files.count() == 2 * run.volumes_total + 1
