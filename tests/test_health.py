import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
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
