"""Snapshot benchmark: wall time and peak memory of snapshots of 1,000, 10,000 and
50,000 items made by real Celery workers on Redis and PostgreSQL.

Targets: peak memory under 1 GB at 50,000 items; items per second at 50,000 at least 0.9 of
the rate of a single 1,000-item document (one part) measured in the same run; two workers
finish the 50,000-item snapshot in at most 0.6 of one worker's time.

Recreates the database named in DATABASE_URL (default atvida_snapshots_bench on 127.0.0.1),
migrates it, stores the items of three channels (1,000, 10,000 and 50,000 items in the first
half of 2026: short comments and questions, a quarter of them replies in threads, a fifth
answered, one in fifty removed for a breach) and then, for each scenario, starts a real
worker (`celery worker --concurrency N`, prefork, on the broker in CELERY_BROKER_URL), asks
for the snapshot as Informationsenheten would, waits until it is recorded and stops the
worker. The time is from the request to the recorded snapshot; the memory is read from
/proc while it runs: the largest peak resident set (VmHWM) of any worker process, and the
peak of the worker processes' summed resident sets. The workers' CPU time (utime + stime)
and the machine's load average are printed too: on a shared machine the clock also counts
other people's work, the CPU time does not.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atvida_snapshots_bench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python -m benchmarks.snapshots [--sizes 1000,10000,50000] [--skip-two] [--tiny]

Measured on the 2-core development machine, quiet (load 1.1-1.7), parts of 1,000 items,
`--sizes 1000,50000`: one 1,000-item document 5.2 s and 5.3 s (194 and 190 items/s, 211 MB);
50,000 items (53 parts, 4,249 pages, 122 MB written) with one worker process 270.7 s (185/s:
0.96 of the reference by the clock, 0.91 per CPU-second), peak 234 MB in a process and 358 MB
for the whole worker; with two worker processes 139.9 s, 0.52 of one worker's time (556 MB for
the worker). Under other sessions' load the two-worker run showed no gain (the machine had one
core free), which is why the CPU time and the load are printed beside the clock.
"""

import argparse
import os
import random
import secrets
import sys
import threading
import time
from pathlib import Path

from benchmarks.environment import fresh_database, parse_args, start_worker, stop_worker

WORDS = """
hej tack fråga varför när hur vem simhallen biblioteket skolan förskolan vägen gatan parken
bussen snöröjning sophämtning bygglov hemtjänsten öppettider lördag söndag kväll morgon barn
föräldrar elever personal kommunen Åtvidaberg bra dåligt stängt öppet trevligt tråkigt
undrar önskar hoppas behöver vill kan måste borde trafik cykelbana belysning gatlykta hål
""".split()  # noqa: SIM905 - the vocabulary reads better as prose


def _make_items(channel, count: int, actor, rng: random.Random) -> None:
    """`count` items spread over January to June 2026, a quarter of them replies."""
    import datetime

    from moderation.models import Decision, Item

    start = datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    step = datetime.timedelta(days=175) / count
    roots: list[Item] = []
    chunk = 2000
    for offset in range(0, count, chunk):
        batch_roots, batch_replies = [], []
        for index in range(offset, min(offset + chunk, count)):
            words = rng.choices(WORDS, k=rng.randint(6, 30))
            item = Item(
                channel=channel,
                kind=rng.choice(["comment", "comment", "question"]),
                external_id=f"b{channel.pk}-{index}",
                author=f"Person {rng.randint(1, 5000)}",
                text=" ".join(words).capitalize() + "?",
                url=f"https://www.facebook.com/atvidaberg/posts/{index}",
                received_at=start + step * index,
                status="ny",
            )
            if roots and rng.random() < 0.25:
                item.parent = rng.choice(roots[-40:])
                batch_replies.append(item)
            else:
                batch_roots.append(item)
        # Roots of the chunk first: a reply may answer one of them.
        Item.objects.bulk_create(batch_roots)
        roots.extend(batch_roots)
        for reply in batch_replies:
            if reply.parent.pk is None:
                reply.parent = rng.choice(roots[-40:])
        Item.objects.bulk_create(batch_replies)
        decisions = []
        for item in batch_roots + batch_replies:
            roll = rng.random()
            if roll < 0.02:
                item.status, item.removed_category = "borttagen", "fortal"
                decisions.append(
                    Decision(
                        item=item,
                        kind="remove",
                        from_status="ny",
                        to_status="borttagen",
                        actor=actor,
                        category="fortal",
                        reason="Personangrepp.",
                    )
                )
            elif roll < 0.22:
                item.status = "besvarad"
                decisions.append(
                    Decision(
                        item=item,
                        kind="answer",
                        from_status="ny",
                        to_status="besvarad",
                        actor=actor,
                        reply_text="Tack för din fråga! Vi öppnar kl. 10.",
                    )
                )
        Item.objects.bulk_update(
            [d.item for d in decisions], ["status", "removed_category"], batch_size=1000
        )
        Decision.objects.bulk_create(decisions)


