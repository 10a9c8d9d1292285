"""`make run`: the development web server and, beside it, a Celery worker with the scheduler,
so that scheduled jobs happen on the embedded default without anything else installed, and
the processes apps register (scheduling/processes.py: the demo platform when it is on).
Ctrl+C (or SIGTERM) stops them all; if one stops by itself, the others are stopped too."""

import contextlib
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from atvida_social.scheduling.processes import registered_processes

# The worker's child process is replaced after this many tasks, giving back the memory a
# large PDF leaves behind (WeasyPrint); the same figure as the rendering worker in production.
MAX_TASKS_PER_CHILD = 20
# Seconds a process gets to stop; a worker's warm shutdown takes about ten (beat sleeps up to
# five seconds between its checks), more while a task finishes.
STOP_TIMEOUT = 30


def worker_command(*, loglevel: str = "INFO") -> list[str]:
    """One worker for every queue (the platform actions first) and the scheduler (beat) in it:
    enough for one machine."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "atvida_social",
        "worker",
        "--beat",
        "--queues",
        "platform,celery,rendering",
        # prefork with one child: time limits and --max-tasks-per-child need a child process.
        "--pool",
        "prefork",
        "--concurrency",
        "1",
        "--max-tasks-per-child",
        str(MAX_TASKS_PER_CHILD),
        "--hostname",
        "inbyggd@%h",
        "--loglevel",
        loglevel,
    ]


class Command(BaseCommand):
    help = (
        "Startar utvecklingsservern och en Celery-arbetare med schemaläggaren (beat) bredvid, "
        "så att schemalagda jobb körs. Ctrl+C stoppar båda."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-reload", action="store_true", help="Starta inte om servern vid kodändringar."
        )

    def handle(self, *args, addrport: str, no_reload: bool, **options):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write(
                "CELERY_BROKER_URL=memory:// kör uppgifterna i webbprocessen; "
                "ingen arbetare startas och inga schemalagda jobb körs."
            )
        manage = os.path.join(settings.BASE_DIR, "manage.py")
        server_command = [sys.executable, manage, "runserver", addrport]
        if no_reload:
            server_command.append("--noreload")
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        worker = server = None
        extras: list[subprocess.Popen] = []
        try:
            # Each in a process group of its own, so that a stop reaches the server's reloader
            # and its child, and the worker alone decides how its children stop.
            for process in registered_processes():
                command = process.command()
                if command is not None:
                    self.stdout.write(f"Startar {process.name}.")
                    extras.append(subprocess.Popen(command, process_group=0))  # noqa: S603
            if not settings.CELERY_TASK_ALWAYS_EAGER:
                worker = subprocess.Popen(worker_command(), process_group=0)  # noqa: S603
            server = subprocess.Popen(server_command, process_group=0)  # noqa: S603
            running = [process for process in (worker, server, *extras) if process]
            while not stopping and all(process.poll() is None for process in running):
                time.sleep(0.2)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            _stop(worker=worker, server=server, extras=extras)
        self.stdout.write("Server och arbetare har stoppats.")


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def _stop(
    *,
    worker: subprocess.Popen | None,
    server: subprocess.Popen | None,
    extras: list[subprocess.Popen] = (),
) -> None:
    """SIGTERM, then SIGKILL to whatever is left after STOP_TIMEOUT. The worker's main process
    alone gets the SIGTERM: it finishes the task at hand and stops its children itself (a
    warm shutdown); a task cut short by the SIGKILL goes back to the queue."""
    if worker is not None and worker.poll() is None:
        worker.terminate()
    for process in (server, *extras):
        if process is not None and process.poll() is None:
            _signal_group(process, signal.SIGTERM)  # the reloader and the serving child alike
    deadline = time.monotonic() + STOP_TIMEOUT
    for process in (worker, server, *extras):
        if process is None:
            continue
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        _signal_group(process, signal.SIGKILL)
        process.wait()
