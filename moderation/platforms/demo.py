"""The demo platform's Django side: `make run` starts the simulator's server beside the web
server (runall, when PLATFORM_SIMULATOR_URL names this machine), and `seed_demo` connects the
demo channels to it, writing the shared seed the server applies (simulator/seeding.py)."""

import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from atvida_social.organisation.models import User
from channels.models import Channel

from ..services.connections import save_connection
from . import registry
from .simulator import app as simulator_app
from .simulator.seeding import SEED_FILE_NAME, SeedEntry, read_seed_file, write_seed_file

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")
DEMO_TOKEN_PREFIX = "demo-"  # noqa: S105  (a prefix, not a secret)


def seed_file_path() -> Path:
    return Path(settings.VAR_DIR) / SEED_FILE_NAME


def simulator_command() -> list[str] | None:
    """The simulator's server for runall, when the demo platform is on and on this machine."""
    # Off ("" has no scheme) or on another machine: nothing to start here.
    parts = urlsplit(settings.PLATFORM_SIMULATOR_URL)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS:
        return None
    return [
        sys.executable,
        "-m",
        "moderation.platforms.simulator",
        "--host",
        parts.hostname,
        "--port",
        str(parts.port or 80),
        "--seed-file",
        str(seed_file_path()),
        "--trickle-seconds",
        str(settings.PLATFORM_SIMULATOR_TRICKLE_SECONDS),
    ]


def demo_account_id(channel: Channel) -> str:
    """A stable id in the shape of the platform's own (a blog's is its host name)."""
    api = registry.api_name(channel.platform)
    if api == "wordpress":
        return urlsplit(channel.url).hostname or f"blogg-{channel.pk}"
    if api == "youtube":
        return f"UCdemo{channel.pk:018d}"
    if api == "x":
        return str(10**18 + channel.pk)
    return str(10**15 + channel.pk)


def demo_credentials(channel: Channel, account_id: str, token: str) -> dict:
    """The connector's secrets for a demo token: the platform simulator's own
    `demo_credentials(account_id, token)` when it has one, else the token in every field."""
    module = simulator_app._module(registry.api_name(channel.platform))
    custom = getattr(module, "demo_credentials", None)
    if custom is not None:
        return custom(account_id, token)
    cls = registry.connector_class(channel.platform)
    return {name: token for name, _label in cls.SECRET_FIELDS}


def seed_connections(stdout) -> list[SeedEntry]:
    """Connect every active demo channel whose platform has a connector to the simulator, and
    write the seed file. Idempotent: a second run keeps the connections and tokens; a
    connection to another account (made by hand) is left alone."""
    if not settings.PLATFORM_SIMULATOR_URL:
        stdout.write("Demoplattform: av (PLATFORM_SIMULATOR_URL är inte satt).")
        return []
    by = User.objects.filter(username="info").first()
    if by is None:
        return []
    path = seed_file_path()
    known = {(entry.platform, entry.account): entry.token for entry in read_seed_file(path)}
    entries = []
    channels = Channel.objects.filter(status="aktiv").select_related("platform_connection")
    for channel in channels.order_by("pk"):
        if registry.connector_class(channel.platform) is None:
            continue
        api = registry.api_name(channel.platform)
        account_id = demo_account_id(channel)
        connection = getattr(channel, "platform_connection", None)
        if connection is not None and connection.account_id != account_id:
            continue
        token = known.get((api, account_id))
        if connection is None or token is None:
            token = token or DEMO_TOKEN_PREFIX + secrets.token_urlsafe(24)
            credentials = demo_credentials(channel, account_id, token)
            save_connection(channel, by=by, account_id=account_id, credentials=credentials)
        entries.append(SeedEntry(api, account_id, token))
    write_seed_file(path, entries)
    stdout.write(f"Demoplattform: {len(entries)} kanaler anslutna till simulatorn.")
    return entries
