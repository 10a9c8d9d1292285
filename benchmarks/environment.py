"""The set-up the PostgreSQL benchmarks share: a freshly created database and the production
settings pointed at it, with throwaway secrets and a temporary data directory."""

import argparse
import os
import secrets
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from cryptography.fernet import Fernet


def fresh_database(database_url: str, *, prefix: str, **settings: str) -> Path:
    """Drop and create the database in `database_url`, set the environment Django reads, and
    return the temporary directory used for var/. `settings` are further environment values;
    CELERY_BROKER_URL is removed unless given (tasks then run in the benchmark's process)."""
    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    host = ["-h", parsed.hostname or "127.0.0.1", "-U", parsed.username or "postgres"]
    subprocess.run(["dropdb", *host, "--if-exists", name], check=True)
    subprocess.run(["createdb", *host, name], check=True)
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    (workdir / "static").mkdir()
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ |= {
        "DJANGO_SETTINGS_MODULE": "atvida_social.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CREDENTIAL_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(workdir),
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING",
        **settings,
    }
    return workdir


def parse_args(parser: argparse.ArgumentParser, *, tiny: dict) -> argparse.Namespace:
    """The parser's arguments, plus `--tiny`: the sizes in `tiny` instead, small enough for the
    test suite to run the benchmark once in seconds (its figures then mean nothing)."""
    parser.add_argument("--tiny", action="store_true", help=f"a smoke run at a tiny size: {tiny}")
    args = parser.parse_args()
    if args.tiny:
        vars(args).update(tiny)
    return args
