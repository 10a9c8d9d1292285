from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from atvida_social import celery_app

FILESYSTEM_TRANSPORT = "atvida_social.scheduling.transport:Transport"
SNAPSHOTS = "archiving.tasks.take_scheduled_snapshots"
INTEGRITY = "archiving.tasks.check_archive_integrity"
PURGE = "archiving.tasks.cull_trivial_items"


@contextmanager
def celery_on(url: str, *, transport: str | None = None, options: dict | None = None):
    """Celery publishes to the broker at `url` for real (no in-process shortcut) until the
    block ends, as a web process of that configuration would."""
    keys = (
        "broker_url",
        "broker_read_url",
        "broker_write_url",
        "broker_transport",
        "broker_transport_options",
        "task_always_eager",
    )
    before = {key: celery_app.conf.get(key) for key in keys}
    _forget_connections()
    celery_app.conf.update(
        broker_url=url,
        broker_read_url=url,
        broker_write_url=url,
        broker_transport=transport,
        broker_transport_options=options or {},
        task_always_eager=False,
    )
    try:
        yield
    finally:
        celery_app.conf.update(before)
        _forget_connections()


def _forget_connections() -> None:
    # The app keeps its broker connection pool; another broker needs a fresh one.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def file_queue(tmp_path) -> Path:
    """The embedded default's broker, in a folder of its own: the folder messages wait in."""
    queue = tmp_path / "queue"
    queue.mkdir()
    (tmp_path / "control").mkdir()
    options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(tmp_path / "control"),
    }
    with celery_on("filesystem://localhost/", transport=FILESYSTEM_TRANSPORT, options=options):
        yield queue


@pytest.fixture(
    params=[
        pytest.param("filesystem", marks=pytest.mark.embedded),
        pytest.param("redis", marks=pytest.mark.redis),
    ],
)
def real_broker(request, tmp_path):
    """Each broker a worker can run on: the embedded default's files, and Redis (in the
    pass that has it)."""
    if request.param == "filesystem":
        yield request.getfixturevalue("file_queue")
        return
    with celery_on(settings.CELERY_BROKER_URL, options=settings.CELERY_BROKER_TRANSPORT_OPTIONS):
        celery_app.control.purge()  # nothing left over from an earlier run
        yield None
