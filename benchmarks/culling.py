"""Culling throughput: 1,000,000 items on PostgreSQL, half of them eligible. Targets: peak
memory under 300 MB, and at most twice the time of one plain SQL DELETE of the same rows,
measured in the same run.

Recreates the database named in DATABASE_URL (default atvida_culling_bench on 127.0.0.1),
migrates it and makes four channels with a snapshot each. The same items are generated
twice by one SQL statement, each with the capture its channel's snapshot recorded (text
shown, the SHA-256 of its text, as `take_snapshot` inserts them): first deleted by one
plain `DELETE … WHERE status = 'ringa' AND received_at < cutoff`, then culled by
`archiving.culling.services.cull` (review off, batches, each item checked again under lock,
its text's hash compared with the captured one, the culling log written per batch). Half
the items are old trivial ones (eligible), a quarter are answered and a quarter are trivial
but too young; a fifth are replies, always to an item of their own kind, so both deletions
take exactly the same rows. Prints both wall times, the ratio, the process's peak RSS.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atvida_culling_bench \\
        .venv/bin/python -m benchmarks.culling [--items 1000000] [--batch-size 5000] [--tiny]

Measured on the shared 2-core machine (PostgreSQL 15, load 4-12 from other work): 1.24,
1.61 and 1.38 times the plain DELETE (57.2 s, 70.0 s, 35.0 s), peak RSS 122-124 MB. Both
pay the same deferred foreign-key checks at commit (about 80 µs a deleted row), most of
the plain DELETE's time; culling adds per batch one locking read, the re-check, the
marker query and the record lines. With the snapshots' captures (the re-check compares each
item's text hash with the captured one, looked up per item): 1.19 times (45.0 s, 53.4 s),
peak RSS 129 MB. `--profile` times each kind of statement.
"""

import argparse
import datetime
import os
import resource
import sys
import time
from zoneinfo import ZoneInfo

from benchmarks.environment import fresh_database, parse_args

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=STOCKHOLM)

# ids equal g after RESTART IDENTITY; g % 4: 0, 2 old trivial, 1 answered, 3 trivial but young.
# Every tenth item (and the one after) answers the item four before it: same channel, same kind.
GENERATE = """
INSERT INTO moderation_item (
    channel_id, kind, external_id, author, text, links, url, received_at, parent_id, status,
    removed_category, diarienummer, created_at
)
SELECT
    (ARRAY[%(c0)s, %(c1)s, %(c2)s, %(c3)s])[g %% 4 + 1],
    'comment',
    'b-' || g,
    'Person ' || (g %% 5000),
    'Hur dags öppnar biblioteket på lördag? Och har ni några nya böcker om fåglar? ' || g,
    '[]'::jsonb,
    'https://www.facebook.com/atvidaberg/posts/' || g,
    CASE WHEN g %% 4 = 3
        THEN %(young)s::timestamptz + (g %% 1000) * interval '1 minute'
        ELSE %(old)s::timestamptz + (g %% 40000) * interval '2 minutes'
    END,
    CASE WHEN g %% 10 IN (0, 1) AND g > 4 THEN g - 4 END,
    CASE WHEN g %% 4 = 1 THEN 'besvarad' ELSE 'ringa' END,
    '', '',
    now() - interval '1 day'
FROM generate_series(1, %(n)s) AS g
"""

