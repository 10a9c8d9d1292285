"""The production configuration: what the application does with DEBUG off.

The settings module reads the environment once, at import, so the environment-dependent
rules run in a process of their own; the rest use the real settings values in-process.
"""

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings

import atvida_social.settings as base
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.embedded

ROOT = Path(__file__).resolve().parent.parent
HOST = "sociala.example.se"
BOOTSTRAP = "vendor/bootstrap-5.3.9"
BOOTSTRAP_CSS = f"{BOOTSTRAP}/css/bootstrap.min.css"
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

HEADERS_SCRIPT = """
import json, django
django.setup()
from django.test import Client
client = Client()
https = client.get("/logga-in/", secure=True, HTTP_HOST=%(host)r)
plain = client.get("/logga-in/", HTTP_HOST=%(host)r)
print(json.dumps({
    "status": https.status_code,
    "headers": dict(https.headers),
    "cookies": {
        name: {"secure": bool(morsel["secure"]), "samesite": morsel["samesite"]}
        for name, morsel in https.cookies.items()
    },
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
}))
"""


def _production_secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + string.punctuation
    return "".join(secrets.choice(alphabet) for _ in range(64))


# DJANGO_ALLOW_ASYNC_UNSAFE is set by tests/conftest.py for Playwright, never in production.
NOT_INHERITED = {
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    return (
        env | {"DJANGO_SETTINGS_MODULE": "atvida_social.settings", "VAR_DIR": str(tmp_path)} | extra
    )


def _production_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    return _environment(
        tmp_path,
        DEBUG="false",
        SECRET_KEY=_production_secret_key(),
        ALLOWED_HOSTS=HOST,
        CREDENTIAL_KEYS=Fernet.generate_key().decode(),
        **extra,
    )


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """collectstatic with the production storage, once for the module's tests."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=static_root, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    return static_root


def test_app_refuses_to_start_without_secret_key_when_debug_is_off(tmp_path):
    env = _production_environment(tmp_path)
    del env["SECRET_KEY"]

    result = _run(["manage.py", "check"], env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_deploy_check_finds_no_issues_in_production_environment(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _production_environment(tmp_path),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.fixture(scope="module")
def production_login_page(collected_static, tmp_path_factory):
    """GET /logga-in/ over https and over plain http, in a production process."""
    var_dir = tmp_path_factory.mktemp("var")
    env = _production_environment(var_dir, STATIC_ROOT=str(collected_static))

    result = _run(["-c", HEADERS_SCRIPT % {"host": HOST}], env)

    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_for_a_year_including_subdomains(production_login_page):
    hsts = production_login_page["headers"]["Strict-Transport-Security"]
    directives = [part.strip() for part in hsts.split(";")]
    max_age = next(int(d.split("=", 1)[1]) for d in directives if d.startswith("max-age="))

    assert production_login_page["status"] == 200
    assert max_age >= 31_536_000
    assert "includeSubDomains" in directives


def test_production_csrf_cookie_is_secure_and_same_site_lax(production_login_page):
    cookie = production_login_page["cookies"]["csrftoken"]

    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"


def test_production_redirects_plain_http_to_https(production_login_page):
    assert production_login_page["plain_status"] == 301
    assert production_login_page["plain_location"] == f"https://{HOST}/logga-in/"


@override_settings(DEBUG=False)
def test_seed_demo_refuses_to_run_when_debug_is_off():
    """It refuses before touching the database (this test has none to touch)."""
    with pytest.raises(CommandError, match="seed_demo körs bara när DEBUG är på") as refused:
        call_command("seed_demo")

    assert refused.value.returncode != 0


def test_production_hashes_passwords_with_argon2():
    user = UserFactory.build()

    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        user.set_password(TEST_PASSWORD)

    assert user.password.startswith("argon2")


def test_password_validators_refuse_short_common_numeric_password_in_swedish():
    with pytest.raises(ValidationError) as refused:
        validate_password("12345")

    messages = " ".join(refused.value.messages)
    assert "för kort" in messages
    assert "för vanligt" in messages
    assert "numeriskt" in messages


def test_collectstatic_with_production_storage_hashes_the_bootstrap_css(collected_static):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())

    hashed = manifest["paths"][BOOTSTRAP_CSS]
    assert hashed != BOOTSTRAP_CSS
    assert hashed.startswith(f"{BOOTSTRAP}/css/bootstrap.min.")
    assert (collected_static / hashed).is_file()


@pytest.mark.parametrize(
    "source_map", ["css/bootstrap.min.css.map", "js/bootstrap.bundle.min.js.map"]
)
def test_collectstatic_keeps_the_source_maps_bootstrap_refers_to(collected_static, source_map):
    """The manifest storage fails on a sourceMappingURL to a missing file, so they must ship."""
    manifest = json.loads((collected_static / "staticfiles.json").read_text())

    assert (collected_static / manifest["paths"][f"{BOOTSTRAP}/{source_map}"]).is_file()
