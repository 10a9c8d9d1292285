"""The statistics page for a municipality's year on PostgreSQL:
100 channels in 10 units and 1,000,000 items received during 2025. Target: p95 of the page
under 500 ms, with the same number of queries whatever the number of items.

Recreates the database named in DATABASE_URL (default atvida_h_stats_bench on 127.0.0.1),
migrates it, generates the items with one SQL statement (nine in ten from the public with a
deadline of one day, most settled with a response time, some late, some still open, one in
fifty removed for a breach) and their facts with another (`record_missing_facts`, as the
services would have written them), runs `refresh_statistics(2025)` (the hourly job) and times
it, then requests the page and the CSV through Django's test client as Informationsenheten (the
whole municipality by unit), as a unit's operator (the unit by channel) and with a channel
filter. Prints the refresh time, p50/p95/max per request kind and the queries per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atvida_h_stats_bench \\
        .venv/bin/python -m benchmarks.statistics_page [--items 1000000] [--requests 50] [--tiny]
"""

import argparse
import os
import statistics
import sys
import time

from benchmarks.environment import collected_static, fresh_database, parse_args

YEAR = 2025
KINDS = ["comment", "comment", "comment", "question", "question", "message", "report", "post"]
CATEGORIES = ["fortal", "hets", "reklam", "svordomar", "personuppgifter"]

# Item g: channel g % 100, spread evenly over the year; kind by g % 8 (post: no deadline);
# of those with a deadline, g % 20 = 0 still open, the others settled after (g * 7919) % 60000
# working seconds (about 0-17 h), late when over 32400 (9 h); g % 50 = 1 removed.
GENERATE = """
INSERT INTO moderation_item (
    channel_id, kind, external_id, author, text, links, url, received_at, status, due_at,
    settled_at, sla_met, response_seconds, removed_category, diarienummer, created_at
)
SELECT
    (%(channels)s::int[])[g %% 100 + 1],
    kind,
    'b-' || g,
    'Person ' || (g %% 5000),
    'Hur dags öppnar biblioteket på lördag? ' || g,
    '[]'::jsonb,
    '',
    received,
    CASE WHEN kind = 'post' THEN 'publicerad'
         WHEN g %% 20 = 0 THEN 'ny'
         WHEN g %% 50 = 1 THEN 'borttagen'
         ELSE 'besvarad' END,
    CASE WHEN kind <> 'post' THEN received + interval '1 day' END,
    CASE WHEN kind <> 'post' AND g %% 20 <> 0
         THEN received + (g::bigint * 7919 %% 60000) * interval '1 second' END,
    CASE WHEN kind <> 'post' AND g %% 20 <> 0 THEN (g::bigint * 7919 %% 60000) <= 32400 END,
    CASE WHEN kind <> 'post' AND g %% 20 <> 0 THEN g::bigint * 7919 %% 60000 END,
    CASE WHEN kind <> 'post' AND g %% 20 <> 0 AND g %% 50 = 1
         THEN (%(categories)s::text[])[g %% 5 + 1] ELSE '' END,
    '',
    now()
FROM (
    SELECT g,
           (%(kinds)s::text[])[g %% 8 + 1] AS kind,
           %(start)s::timestamptz + (g::float8 / %(n)s) * interval '365 days' AS received
    FROM generate_series(1, %(n)s) AS g
) AS series
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parse_args(parser, tiny={"items": 2000, "requests": 2})
    database_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/atvida_h_stats_bench"
    )
    if not database_url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (it is dropped and recreated).")
    fresh_database(database_url, prefix="atvida-statistics-bench-")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", "--noinput", verbosity=0)
    if not collected_static():
        call_command("collectstatic", "--noinput", verbosity=0)
    from moderation.services import statistics as moderation_statistics

    users, channel_ids, unit_ids = _organisation()
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            GENERATE,
            {
                "channels": channel_ids,
                "kinds": KINDS,
                "categories": CATEGORIES,
                "start": f"{YEAR}-01-01T00:00:00+01:00",
                "n": args.items,
            },
        )
        moderation_statistics.record_missing_facts()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE moderation_item")
        cursor.execute("VACUUM ANALYZE moderation_itemfact")
    print(
        f"PostgreSQL {connection.pg_version // 10000}; {args.items:,} items, "
        f"{len(channel_ids)} channels in {len(unit_ids)} units, {YEAR}; "
        f"generated in {time.perf_counter() - start:.1f} s"
    )

    start = time.perf_counter()
    rows = moderation_statistics.refresh_statistics(YEAR)
    print(f"refresh_statistics({YEAR}): {rows} rows in {time.perf_counter() - start:.2f} s")

    _measure(users, channel_ids, unit_ids, args.requests)


def _organisation():
    from django.contrib.auth.models import Group

    from atvida_social.organisation.models import Administration, Unit, User
    from atvida_social.organisation.roles import Role
    from channels.models import Channel

    administration = Administration.objects.create(name="Kommunledningsförvaltningen")
    units = [
        Unit.objects.create(administration=administration, name=f"Verksamhet {n}")
        for n in range(10)
    ]
    channels = [
        Channel.objects.create(
            unit=units[n % 10],
            platform="facebook",
            account_name=f"Kanal {n}",
            url=f"https://www.facebook.com/atvidaberg-bench-{n}",
            status="aktiv",
            started_on="2024-01-01",
            contact_email="info@atvidaberg.se",
        )
        for n in range(100)
    ]
    info = User.objects.create(username="ingrid", unit=units[0])
    info.groups.add(Group.objects.get(name=Role.INFORMATION_UNIT))
    operator = User.objects.create(username="dagny", unit=units[3])
    operator.groups.add(Group.objects.get(name=Role.DAILY_OPERATOR))
    return (
        {"Informationsenheten": info, "Daglig drift": operator},
        [channel.pk for channel in channels],
        [unit.pk for unit in units],
    )


def _measure(users, channel_ids, unit_ids, requests: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cases = [
        ("page, whole municipality", "Informationsenheten", "/moderering/statistik/", {}),
        ("page, one unit", "Informationsenheten", "/moderering/statistik/", {"unit": unit_ids[3]}),
        ("page, one channel", "Informationsenheten", "/moderering/statistik/",
         {"channel": channel_ids[7]}),
        ("page, own unit", "Daglig drift", "/moderering/statistik/", {}),
        ("CSV, whole municipality", "Informationsenheten", "/moderering/statistik.csv", {}),
    ]  # fmt: skip
    print(f"{'request':<28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}")
    for label, role, url, query in cases:
        client = Client()
        client.force_login(users[role])
        query = {"year": str(YEAR), **query}
        response = client.get(url, query)  # warm-up: templates, caches
        if response.status_code != 200:
            sys.exit(f"{label}: {response.status_code}")
        timings = []
        for _ in range(requests):
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, query)
            timings.append((time.perf_counter() - began) * 1000)
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        print(
            f"{label:<28} {statistics.median(timings):8.1f} {p95:8.1f} {timings[-1]:8.1f} "
            f"{len(queries.captured_queries):8d}"
        )


if __name__ == "__main__":
    main()