# What each channel's snapshot captured: every item, its text shown, with the text's hash.
CAPTURE = """
INSERT INTO archiving_snapshotcapture (part_id, item_id, external_id, is_withheld, text_sha256)
SELECT part.id, item.id, item.external_id, false,
    encode(sha256(convert_to(item.text, 'UTF8')), 'hex')
FROM moderation_item item
JOIN archiving_snapshotrun run ON run.channel_id = item.channel_id
JOIN archiving_snapshotvolume part ON part.run_id = run.id
"""


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--profile", action="store_true", help="time each kind of statement")
    args = parse_args(parser, tiny={"items": 2000, "batch_size": 500})
    database_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/atvida_culling_bench"
    )
    if not database_url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (it is dropped and recreated).")
    fresh_database(database_url, prefix="atvida-culling-bench-", CULLING_REQUIRES_REVIEW="false")

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from archiving.culling import services as culling
    from archiving.culling.selectors import culling_cutoff
    from archiving.models import (
        CullingRecordLine,
        DispositionDecision,
        Snapshot,
        SnapshotReason,
        SnapshotRun,
        SnapshotVolume,
    )
    from atvida_social.organisation.models import Administration, Unit
    from channels.models import Channel

    call_command("migrate", "--noinput", verbosity=0)
    administration = Administration.objects.create(name="Kommunledningsförvaltningen")
    unit = Unit.objects.create(administration=administration, name="Biblioteket")
    channels = [
        Channel.objects.create(
            unit=unit,
            platform="facebook",
            account_name=f"Biblioteket {n}",
            url=f"https://www.facebook.com/atvidaberg-bench-{n}",
            status="aktiv",
            started_on="2025-01-01",
            contact_email="info@atvidaberg.se",
        )
        for n in range(4)
    ]
    person = get_user_model().objects.create(username="ingrid", email="ingrid@atvidaberg.se")
    DispositionDecision.objects.create(
        reference="KS 2026/17 § 4",
        description="Ringa eller tillfällig betydelse, efter tre månader.",
        adopted_on=datetime.date(2026, 1, 20),
        created_by=person,
    )
    period = (datetime.datetime(2025, 7, 1, tzinfo=STOCKHOLM), NOW)
    started = datetime.datetime.now(tz=datetime.UTC)
    for channel in channels:
        run = SnapshotRun.objects.create(
            key=f"bench:{channel.pk}",
            channel=channel,
            period_start=period[0],
            period_end=period[1],
            reason=SnapshotReason.SCHEDULE,
            status="klar",
        )
        SnapshotVolume.objects.create(run=run, number=1, finished_at=started)
        Snapshot.objects.create(
            run=run, channel=channel, period_start=period[0], period_end=period[1],
            reason=SnapshotReason.SCHEDULE, items=0, pages=1, volumes=1,
            started_at=started, finished_at=started,
        )  # fmt: skip
    cutoff = culling_cutoff(NOW)
    params = {
        "c0": channels[0].pk,
        "c1": channels[1].pk,
        "c2": channels[2].pk,
        "c3": channels[3].pk,
        "old": datetime.datetime(2025, 9, 1, tzinfo=STOCKHOLM),
        "young": datetime.datetime(2026, 5, 1, tzinfo=STOCKHOLM),
        "n": args.items,
    }

    def generate() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE moderation_item RESTART IDENTITY CASCADE")
            cursor.execute("TRUNCATE archiving_snapshotcapture")
            cursor.execute(GENERATE, params)
            cursor.execute(CAPTURE)
            cursor.execute(
                "SELECT count(*) FROM moderation_item WHERE id <> substr(external_id, 3)::int"
            )
            if cursor.fetchone()[0]:
                sys.exit("The ids must follow the series (is the table fresh?).")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE moderation_item")
            cursor.execute("VACUUM ANALYZE archiving_snapshotcapture")

    print(f"PostgreSQL {connection.pg_version // 10000}; {args.items:,} items, 4 channels")

    generate()
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM moderation_item WHERE status = 'ringa' AND received_at < %s", [cutoff]
        )
        plain_rows = cursor.rowcount
    plain = time.perf_counter() - start
    print(f"plain DELETE: {plain_rows:,} rows in {plain:.1f} s")

    generate()
    rss_before = _rss_mb()
    timings: dict[str, float] = {}

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = " ".join(sql.split()[:4])[:60]
            timings[key] = timings.get(key, 0) + time.perf_counter() - began

    start = time.perf_counter()
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        with connection.execute_wrapper(timed):
            result = profiler.runcall(
                culling.cull, None, by=None, now=NOW, batch_size=args.batch_size
            )
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    else:
        result = culling.cull(None, by=None, now=NOW, batch_size=args.batch_size)
    elapsed = time.perf_counter() - start
    for key, seconds in sorted(timings.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {seconds:6.2f} s  {key}")
    logged = sum(
        CullingRecordLine.objects.filter(record=result.record).values_list("items", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM moderation_item")
        left = cursor.fetchone()[0]
    print(
        f"cull: {result.items:,} items ({result.markers} markers) in {elapsed:.1f} s, "
        f"batch size {args.batch_size}; logged {logged:,}; {left:,} items left"
    )
    print(f"ratio: {elapsed / plain:.2f} × the plain DELETE (target ≤ 2)")
    print(f"peak RSS: {_rss_mb():.0f} MB (before culling {rss_before:.0f} MB; target < 300 MB)")
    if not result.items == plain_rows == logged:
        sys.exit("Both deletions must take the same rows, and the log must count them.")


if __name__ == "__main__":
    main()
