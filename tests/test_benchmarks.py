"""Every benchmark runs once at its tiny size (`--tiny`) and prints its figures, so that a
broken benchmark fails the build instead of waiting to be found. The figures themselves mean
nothing at that size; the benchmarks' own docstrings say how to measure.

Each PostgreSQL benchmark recreates a database of its own; here every one of them is a copy of
one database migrated once for the module (BENCHMARK_TEMPLATE_DATABASE, benchmarks/
environment.py), not migrated again from nothing by each benchmark. The benchmarks still run
`migrate` themselves, which then finds nothing to do. Likewise the static files are collected
once for the benchmarks that serve pages (BENCHMARK_STATIC_ROOT)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection

from benchmarks.environment import STATIC_VARIABLE, TEMPLATE_VARIABLE, create_database

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = sorted(
    path.stem
    for path in (ROOT / "benchmarks").glob("*.py")
    if path.stem not in {"__init__", "environment"}
)

# What each benchmark prints last when it ran to the end; a new benchmark needs a line here.
FIGURES = {
    "broker_down": r"per action +[\d.]+ ms",
    "classification": r"target >= 20,000 items/s",
    "culling": r"peak RSS: \d+ MB",
    "platform_pull": r"throughput: [\d,]+ items/s",
    "ingest": r"throughput: [\d,]+ items/s",
    "queue_page": r"p95 +[\d.]+ ms",
    "register_throughput": r"ratio register/trivial: [\d.]+",
    "snapshots": r"peak memory at [\d,]+: \d+ MB",
    "statistics_page": r"CSV, whole municipality +[\d.]+",
}
NEEDS_POSTGRES = {
    "culling",
    "ingest",
    "platform_pull",
    "queue_page",
    "register_throughput",
    "snapshots",
    "statistics_page",
}
NEEDS_REDIS = {"platform_pull", "snapshots"}
# Runs on SQLite of its own, or on a copy of the migrated template where PostgreSQL is at hand.
TAKES_POSTGRES = {"broker_down"}
# Render pages with production's storage, whose manifest collectstatic writes.
NEEDS_STATIC = {"register_throughput", "statistics_page"}


def _marks(name: str) -> list:
    marks = []
    if name in NEEDS_POSTGRES:
        marks.append(pytest.mark.postgres)
    if name in NEEDS_REDIS:
        marks.append(pytest.mark.redis)
    return marks


def _database_url(name: str) -> str:
    """A database of the benchmark's own beside the test database, which it drops and
    recreates; on the test database's server."""
    server = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"))
    database = f"{connection.settings_dict['NAME']}_bench_{name}"
    return server._replace(path=f"/{database}").geturl()


def _drop(database_url: str) -> None:
    url = urlparse(database_url)
    server = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    server += ["-U", url.username or "postgres"]
    subprocess.run(["dropdb", *server, "--if-exists", url.path.lstrip("/")], check=False)


def _environment() -> dict:
    """This process's environment without what belongs to the test run."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    for variable in ("DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL", "REDIS_URL"):
        env.pop(variable, None)  # tasks run in the benchmark's process unless it needs Redis
    for variable in (TEMPLATE_VARIABLE, STATIC_VARIABLE):
        env.pop(variable, None)
    return env


def _production_environment(workdir: Path, **values: str) -> dict:
    """The production settings the benchmarks use, with throwaway secrets."""
    return _environment() | {
        "DJANGO_SETTINGS_MODULE": "atvida_social.settings",
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-setup-" + "x" * 40,
        "CREDENTIAL_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "testserver",
        "VAR_DIR": str(workdir),
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING",
        **values,
    }


def _manage(env: dict, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def template_database(tmp_path_factory):
    """The name of a database migrated once, with the production settings the benchmarks
    use, for each PostgreSQL benchmark's database to be created from; dropped at the end."""
    url = _database_url("template")
    env = _production_environment(tmp_path_factory.mktemp("bench-template"), DATABASE_URL=url)
    create_database(url)
    try:
        _manage(env, "migrate", "--noinput", "-v0")
        yield urlparse(url).path.lstrip("/")
    finally:
        _drop(url)


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> str:
    """Static files collected once, as production collects them, for the benchmarks that
    render pages."""
    workdir = tmp_path_factory.mktemp("bench-static")
    _manage(_production_environment(workdir), "collectstatic", "--noinput", "-v0")
    return str(workdir / "static")


def test_every_benchmark_says_what_it_prints():
    assert set(BENCHMARKS) == set(FIGURES)


@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=_marks(name), id=name) for name in BENCHMARKS]
)
def test_benchmark_runs_at_its_tiny_size(name, request):
    if name == "register_throughput" and not shutil.which("wrk"):
        pytest.skip("needs Debian's wrk (apt-get install wrk; CI installs it)")
    env = _environment()
    on_postgres = name in NEEDS_POSTGRES or (
        name in TAKES_POSTGRES and connection.vendor == "postgresql"
    )
    if on_postgres:
        env["DATABASE_URL"] = _database_url(name)
        env[TEMPLATE_VARIABLE] = request.getfixturevalue("template_database")
    if name in NEEDS_STATIC:
        env[STATIC_VARIABLE] = request.getfixturevalue("static_root")
    if name in NEEDS_REDIS:
        env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL

    try:
        done = subprocess.run(
            [sys.executable, "-m", f"benchmarks.{name}", "--tiny"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        if on_postgres:
            _drop(env["DATABASE_URL"])

    assert done.returncode == 0, done.stderr[-3000:] or done.stdout[-3000:]
    assert re.search(FIGURES[name], done.stdout), done.stdout[-3000:]
