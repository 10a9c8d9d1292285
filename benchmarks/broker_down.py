"""How long an action that enqueues a task takes while Redis is down, and what
`manage.py relay_outbox` does then. Target: under a second per action (it took about 20 s per
task while each publish first waited for the Redis result backend's 20 reconnection
attempts), and the relay exiting non-zero at once.

Production's settings on a throwaway SQLite database (the broker's absence is the point, not
the database), with CELERY_BROKER_URL on a port nothing listens on, so the broker and the
result backend (which defaults to the broker's Redis) are both unreachable. Given a migrated
template database (BENCHMARK_TEMPLATE_DATABASE, benchmarks/environment.py) it runs on a
PostgreSQL copy of that in DATABASE_URL instead: the test suite does so, to save migrating a
database of its own. Each action is a transaction that enqueues a task through the outbox;
its after-commit hand-over meets the broker's refusal and leaves the task pending. Prints the
time per action and the relay's exit status and time.

    .venv/bin/python -m benchmarks.broker_down [--actions 20] [--tiny]

Measured on the shared 2-core machine at load 10: 68 ms per action (median of 20; the first,
which imports the tasks, 1.8 s), the relay exiting 1 after 15 s, nearly all of it Django
starting; before CELERY_TASK_IGNORE_RESULT one publish alone took 19.2 s, and the relay went
through every pending row and exited 0.
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography.fernet import Fernet

from benchmarks.environment import TEMPLATE_VARIABLE, create_database, parse_args

STOPPED_REDIS = "redis://127.0.0.1:1/0"


def _environment(workdir: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_RESULT_BACKEND", "REDIS_URL"}
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "atvida_social.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CREDENTIAL_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "VAR_DIR": str(workdir),
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "ERROR",
        "CELERY_BROKER_URL": STOPPED_REDIS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=20)
    args = parse_args(parser, tiny={"actions": 2})
    workdir = Path(tempfile.mkdtemp(prefix="atvida-broker-down-"))
    (workdir / "static").mkdir()
    env = _environment(workdir)
    if os.environ.get(TEMPLATE_VARIABLE) and os.environ.get("DATABASE_URL"):
        create_database(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    os.environ.clear()
    os.environ.update(env)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from atvida_social.outbox.models import OutboxMessage
    from atvida_social.outbox.services import enqueue

    call_command("migrate", verbosity=0)

    timings = []
    for number in range(args.actions):
        started = time.perf_counter()
        with transaction.atomic():
            enqueue("activityplans.tasks.send_plan_notification", number + 1, "to_sign")
        timings.append(time.perf_counter() - started)
    pending = OutboxMessage.objects.pending().count()

    started = time.perf_counter()
    relay = subprocess.run(
        [sys.executable, "manage.py", "relay_outbox"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    relay_seconds = time.perf_counter() - started

    print(f"actions: {args.actions}, pending afterwards: {pending}")
    print(f"relay_outbox: exit {relay.returncode} after {relay_seconds:.1f} s")
    print(
        f"per action {statistics.median(timings) * 1000:8.1f} ms (median), "
        f"{max(timings) * 1000:.1f} ms (slowest)"
    )


if __name__ == "__main__":
    main()
