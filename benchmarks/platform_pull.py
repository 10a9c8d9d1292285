"""Platform pull benchmark: 10,000 comments across 100 Facebook pages pulled from the platform
simulator by a real Celery worker with two processes, on Redis and PostgreSQL, classification
and automatic hiding included.

Targets: at least 500 items/s end to end (from handing the pulls to the outbox to the last
comment stored), and from a comment's arrival in the tool (its item stored by the pull) to its
automatic hiding carried out on the platform, p95 under 10 seconds, with the worker running.

Recreates the database named in DATABASE_URL (default atvida_platform_bench on 127.0.0.1),
migrates it, makes 100 active Facebook channels with a connection each, and serves the
simulator over HTTP from this process (a thread, on a free loopback port) with one demo post
per page and --comments comments under it, one in twenty with a personnummer (hidden by the
starter rules). Then it starts a real worker (`celery worker --concurrency 2 --queues
platform,celery`, prefork, as in production, on the broker in CELERY_BROKER_URL) with
PLATFORM_SIMULATOR_URL pointing at the simulator, runs the scheduled job that hands every due
pull to the outbox, and waits until every comment is stored and every hiding is done on the
simulator. The worker's CPU time and the load average are
printed beside the clock: on a shared machine the clock also counts other people's work.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atvida_platform_bench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python -m benchmarks.platform_pull [--channels 100] [--comments 100] [--tiny]
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from benchmarks.environment import fresh_database, parse_args, start_worker, stop_worker

PERSONNUMMER_TEXT = "Min granne heter Olle, personnummer 811218-9876, och är sjuk."
TEXTS = [
    "När öppnar biblioteket på lördag?",
    "Tack för en fin sagostund i går!",
    "Varför är cykelbanan vid skolan inte plogad än?",
    "Bra initiativ med läxhjälpen, hoppas den fortsätter.",
    "Hur ansöker man om plats i förskolan till hösten?",
]
HIDE_EVERY = 20
TIMEOUT = 900


def _cpu_seconds(root_pid: int) -> float:
    """User and system CPU time of the worker's process tree, from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == root_pid or int(entry.name) == root_pid or int(fields[5]) == root_pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _serve_simulator():
    from moderation.platforms.simulator import app, server

    httpd = server.make_server("127.0.0.1", 0, state=app.STATE)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, app.STATE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=100)
    parser.add_argument("--comments", type=int, default=100, help="comments per channel")
    args = parse_args(parser, tiny={"channels": 2, "comments": 20})
    database_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/atvida_platform_bench"
    )
    broker_url = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/5")
    if not database_url.startswith("postgres") or not broker_url.startswith("redis"):
        sys.exit("Needs PostgreSQL (dropped and recreated) in DATABASE_URL and Redis.")
    fresh_database(database_url, prefix="atvida-platform-bench-", CELERY_BROKER_URL=broker_url)
    # The simulator answers from this process; its address is known once it is bound.
    os.environ["PLATFORM_SIMULATOR_URL"] = "http://127.0.0.1:1"
    os.environ["PLATFORM_SIMULATOR_ALLOWED"] = "true"
    import django

    django.setup()
    httpd, state = _serve_simulator()
    simulator_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    os.environ["PLATFORM_SIMULATOR_URL"] = simulator_url
    from django.conf import settings

    settings.PLATFORM_BASE_URLS = {
        name: f"{simulator_url}/{name}/" for name in settings.PLATFORM_BASE_URLS
    }

    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from atvida_social import celery_app
    from atvida_social.organisation.models import Administration, Unit, User
    from atvida_social.outbox.services import relay_pending
    from channels.models import Channel
    from moderation.models import Item, PlatformAction, PlatformConnection
    from moderation.platforms import demo
    from moderation.platforms.facebook import simulator as facebook
    from moderation.services import pulls

    call_command("migrate", "--noinput", verbosity=0)
    celery_app.control.purge()
    administration = Administration.objects.create(name="Kommunledningsförvaltningen")
    unit = Unit.objects.create(administration=administration, name="Biblioteket")
    ingrid = User.objects.create(username="ingrid", first_name="Ingrid", last_name="Info")
    ingrid.groups.add(Group.objects.get(name="Informationsenheten"))
    hidden_expected = 0
    for number in range(args.channels):
        channel = Channel.objects.create(
            unit=unit,
            platform="facebook",
            account_name=f"Sida {number}",
            url=f"https://www.facebook.com/atvidaberg-bench-{number}",
            status="aktiv",
            started_on="2025-01-01",
            contact_email="info@atvidaberg.se",
        )
        account = demo.demo_account_id(channel)
        token = f"demo-bench-{number}"
        facebook.seed_demo(state, account, token)
        post = state.listing("facebook", account, "post")[0]
        for index in range(args.comments):
            hide = index % HIDE_EVERY == HIDE_EVERY - 1
            hidden_expected += hide
            state.add(
                "facebook",
                account,
                "comment",
                PERSONNUMMER_TEXT if hide else TEXTS[index % len(TEXTS)],
                author=f"Invånare {index}",
                parent=post.id,
                created=time.time() - 3600 + index,
            )
        PlatformConnection.objects.create(
            channel=channel,
            platform="facebook",
            account_id=account,
            credentials=json.dumps(demo.demo_credentials(channel, account, token)),
            created_by=ingrid,
        )
    comments = args.channels * args.comments

    worker = start_worker(concurrency=2, name="platform-bench", queues="platform,celery")
    try:
        time.sleep(6)  # the worker connects and forks its pool
        cpu_before = _cpu_seconds(worker.pid)
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        handed = pulls.pull_due_connections()
        relay_pending()
        while Item.objects.filter(kind="comment").count() < comments:
            if time.perf_counter() - started > TIMEOUT:
                sys.exit(
                    f"Only {Item.objects.filter(kind='comment').count()} of {comments} "
                    f"comments stored after {TIMEOUT} s."
                )
            time.sleep(0.2)
        pulled = time.perf_counter() - started
        hides = PlatformAction.objects.filter(kind="hide")
        while hides.filter(done_at__isnull=False).count() < hidden_expected:
            if time.perf_counter() - started > TIMEOUT:
                sys.exit(
                    f"Only {hides.filter(done_at__isnull=False).count()} of {hidden_expected} "
                    f"hidings done after {TIMEOUT} s."
                )
            relay_pending()
            time.sleep(0.2)
        cpu = _cpu_seconds(worker.pid) - cpu_before
        load = (load_before + os.getloadavg()[0]) / 2
    finally:
        stop_worker(worker)
        httpd.shutdown()

    latencies = sorted(
        (action.done_at - action.item.created_at).total_seconds()
        for action in hides.select_related("item")
    )
    hidden_on_platform = sum(
        1
        for action in hides.select_related("item")
        if state.get("facebook", action.item.external_id).hidden
    )
    rate = comments / pulled
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)] if latencies else 0.0
    print(f"channels: {args.channels}, comments: {comments:,}, pulls handed over: {handed}")
    print(f"pulled and stored in {pulled:.1f} s; worker CPU {cpu:.1f} s; load {load:.1f}")
    print(
        f"hidden on the platform: {hidden_on_platform} of {hidden_expected}; arrival to "
        f"hiding: median {statistics.median(latencies) if latencies else 0:.2f} s, "
        f"p95 {p95:.2f} s (target < 10 s)"
    )
    print(f"throughput: {rate:,.0f} items/s (target >= 500 items/s)")


if __name__ == "__main__":
    main()
