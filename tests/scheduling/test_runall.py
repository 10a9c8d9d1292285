"""`make run` (manage.py runall) on the embedded default: the web server and a worker with
the scheduler start together, a scheduled job runs, and Ctrl+C stops every process."""

import contextlib
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.embedded

ROOT = Path(__file__).resolve().parent.parent.parent
RELAY = "atvida_social.outbox.tasks.relay_outbox"
SUCCEEDED = re.compile(rf"Task {re.escape(RELAY)}\[[-0-9a-f]+\] succeeded")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _processes_with(var_dir: Path) -> list[int]:
    """Our own processes: those started with this test's VAR_DIR in their environment."""
    marker = f"VAR_DIR={var_dir}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
    return found


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def test_make_run_serves_pages_runs_scheduled_jobs_and_stops_on_ctrl_c(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "atvida_social.settings",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    # The relay runs every minute; as if its last run were long ago, beat sends it at once.
    with contextlib.closing(sqlite3.connect(tmp_path / "db.sqlite3")) as database, database:
        database.execute(
            "UPDATE django_celery_beat_periodictask SET last_run_at = '2020-01-01 00:00:00' "
            "WHERE task = ?",
            [RELAY],
        )
    port = _free_port()
    log = tmp_path / "run.log"
    with log.open("w") as output:
        runall = subprocess.Popen(
            [*manage, "runall", f"127.0.0.1:{port}", "--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        ran = _wait_for(lambda: SUCCEEDED.search(log.read_text()), 90)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            health = response.status
        runall.send_signal(signal.SIGINT)  # Ctrl+C
        runall.wait(timeout=60)
        left = _wait_for(lambda: not _processes_with(tmp_path), 10)
    finally:
        for pid in _processes_with(tmp_path):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    text = log.read_text()
    assert ran, text
    assert health == 200
    assert "beat: Starting..." in text
    assert f"Sending due task Utkorgen till meddelandekön, varje minut ({RELAY})" in text
    assert runall.returncode == 0
    assert "Server och arbetare har stoppats." in text
    assert left, "a process of make run outlived Ctrl+C"
