"""Throughput of the public register against a trivial view of the same application.

Serves the application with gunicorn (2 workers, DEBUG off) on PostgreSQL with 300
published channels, then loads /sociala-medier and /favicon.ico (a redirect that touches no
database) for 20 s each at 32 connections with wrk, and prints requests/s, p99 latency and
the ratio. Target: the register reaches at least 0.8 of the trivial view's throughput.

    .venv/bin/python -m benchmarks.register_throughput [--seconds 20] [--channels 300] [--tiny]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and Debian's wrk; recreates the
database named in DATABASE_URL (default atvida_benchmark) and drops it at the end.
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from cryptography.fernet import Fernet

from benchmarks.environment import collected_static, create_database, parse_args

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/atvida_benchmark"
PORT = 8765

SEED = """
import django; django.setup()
from atvida_social.organisation.models import Administration, Unit, User
from atvida_social.organisation.roles import Role
from django.contrib.auth.models import Group
from channels import services
from channels.models import Channel, Party, PartyLink
import datetime
admin_units = []
for a in range(5):
    administration = Administration.objects.create(name=f"Förvaltning {a}")
    for u in range(6):
        admin_units.append(
            Unit.objects.create(administration=administration, name=f"Verksamhet {a}-{u}")
        )
info = User.objects.create(username="bench", unit=admin_units[0])
info.groups.add(Group.objects.get(name=Role.INFORMATION_UNIT))
Channel.objects.bulk_create([
    Channel(unit=admin_units[i % len(admin_units)], platform="facebook", account_name=f"Kanal {i}",
            url=f"https://www.facebook.com/kanal-{i}", status="aktiv",
            started_on=datetime.date(2025, 1, 1), contact_email="info@atvidaberg.se")
    for i in range(CHANNEL_COUNT)
])
for p in range(8):
    party = Party.objects.create(name=f"Parti {p}", term_start=2022, term_end=2026)
    PartyLink.objects.create(party=party, platform="facebook", url=f"https://www.facebook.com/parti-{p}")
print("version", services.publish_register(by=info).number)
"""


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kwargs)


def wrk(url: str, seconds: int) -> tuple[float, float, str]:
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99_ms = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rps, p99_ms, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--channels", type=int, default=300)
    args = parse_args(parser, tiny={"seconds": 1, "channels": 5})
    database_url = os.environ.get("DATABASE_URL", DATABASE_URL)
    if not database_url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (it is dropped and recreated).")
    db_name = urlparse(database_url).path.lstrip("/")
    if not shutil.which("wrk"):
        sys.exit("wrk saknas: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="atvida-bench-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "atvida_social.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CREDENTIAL_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": collected_static() or str(workdir / "static"),
        "VAR_DIR": str(workdir),
        "LOG_LEVEL": "WARNING",
    }
    python = sys.executable
    create_database(database_url)
    run([python, "manage.py", "migrate", "--noinput", "-v0"], env)
    if not collected_static():
        run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    run([python, "-c", SEED.replace("CHANNEL_COUNT", str(args.channels))], env)

    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "atvida_social.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(50):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        page = urllib.request.urlopen(f"{base}/sociala-medier", timeout=5).read().decode()
        if page.count('rel="noopener"') < args.channels:
            sys.exit("the register page does not list every channel")
        register_rps, register_p99, _ = wrk(f"{base}/sociala-medier", args.seconds)
        trivial_rps, trivial_p99, _ = wrk(f"{base}/favicon.ico", args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db_name], check=False
        )
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"channels published:   {args.channels}")
    print(f"/sociala-medier:      {register_rps:8.1f} req/s   p99 {register_p99:7.1f} ms")
    print(f"/favicon.ico trivial: {trivial_rps:8.1f} req/s   p99 {trivial_p99:7.1f} ms")
    ratio = register_rps / trivial_rps
    verdict = "met" if ratio >= 0.8 else "NOT met"
    print(f"ratio register/trivial: {ratio:.2f} (target >= 0.80: {verdict})")


if __name__ == "__main__":
    main()
