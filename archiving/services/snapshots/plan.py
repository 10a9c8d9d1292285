"""Step 2 of a snapshot: plan the parts ("del 1 av 3") and enqueue one render per part.

The period's items are grouped into threads, threads kept whole inside a part where they fit.
Each part is a row naming its items; the rows, a `SnapshotCapture` per item (what the archive
is to hold of it: its text withheld, or the text's SHA-256) and one `render_volume` task per
part are written in one transaction. The captures are inserted by the database from the
items' rows, one INSERT ... SELECT per part, so that no text passes through this process;
each part's render then sets them to what its files actually hold. The parts go to the
broker as separate tasks, like a Celery group, so that more workers finish sooner; their
completion is counted in the database, not in a result backend.

The part size. On this kind of machine (2 cores shared) one WeasyPrint PDF/A-1a document of
short comments measured: 500 items 3.0 s (168 items/s, 110 MB peak), 1,000 items 4.9 s (206/s,
180 MB), 2,000 items 12.2 s (163/s, 290 MB), 5,000 items 30 s (166/s, 560 MB). Memory grows
with the part (about 0.1 MB per item) while the rate does not improve past 1,000; below 1,000
each part's fixed cost (cover page, fonts, task hand-over) weighs more. So a part holds at
most 1,000 items (ARCHIVE_VOLUME_ITEMS): about 180 MB per rendering process whatever the
period's size, the rate of a single 1,000-item document, and 50 tasks for 50,000 items to
spread over workers. ARCHIVE_VOLUME_CHARS bounds the text too, so that 1,000 long posts cost
no more than that.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Length
from django.utils import timezone

from atvida_social.outbox.services import enqueue
from moderation.models import Item
from moderation.selectors import profile_for_snapshot, with_ancestors
from moderation.services.culling import among
from moderation.workflow import ItemStatus

from ... import volumes
from ...models import RunStatus, SnapshotCapture, SnapshotRun, SnapshotVolume, TextSHA256

RENDER_VOLUME = "archiving.tasks.render_volume"

# The statuses whose text the archive withholds, removed for a breach or secrecy; and an item
# a rule hid, until a person judges it (moderation's `held_by_rule`, forwarded or not):
# `rendering.is_withheld`. The plan's expectation only: each part's render records what it
# wrote.
WITHHELD = (ItemStatus.REMOVED, ItemStatus.SECRET)


def _period_items(run: SnapshotRun):
    return Item.objects.filter(
        channel_id=run.channel_id,
        received_at__gte=run.period_start,
        received_at__lt=run.period_end,
    )


def _period_rows(run: SnapshotRun) -> list[tuple[int, int | None, int]]:
    """(item, parent, length of text) for every item received in the period, in time order."""
    return list(
        _period_items(run)
        .order_by("received_at", "pk")
        .values_list("pk", "parent_id", Length("text"))
    )


def _parents(run: SnapshotRun) -> dict[int, int | None]:
    """Item → parent for the period's items and, up the chains, their ancestors: one query
    however deep the threads (moderation's `with_ancestors`)."""
    return with_ancestors(_period_items(run))


def plan_volumes(run: SnapshotRun) -> list[list[int]]:
    rows = _period_rows(run)
    roots = volumes.thread_roots(_parents(run))
    threads = volumes.group_threads(((pk, size or 0) for pk, _p, size in rows), roots)
    return volumes.pack_threads(
        threads,
        max_items=settings.ARCHIVE_VOLUME_ITEMS,
        max_size=settings.ARCHIVE_VOLUME_CHARS,
    )


def capture_part(part: SnapshotVolume) -> None:
    """Record what the part is to archive of each of its items, in one INSERT ... SELECT."""
    if not part.item_ids:
        return
    held = Q(status__in=WITHHELD) | Q(held_by_rule=True)
    withheld = Case(When(held, then=Value(True)), default=Value(False))
    sha256 = Case(When(held, then=Value("")), default=TextSHA256("text"))
    rows = (
        Item.objects.filter(among("pk", part.item_ids))
        .with_held_by_rule()
        .annotate(
            capture_part=Value(part.pk),
            capture_withheld=withheld,
            capture_sha256=sha256,
        )
        .order_by()
        .values_list("capture_part", "pk", "external_id", "capture_withheld", "capture_sha256")
    )
    connection = transaction.get_connection()
    select, params = rows.query.get_compiler(connection=connection).as_sql()
    table = SnapshotCapture._meta.db_table
    columns = "part_id, item_id, external_id, is_withheld, text_sha256"
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)


def take_snapshot(run_id: int) -> SnapshotRun:
    """Plan the run's parts, take the channel's profile as last read, and enqueue one render
    per part; nothing if already planned."""
    with transaction.atomic():
        run = SnapshotRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.QUEUED:
            return run  # planned before (a second delivery), done or failed
        parts = plan_volumes(run)
        for number, ids in enumerate(parts, start=1):
            capture_part(
                SnapshotVolume.objects.create(run=run, number=number, item_ids=ids, items=len(ids))
            )
        run.status = RunStatus.RENDERING
        run.started_at = timezone.now()
        run.volumes_total = len(parts)
        run.volumes_done = 0
        run.items_total = sum(len(ids) for ids in parts)
        run.attempts += 1
        run.profile = profile_for_snapshot(
            run.channel, period_start=run.period_start, period_end=run.period_end
        )
        run.save(
            update_fields=[
                "status",
                "started_at",
                "volumes_total",
                "volumes_done",
                "items_total",
                "attempts",
                "profile",
            ]
        )
        for number in range(1, len(parts) + 1):
            enqueue(RENDER_VOLUME, run.pk, number)
    return run
