"""Latency of the moderation queue page with 100,000 items on PostgreSQL.

Creates a fresh database, 40 channels in 8 units with 100,000 items (a fifth of them still
open, a tenth flagged by a rule), then requests the queue page through Django's test client
as Informationenheten (who sees every unit) and as a unit's daily operator, with and without
filters, and prints p50/p95 latency and the number of queries per request. Target: p95 under
200 ms and the same number of queries whatever the number of items.

    .venv/bin/python -m benchmarks.queue_page [--items 100000] [--requests 60] [--tiny]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust); recreates the database named in
DATABASE_URL (default atvida_benchmark_queue).
"""

import argparse
import os
import statistics
import sys
import time

from benchmarks.environment import create_database, parse_args

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/atvida_benchmark_queue"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    args = parse_args(parser, tiny={"items": 500, "requests": 2})
    database_url = os.environ.get("DATABASE_URL", DATABASE_URL)
    if not database_url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (it is dropped and recreated).")
    create_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "atvida_social.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    users = _seed(args.items)
    _measure(users, args.requests)


def _seed(count: int):
    import datetime
    import random

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from activityplans.models import ActivityPlan
    from atvida_social.organisation.models import Administration, Unit, User
    from atvida_social.organisation.roles import Role
    from channels.models import Channel
    from moderation.models import Item, RuleMatch

    random.seed(7)
    started = time.perf_counter()
    administration = Administration.objects.create(name="Förvaltningen")
    units = [
        Unit.objects.create(administration=administration, name=f"Enhet {n}") for n in range(8)
    ]
    info = User.objects.create(username="info", unit=units[0])
    info.groups.add(Group.objects.get(name=Role.INFORMATION_UNIT))
    operator = User.objects.create(username="drift", unit=units[1])
    operator.groups.add(Group.objects.get(name=Role.DAILY_OPERATOR))
    channels = Channel.objects.bulk_create(
        Channel(
            unit=units[n % 8],
            platform="facebook",
            account_name=f"Kanal {n}",
            url=f"https://www.facebook.com/kanal-{n}",
            status="aktiv",
            started_on=datetime.date(2025, 1, 1),
            contact_email="info@atvidaberg.se",
            register_exception_reason="Benchmark.",
            register_exception_at=timezone.now(),
        )
        for n in range(40)
    )
    for channel in channels:
        plan = ActivityPlan.objects.create(
            platform="facebook",
            url=channel.url,
            account_name=channel.account_name,
            unit=channel.unit,
            purpose="p",
            audience="a",
            goals="g",
            measurable_goals="m",
            monitoring="m",
            publishing_frequency="p",
            hours_per_week=1,
            how_it_strengthens="h",
            how_goals_are_measured="h",
            how_audience_is_reached="h",
            why_this_channel="w",
            who_writes_and_archives="w",
            consulted_information_unit=True,
            guidelines_followed=True,
            manager=info,
            prepared_by=info,
            prepared_on=datetime.date(2026, 1, 1),
            status="godkand",
            channel=channel,
        )
        plan.daily_operators.add(operator)
    now = timezone.now()
    statuses = ["ny"] * 2 + ["besvarad"] * 4 + ["ringa"] * 3 + ["behallen"]
    batch = []
    for n in range(count):
        received = now - datetime.timedelta(minutes=random.randint(1, 60 * 24 * 180))
        batch.append(
            Item(
                channel=channels[n % 40],
                kind=random.choice(["comment", "question", "message"]),
                external_id=f"x-{n}",
                author=f"Person {n}",
                text=f"Fråga nummer {n} om biblioteket och dess öppettider.",
                received_at=received,
                status=random.choice(statuses),
                due_at=received + datetime.timedelta(hours=20),
                warn_at=received + datetime.timedelta(hours=15),
            )
        )
        if len(batch) == 5_000:
            Item.objects.bulk_create(batch)
            batch = []
    Item.objects.bulk_create(batch)
    flagged = Item.objects.order_by("?").values_list("pk", flat=True)[: count // 10]
    RuleMatch.objects.bulk_create(
        RuleMatch(
            item_id=pk,
            rule_name="Förolämpning: idiot",
            category="fortal",
            action="flag",
            start=0,
            end=5,
        )
        for pk in flagged
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {count:,} items in {time.perf_counter() - started:.1f} s")
    return {"informationsenheten": info, "daglig drift": operator}


def _measure(users, requests: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for name, user in users.items():
        client = Client()
        client.force_login(user)
        for label, query in [
            ("kön", ""),
            ("sen", "?sla=late"),
            ("kategori", "?category=fortal"),
            ("sida 50", "?sida=50"),
        ]:
            client.get(f"/moderering/{query}")  # warm
            timings, queries = [], set()
            for _ in range(requests):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(f"/moderering/{query}")
                    timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{label}: answered {response.status_code}")
                queries.add(len(captured))
            timings.sort()
            p95 = timings[int(len(timings) * 0.95) - 1]
            print(
                f"{name:20} {label:9} p50 {statistics.median(timings):6.1f} ms  "
                f"p95 {p95:6.1f} ms  queries {sorted(queries)}"
            )


if __name__ == "__main__":
    main()
