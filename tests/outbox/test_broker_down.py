"""With Redis down (the broker and the result backend alike) an action that enqueues a task
gives up on the broker at once, keeping its task pending, and `manage.py relay_outbox` stops
at the first refusal with a non-zero exit status, the rows still pending."""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from activityplans.services.plans import submit_plan
from activityplans.tasks import send_plan_notification
from atvida_social import celery_app
from atvida_social.outbox.models import OutboxMessage
from atvida_social.outbox.services import Outcome, enqueue, hand_over
from tests.outbox.conftest import STOPPED_BROKER, broker

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def redis_stopped():
    """Production's shape with its Redis stopped: the broker and the result backend (which
    defaults to the broker's Redis) both on a port nothing listens on."""
    before = celery_app.conf.result_backend
    celery_app.conf.result_backend = STOPPED_BROKER
    _forget_backend()
    try:
        with broker(STOPPED_BROKER):
            yield
    finally:
        celery_app.conf.result_backend = before
        _forget_backend()


def _forget_backend() -> None:
    # The app keeps its result backend (per thread, or shared); another URL needs a new one.
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


def test_tasks_keep_no_result_and_the_result_backend_gives_up_after_one_retry():
    """Publishing a task that keeps its result first connects to the result backend, which
    retried 20 times (about 20 s) before the broker was even asked."""
    celery_app.loader.import_default_modules()
    keeping = sorted(
        name
        for name, task in celery_app.tasks.items()
        if not name.startswith("celery.") and not task.ignore_result
    )

    assert settings.CELERY_TASK_IGNORE_RESULT is True
    assert keeping == []
    assert settings.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS["retry_policy"]["max_retries"] <= 1


def test_an_action_with_redis_down_meets_the_broker_not_the_result_backend(
    plan, alice, django_capture_on_commit_callbacks
):
    with redis_stopped(), django_capture_on_commit_callbacks(execute=True):
        submit_plan(plan, by=alice)

    message = OutboxMessage.objects.get()
    assert message.sent_at is None
    assert message.attempts == 1
    # The broker's own refusal, not "Retry limit exceeded ... result store" after 20 tries.
    assert message.last_error.startswith("OperationalError"), message.last_error


def test_a_hand_over_with_redis_down_reports_the_broker_unreachable(
    plan, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        submit_plan(plan, by=alice)
    message = OutboxMessage.objects.get()

    with redis_stopped():
        outcome = hand_over(message.pk)

    assert outcome is Outcome.BROKER_UNREACHABLE


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_relay_outbox_exits_non_zero_at_once_when_redis_is_down(plan, alice, tmp_path):
    """The command as cron runs it: a process of its own with the production settings, its
    Redis a closed port."""
    with redis_stopped():
        submit_plan(plan, by=alice)  # its after-commit hand-over fails: pending, one attempt
        with transaction.atomic():
            later = enqueue(send_plan_notification, plan.pk, "to_sign")
    database = connection.settings_dict
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "atvida_social.settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "CELERY_BROKER_URL": STOPPED_BROKER,
        "VAR_DIR": str(tmp_path),
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "relay_outbox"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    first, second = OutboxMessage.objects.order_by("pk")
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Meddelandekön svarar inte" in result.stderr
    assert (first.sent_at, second.sent_at) == (None, None)
    assert second == later
    assert (first.attempts, second.attempts) == (2, 1)
    assert first.last_error.startswith("OperationalError"), first.last_error
