"""Ingest throughput: 500-item batches through POST /api/v1/ingest into PostgreSQL, with
classification against the starter rules and the built-in detectors and a due_at for each
item. Target: at least 1,000 items/s.

Recreates the database named in DATABASE_URL (default atvida_ingest on 127.0.0.1),
migrates it, makes one Facebook channel and an API token, then sends --batches batches of
new items through Django's test client (the whole request path: middleware, token, rate
limit, JSON, validation, one transaction per batch) on one process with DEBUG off, and
prints items/s, the median batch time and the queries per item.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atvida_ingest \\
        .venv/bin/python -m benchmarks.ingest [--batches 10] [--profile] [--tiny]
"""

import argparse
import json
import os
import random
import statistics
import sys
import time

from benchmarks.environment import fresh_database, parse_args

WORDS = """
hej tack fråga varför när hur vem simhallen biblioteket skolan förskolan vägen gatan parken
bussen snöröjning sophämtning bygglov hemtjänsten öppettider lördag söndag kväll morgon barn
föräldrar elever personal kommunen Åtvidaberg bra dåligt stängt öppet trevligt tråkigt
undrar önskar hoppas behöver vill kan måste borde trafik cykelbana belysning gatlykta hål
grop is snö regn avgift taxa beslut ansökan möte samråd synpunkt klagomål beröm förslag
""".split()  # noqa: SIM905 - the vocabulary reads better as prose
EXTRAS = [
    "Du är en idiot.",
    "Ring mig på 070-123 45 67.",
    "Läs mer på https://www.atvidaberg.se/kontakt",
    "Köp billigt på https://gratis-iphone.example/vinn",
    "Mitt personnummer är 811228-9874.",
    "Skriv till anna.andersson@example.com",
    "Bränn ner skolan!",
]


def _text(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 60))
    text = " ".join(words).capitalize() + "?"
    if rng.random() < 0.3:
        text += " " + rng.choice(EXTRAS)
    return text


def _batch(rng: random.Random, number: int, size: int) -> dict:
    items = []
    for n in range(size):
        external_id = f"bench-{number}-{n}"
        reply = n > 0 and rng.random() < 0.2
        items.append(
            {
                "external_id": external_id,
                "kind": rng.choice(["comment", "comment", "question", "message"]),
                "author": f"Person {rng.randint(1, 5000)}",
                "text": _text(rng),
                "received_at": f"2026-03-{rng.randint(2, 27):02d}T{rng.randint(0, 23):02d}:"
                f"{rng.randint(0, 59):02d}:00+01:00",
                "url": f"https://www.facebook.com/atvidaberg/posts/{number}/{n}",
                "parent": f"bench-{number}-{rng.randrange(n)}" if reply else None,
            }
        )
    return {"items": items}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--profile", action="store_true", help="cProfile one batch")
    args = parse_args(parser, tiny={"batches": 2, "size": 20})
    database_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/atvida_ingest"
    )
    if not database_url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (it is dropped and recreated).")
    fresh_database(database_url, prefix="atvida-ingest-bench-")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from channels.models import Channel
    from moderation.models import Item, Rule
    from moderation.services import ingest

    call_command("migrate", "--noinput", verbosity=0)
    settings.INGEST_RATE_LIMIT = 10**9
    from atvida_social.organisation.models import Administration, Unit

    administration = Administration.objects.create(name="Kommunledningsförvaltningen")
    unit = Unit.objects.create(administration=administration, name="Biblioteket")
    channel = Channel.objects.create(
        unit=unit,
        platform="facebook",
        account_name="Biblioteket",
        url="https://www.facebook.com/atvidaberg-bench",
        status="aktiv",
        started_on="2025-01-01",
        contact_email="info@atvidaberg.se",
    )
    _token, secret = ingest.create_ingest_token(channel, label="benchmark")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    rng = random.Random(args.seed)
    bodies = [json.dumps(_batch(rng, n, args.size)) for n in range(args.batches + 1)]

    def send(body: str):
        response = client.post("/api/v1/ingest", body, content_type="application/json")
        if response.status_code != 200:
            sys.exit(f"{response.status_code}: {response.content[:500]!r}")
        return response

    # One warm-up batch (the matcher is compiled once per process), counted for queries.
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        send(bodies[0])
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        send(json.dumps(_batch(rng, 10_000, args.size)))
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    times = []
    for body in bodies[1:]:
        start = time.perf_counter()
        send(body)
        times.append(time.perf_counter() - start)
    items = args.batches * args.size
    flagged = Item.objects.filter(matches__isnull=False).distinct().count()
    total = Item.objects.count()
    print(f"PostgreSQL {connection.pg_version // 10000}, {Rule.objects.count()} rules")
    print(f"batches: {args.batches} × {args.size} items ({total} stored, {flagged} with matches)")
    print(f"queries per batch: {len(queries)}")
    print(f"median batch: {statistics.median(times) * 1000:.0f} ms")
    print(f"throughput: {items / sum(times):,.0f} items/s (target ≥ 1,000)")


if __name__ == "__main__":
    main()
