"""Decisions carried out on the platforms go before everything else a worker has waiting: a
rule's hiding of a personnummer ("ska omedelbart tas bort") must not queue behind a backlog of
pulls. Their task has a queue of its own, every general worker names it first, and on Redis a
worker asks its queues in that order every time."""

import re
import shlex
import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from atvida_social import celery_app
from atvida_social.scheduling.management.commands.runall import worker_command

from .conftest import celery_on

ROOT = Path(__file__).resolve().parents[2]
RAN: list[str] = []


@celery_app.task(name="tests.scheduling.pull_in_the_backlog")
def pull_in_the_backlog(number: int):
    time.sleep(0.2)
    RAN.append(f"pull {number}")


@celery_app.task(name="tests.scheduling.hiding")
def hiding(number: int):
    RAN.append(f"hiding {number}")


def _queues(command: list[str]) -> list[str]:
    flag = "--queues" if "--queues" in command else "-Q"
    return command[command.index(flag) + 1].split(",")


def _general_workers() -> dict[str, list[str]]:
    """Every way this project starts a worker that serves the general queue."""
    procfile = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    unit = (ROOT / "deploy/systemd/atvida-social-worker.service").read_text()
    [exec_start] = re.findall(r"^ExecStart=(.*)$", unit, re.MULTILINE)
    return {
        "Procfile": shlex.split(procfile["worker"]),
        "systemd": shlex.split(exec_start),
        "make run": worker_command(),
    }


def test_platform_actions_have_a_queue_of_their_own():
    router = celery_app.amqp.router

    assert (
        router.route({}, "moderation.tasks.carry_out_platform_action")["queue"].name == "platform"
    )
    assert router.route({}, "moderation.tasks.pull_connection")["queue"].name == "celery"


@pytest.mark.parametrize("where", ["Procfile", "systemd", "make run"])
def test_every_general_worker_asks_the_platform_queue_first(where):
    queues = _queues(_general_workers()[where])

    assert queues[:2] == ["platform", "celery"]


@pytest.mark.redis
def test_hidings_waiting_go_before_a_backlog_of_pulls_on_a_real_worker():
    """Two hidings wait behind three pulls queued before them. kombu's default (taking turns)
    would run a pull between the two hidings; asked in order, both run first."""
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("Needs Redis (the PostgreSQL and Redis pass).")
    RAN.clear()
    with celery_on(settings.CELERY_BROKER_URL, options=settings.CELERY_BROKER_TRANSPORT_OPTIONS):
        celery_app.control.purge()
        for number in range(3):
            pull_in_the_backlog.apply_async((number,), queue="celery")
        for number in range(2):
            hiding.apply_async((number,), queue="platform")
        queues = _queues(worker_command())
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, queues=queues, shutdown_timeout=20
        ):
            deadline = time.monotonic() + 20
            while len(RAN) < 5 and time.monotonic() < deadline:
                time.sleep(0.05)

    assert RAN == ["hiding 0", "hiding 1", "pull 0", "pull 1", "pull 2"]