class _MemoryWatch(threading.Thread):
    """Polls /proc for the worker's process tree: the largest VmHWM of any of its processes,
    and the peak of their summed VmRSS."""

    def __init__(self, root_pid: int):
        super().__init__(daemon=True)
        self.root_pid = root_pid
        self.peak_process_kb = 0
        self.peak_total_kb = 0
        self.cpu_ticks: dict[int, int] = {}
        self.loads: list[float] = []
        self.running = True

    @staticmethod
    def _status(pid: int) -> dict:
        values = {}
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(value.split()[0])
        except (FileNotFoundError, ProcessLookupError, ValueError):
            pass
        return values

    def _tree(self) -> list[int]:
        parents, ticks = {}, {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    parents[int(entry.name)] = int(fields[1])
                    ticks[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime+stime
                except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                    continue
        tree, frontier = [self.root_pid], [self.root_pid]
        while frontier:
            frontier = [pid for pid, parent in parents.items() if parent in frontier]
            tree.extend(frontier)
        for pid in tree:
            self.cpu_ticks[pid] = max(self.cpu_ticks.get(pid, 0), ticks.get(pid, 0))
        return tree

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")

    def sample(self) -> None:
        total = 0
        for pid in self._tree():
            status = self._status(pid)
            total += status.get("VmRSS", 0)
            self.peak_process_kb = max(self.peak_process_kb, status.get("VmHWM", 0))
        self.peak_total_kb = max(self.peak_total_kb, total)
        self.loads.append(float(Path("/proc/loadavg").read_text().split()[0]))

    def run(self) -> None:
        while self.running:
            self.sample()
            time.sleep(0.25)


def _scenario(channel, *, concurrency: int, label: str, by) -> dict:
    import datetime

    from django.utils import timezone

    from archiving import services
    from archiving.models import RunStatus, Snapshot, SnapshotReason, SnapshotRun

    worker = start_worker(
        concurrency=concurrency, name=f"bench{concurrency}", queues="celery,rendering"
    )
    watch = _MemoryWatch(worker.pid)
    watch.start()
    time.sleep(6)  # the worker connects and forks its pool
    watch.sample()
    cpu_before = watch.cpu_seconds
    watch.loads.clear()
    try:
        started = time.perf_counter()
        run = services.start_snapshot_run(
            channel,
            period_start=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
            period_end=timezone.now(),
            reason=SnapshotReason.ON_DEMAND,
            key=f"bench:{label}:{secrets.token_hex(4)}",
            by=by,
            note="Benchmark",
        )
        while True:
            run = SnapshotRun.objects.get(pk=run.pk)
            if run.status in (RunStatus.DONE, RunStatus.FAILED):
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        watch.sample()
        cpu = watch.cpu_seconds - cpu_before
    finally:
        watch.running = False
        watch.join()
        stop_worker(worker)
    if run.status != RunStatus.DONE:
        sys.exit(f"{label}: the snapshot failed: {run.error}")
    snapshot = Snapshot.objects.get(run=run)
    size = sum(f.size for f in snapshot.files.all())
    return {
        "label": label,
        "items": snapshot.items,
        "volumes": snapshot.volumes,
        "pages": snapshot.pages,
        "mb": size / 1e6,
        "seconds": elapsed,
        "rate": snapshot.items / elapsed,
        "peak_process_mb": watch.peak_process_kb / 1024,
        "peak_total_mb": watch.peak_total_kb / 1024,
        "cpu": cpu,
        "cpu_rate": snapshot.items / cpu,
        "load": sum(watch.loads) / max(1, len(watch.loads)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--skip-two", action="store_true", help="no two-worker run")
    parser.add_argument("--seed", type=int, default=9)
    args = parse_args(parser, tiny={"sizes": "20", "skip_two": True})
    sizes = [int(size) for size in args.sizes.split(",")]
    database_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/atvida_snapshots_bench"
    )
    broker_url = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/5")
    if not database_url.startswith("postgres") or not broker_url.startswith("redis"):
        sys.exit("Needs PostgreSQL (dropped and recreated) in DATABASE_URL and Redis.")
    workdir = fresh_database(
        database_url, prefix="atvida-snapshot-bench-", CELERY_BROKER_URL=broker_url
    )
    os.environ["MEDIA_ROOT"] = str(workdir / "media")

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from atvida_social import celery_app
    from atvida_social.organisation.models import Administration, Unit, User
    from channels.models import Channel

    call_command("migrate", "--noinput", verbosity=0)
    celery_app.control.purge()
    administration = Administration.objects.create(name="Kommunledningsförvaltningen")
    unit = Unit.objects.create(administration=administration, name="Biblioteket")
    ingrid = User.objects.create(username="ingrid", first_name="Ingrid", last_name="Info")
    ingrid.groups.add(Group.objects.get(name="Informationsenheten"))
    rng = random.Random(args.seed)
    channels = {}
    for size in sizes:
        channel = Channel.objects.create(
            unit=unit,
            platform="facebook",
            account_name=f"Biblioteket {size}",
            url=f"https://www.facebook.com/atvidaberg-bench-{size}",
            status="aktiv",
            started_on="2025-01-01",
            contact_email="info@atvidaberg.se",
        )
        started = time.perf_counter()
        _make_items(channel, size, ingrid, rng)
        print(f"stored {size:,} items in {time.perf_counter() - started:.0f} s", flush=True)
        channels[size] = channel

    print(f"part size: {settings.ARCHIVE_VOLUME_ITEMS} items", flush=True)
    results = []
    for size in sizes:
        results.append(_scenario(channels[size], concurrency=1, label=f"{size} / 1", by=ingrid))
        print(_line(results[-1]), flush=True)
    largest = max(sizes)
    if not args.skip_two:
        results.append(
            _scenario(channels[largest], concurrency=2, label=f"{largest} / 2", by=ingrid)
        )
        print(_line(results[-1]), flush=True)

    if 1000 in channels:
        # The reference again at the end: the machine's load drifts during a long run.
        results.append(_scenario(channels[1000], concurrency=1, label="1000 / 1 again", by=ingrid))
        print(_line(results[-1]), flush=True)

    by_label = {r["label"]: r for r in results}
    references = [r for r in results if r["label"].startswith("1000 / 1")]
    reference = None
    if references:
        reference = {
            "rate": sum(r["rate"] for r in references) / len(references),
            "cpu_rate": sum(r["cpu_rate"] for r in references) / len(references),
        }
    one = by_label[f"{largest} / 1"]
    print()
    print("items / workers: seconds, items/s, parts, pages, MB written, peak MB, CPU, load")
    for result in results:
        print(_line(result))
    if reference:
        print(
            f"rate at {largest:,} vs one 1,000-item document (mean of the two): "
            f"{one['rate'] / reference['rate']:.2f} by the clock (target ≥ 0.9), "
            f"{one['cpu_rate'] / reference['cpu_rate']:.2f} per CPU-second of the workers"
        )
    if not args.skip_two:
        two = by_label[f"{largest} / 2"]
        print(
            f"two workers vs one at {largest:,}: {two['seconds'] / one['seconds']:.2f} "
            "of the time (target ≤ 0.6)"
        )
    print(
        f"peak memory at {largest:,}: {one['peak_process_mb']:.0f} MB in one process, "
        f"{one['peak_total_mb']:.0f} MB for the worker (target < 1,024 MB)"
    )


def _line(r: dict) -> str:
    return (
        f"{r['label']:>12}: {r['seconds']:7.1f} s, {r['rate']:6.0f} items/s, "
        f"{r['volumes']:3d} parts, {r['pages']:5d} pages, {r['mb']:6.1f} MB, "
        f"peak {r['peak_process_mb']:.0f} MB per process / {r['peak_total_mb']:.0f} MB total, "
        f"{r['cpu']:.1f} CPU-s ({r['cpu_rate']:.0f} items/CPU-s), machine load {r['load']:.1f}"
    )


if __name__ == "__main__":
    main()
