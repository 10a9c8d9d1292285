"""With no environment at all, the application runs on its embedded default."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.embedded

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "queue": settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in"),
    "email": settings.EMAIL_BACKEND,
    "media": str(settings.MEDIA_ROOT),
    "municipality": settings.MUNICIPALITY_NAME,
    "domains": settings.MUNICIPALITY_EMAIL_DOMAINS,
}))
"""


def test_no_environment_means_sqlite_a_file_queue_and_console_mail(tmp_path):
    env = {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path), "HOME": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "atvida_social.settings"

    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    facts = json.loads(result.stdout)
    assert facts["debug"] is True
    assert facts["engine"] == "django.db.backends.sqlite3"
    assert facts["db_name"].startswith(str(tmp_path))
    # Tasks wait in files under VAR_DIR for the worker `make run` starts (tests/scheduling).
    assert facts["eager"] is False
    assert facts["broker"].startswith("filesystem://")
    assert facts["queue"].startswith(str(tmp_path))
    assert facts["email"].endswith("console.EmailBackend")
    assert facts["media"].startswith(str(tmp_path))
    assert facts["municipality"] == "Åtvidabergs kommun"
    assert facts["domains"] == ["atvidaberg.se"]
    key_file = tmp_path / "credential.key"
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_production_refuses_to_start_without_credential_keys(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "VAR_DIR": str(tmp_path),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "atvida_social.settings",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "sociala.example.se",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "CREDENTIAL_KEYS" in result.stderr
    assert not (tmp_path / "credential.key").exists()
