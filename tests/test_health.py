import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_reports_a_reachable_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="")
def test_healthz_leaves_out_the_broker_when_none_is_configured(client):
    assert "broker" not in client.get("/healthz").json()


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_reports_an_unreachable_broker_but_stays_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == "unavailable"


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_reports_the_real_redis_broker(client):
    assert client.get("/healthz").json()["broker"] == "ok"


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    """A real connection attempt to a closed port, in a process of its own."""
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "atvida_social.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/unreachable",
        "VAR_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "testserver",
    }

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["database"] == "unavailable"


# --- The scheduler and the outbox ------------------------------------------------------------


@pytest.fixture
def scheduler_ran(db, time_machine):
    """The reconciler, which beat sends every minute, last ran at 10:00 UTC."""
    from atvida_social.scheduling.health import record_heartbeat

    moment = datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC)
    time_machine.move_to(moment, tick=False)
    record_heartbeat()
    return moment


@pytest.mark.django_db
def test_healthz_shows_when_the_scheduler_last_ran(client, scheduler_ran, time_machine):
    time_machine.move_to(scheduler_ran + datetime.timedelta(minutes=2), tick=False)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["scheduler_last_ran"] == "2026-12-06T10:00:00+00:00"
    assert response.json()["scheduler_stale"] is False


@pytest.mark.django_db
def test_a_stale_scheduler_answers_503_and_is_mailed_once_per_episode(
    client, scheduler_ran, time_machine, ingrid, settings
):
    from atvida_social.scheduling.health import record_heartbeat

    settings.ADMINS = [("Drift", "drift@atvidaberg.se")]
    stale = scheduler_ran + datetime.timedelta(seconds=settings.SCHEDULER_STALE_AFTER + 1)
    time_machine.move_to(stale, tick=False)

    first = client.get("/healthz")
    second = client.get("/healthz")
    mailed_in_first_episode = len(mail.outbox)
    time_machine.move_to(stale + datetime.timedelta(minutes=1), tick=False)
    record_heartbeat()  # the scheduler is back...
    time_machine.move_to(stale + datetime.timedelta(hours=1), tick=False)  # ...and stops again
    client.get("/healthz")

    assert (first.status_code, second.status_code) == (503, 503)
    assert first.json()["scheduler_stale"] is True
    assert mailed_in_first_episode == 2
    assert sorted(to for message in mail.outbox[:2] for to in message.to) == [
        "drift@atvidaberg.se",
        ingrid.email,
    ]
    assert mail.outbox[0].subject == "Schemalagda jobb körs inte"
    assert "Inga schemalagda jobb har körts sedan 2026-12-06 11:00" in mail.outbox[0].body
    assert len(mail.outbox) == 4  # the second episode mailed again, once


@pytest.mark.django_db
def test_a_stale_scheduler_mail_that_fails_is_tried_again(
    client, scheduler_ran, time_machine, ingrid, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    time_machine.move_to(scheduler_ran + datetime.timedelta(hours=1), tick=False)

    client.get("/healthz")  # the mail server is down: a real refused connection
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.get("/healthz")

    assert [message.to for message in mail.outbox] == [[ingrid.email]]


@pytest.mark.django_db
def test_an_outbox_message_waiting_too_long_answers_503(client, settings, time_machine):
    from atvida_social.outbox.services import enqueue

    start = datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC)
    time_machine.move_to(start, tick=False)
    with transaction.atomic():
        enqueue("tests.outbox.record_effect", "x")  # never handed over: no commit runs it
    time_machine.move_to(
        start + datetime.timedelta(seconds=settings.OUTBOX_STUCK_AFTER + 1), tick=False
    )

    response = client.get("/healthz")
    database_only = client.get("/healthz?database")

    assert response.status_code == 503
    assert response.json()["outbox_stuck"] is True
    assert response.json()["outbox_oldest_pending_seconds"] == settings.OUTBOX_STUCK_AFTER + 1
    assert database_only.status_code == 200


@pytest.mark.django_db
def test_informationsenheten_sees_a_stopped_scheduler_on_the_start_page(
    client, scheduler_ran, time_machine, ingrid, alice
):
    time_machine.move_to(scheduler_ran + datetime.timedelta(hours=1), tick=False)

    client.force_login(ingrid)
    page = client.get("/").content.decode()
    client.force_login(alice)
    other = client.get("/").content.decode()

    assert "Schemalagda jobb har inte körts sedan 2026-12-06 11:00" in page
    assert "Schemalagda jobb har inte körts" not in other


@pytest.mark.django_db
def test_check_scheduler_mails_and_exits_non_zero_when_the_scheduler_is_stale(
    scheduler_ran, time_machine, ingrid
):
    time_machine.move_to(scheduler_ran + datetime.timedelta(hours=1), tick=False)

    with pytest.raises(CommandError, match="Schemalagda jobb har inte körts sedan"):
        call_command("check_scheduler")

    assert [message.to for message in mail.outbox] == [[ingrid.email]]
