"""The set-up the PostgreSQL benchmarks share: a freshly created database and the production
settings pointed at it, with throwaway secrets and a temporary data directory.

A fresh database is empty, and each benchmark migrates it. With BENCHMARK_TEMPLATE_DATABASE
naming a database on the same server that is already migrated, it is created as a copy of that
one instead (CREATE DATABASE ... TEMPLATE, well under a second), and the benchmark's `migrate`
finds nothing to do: tests/test_benchmarks.py migrates one template for all the benchmarks.
In the same way BENCHMARK_STATIC_ROOT names static files already collected (collectstatic with
production's compressed manifest storage takes some 17 s of CPU), used instead of collecting
them again.
"""

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from cryptography.fernet import Fernet

TEMPLATE_VARIABLE = "BENCHMARK_TEMPLATE_DATABASE"
STATIC_VARIABLE = "BENCHMARK_STATIC_ROOT"


def collected_static() -> str | None:
    """The folder of static files already collected for the benchmark to use, if any."""
    return os.environ.get(STATIC_VARIABLE) or None


def create_database(database_url: str) -> None:
    """Drop the database in `database_url` and create it again: empty, or a copy of the
    migrated database named in BENCHMARK_TEMPLATE_DATABASE, if that is set."""
    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    host = ["-h", parsed.hostname or "127.0.0.1", "-U", parsed.username or "postgres"]
    if parsed.port:
        host += ["-p", str(parsed.port)]
    template = os.environ.get(TEMPLATE_VARIABLE)
    subprocess.run(["dropdb", *host, "--if-exists", name], check=True)
    subprocess.run(["createdb", *host, *(["-T", template] if template else []), name], check=True)


def fresh_database(database_url: str, *, prefix: str, **settings: str) -> Path:
    """Drop and create the database in `database_url`, set the environment Django reads, and
    return the temporary directory used for var/. `settings` are further environment values;
    CELERY_BROKER_URL is removed unless given (tasks then run in the benchmark's process)."""
    create_database(database_url)
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    (workdir / "static").mkdir()
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ |= {
        "DJANGO_SETTINGS_MODULE": "atvida_social.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CREDENTIAL_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(workdir),
        "STATIC_ROOT": collected_static() or str(workdir / "static"),
        "LOG_LEVEL": "WARNING",
        **settings,
    }
    return workdir


def parse_args(parser: argparse.ArgumentParser, *, tiny: dict) -> argparse.Namespace:
    """The parser's arguments, plus `--tiny`: the sizes in `tiny` instead, small enough for the
    test suite to run the benchmark once in seconds (its figures then mean nothing)."""
    parser.add_argument("--tiny", action="store_true", help=f"a smoke run at a tiny size: {tiny}")
    args = parser.parse_args()
    if args.tiny:
        vars(args).update(tiny)
    return args


def start_worker(*, concurrency: int, name: str, queues: str = "celery") -> subprocess.Popen:
    """A real Celery worker (prefork, `concurrency` processes) on the broker in the
    environment, in a session of its own so that `stop_worker` stops its whole tree."""
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "atvida_social",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            str(concurrency),
            "-Q",
            queues,
            "-O",
            "fair",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "WARNING",
            "-n",
            f"{name}-{secrets.token_hex(3)}@%h",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=os.environ.copy(),
        start_new_session=True,
    )


def stop_worker(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
