"""Moderation's part of culling (gallring): archiving decides which trivial items may go and
calls this, so that no other app writes moderation's tables (Gallring av inlägg och
kommentarer).

A culled item is deleted with its decisions, rule matches and warning notices (a review
recorded by one of its decisions stays: it records the channel's supervision). An item that
replies still hang from, replies that are not themselves culled, stays as an empty marker
(status CULLED, no text, author, links or address): the thread keeps its shape and shows that
a trivial item was culled there, while nothing of what it said is kept. Every culled item,
markers included, is remembered (`CulledItem`: channel and platform id, never its text), so
that the ways in do not store it again (`culled_external_ids`).

The purge of texts removed for a breach is destruction too, decided by archiving like
culling: `texts_due_for_purge` offers what is due, `purge_texts` blanks exactly what archiving
allows.
"""

import dataclasses
import datetime

from django.db import transaction
from django.db.models import Count, F, Lookup, Max, Min, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ..models import CulledItem, Decision, Item, ItemVersion, RuleMatch, SupervisionNotice
from ..workflow import ItemStatus

# An item in one of these statuses is part of a case, as is one with a diarienummer.
CASE_STATUSES = (ItemStatus.REGISTERED, ItemStatus.SECRET)


def items_in_a_case() -> RawSQL:
    """The ids of the items that are part of a case: those with a diarienummer or registered
    or secret, and everything above them (what they answer) and below them (what answers
    them) in their threads; a comment beside them under the same post is not. For `pk__in`:
    the threads are walked inside the one statement that asks, however many items there are."""
    # Only the model's own table name is formatted in; every value is a parameter.
    table = Item._meta.db_table
    statuses = ", ".join(["%s"] * len(CASE_STATUSES))
    seed = f"SELECT id, parent_id FROM {table} WHERE diarienummer <> '' OR status IN ({statuses})"  # noqa: S608
    sql = f"""
        WITH RECURSIVE
        above(id, parent_id) AS (
            {seed}
            UNION
            SELECT p.id, p.parent_id FROM {table} p JOIN above ON p.id = above.parent_id
        ),
        below(id, parent_id) AS (
            {seed}
            UNION
            SELECT c.id, c.parent_id FROM {table} c JOIN below ON c.parent_id = below.id
        )
        SELECT id FROM above UNION SELECT id FROM below
    """  # noqa: S608
    return RawSQL(sql, [str(s) for s in CASE_STATUSES] * 2)  # noqa: S611


def police_reports() -> QuerySet[Decision]:
    """The decisions that reported an item to the police: such an item is evidence and is
    never destroyed (for archiving's `Exists(police_reports().filter(item_id=...))`)."""
    return Decision.objects.filter(police_report=True).order_by()


def culled_external_ids(channel, external_ids) -> set[str]:
    """Those of `external_ids` that were culled from `channel`: they are not stored again."""
    return set(
        CulledItem.objects.filter(channel=channel, external_id__in=set(external_ids)).values_list(
            "external_id", flat=True
        )
    )


def texts_due_for_purge(now: datetime.datetime) -> QuerySet[Item]:
    """Items whose text, removed for a breach, has passed its retention period and is still
    there; archiving decides which of them may be purged."""
    return Item.objects.filter(text_purge_after__lte=now, text_purged_at__isnull=True).order_by()


def purge_texts(item_ids: list[int], *, now: datetime.datetime) -> int:
    """Blank the texts of exactly `item_ids` (those still due); the decisions keep the
    category and the rule, never the text. Runs in archiving's transaction, which has locked
    the rows and checked each item's protections."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("purge_texts() must run inside the purging transaction.")
    if not item_ids:
        return 0
    due = texts_due_for_purge(now).filter(among("pk", item_ids))
    # The earlier texts of an edited item go with its text.
    ItemVersion.objects.filter(item__in=due.values("pk")).delete()
    return due.update(text="", links=[], text_purged_at=now)


def _id_array(ids) -> str:
    """Ids as one PostgreSQL array literal, '{1,2,3}': a single constant the server parses
    at once, where the ARRAY[1, 2, 3] that psycopg makes of a list costs milliseconds per
    thousand ids to parse and plan."""
    return "{" + ",".join(map(str, map(int, ids))) + "}"


class _AnyOf(Lookup):
    """`lhs = ANY(array)`: the planner knows how many ids there are, and walks the index
    once per id."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, self.rhs]


def among(field: str, ids) -> Q:
    """`field` is one of `ids`. On PostgreSQL the ids go as one array parameter: thousands
    of placeholders cost more to build than the query."""
    ids = list(ids)
    if not ids:
        return Q(pk__in=[])
    if transaction.get_connection().vendor != "postgresql":
        return Q(**{f"{field}__in": ids})
    return Q(_AnyOf(F(field), _id_array(ids)))


def _where_among(column: str, ids, vendor: str) -> tuple[str, list]:
    """The same as `among`, for a statement written out: a WHERE clause and its parameters."""
    ids = list(ids)
    if vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [_id_array(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", ids


def must_stay_as_markers(item_ids: list[int]) -> set[int]:
    """Those of the items a reply outside `item_ids` hangs from, and everything above them
    within `item_ids`: a marker needs the item it answers to stay too."""
    wanted = set(item_ids)
    markers = set(
        Item.objects.filter(among("parent_id", item_ids))
        .exclude(among("pk", item_ids))
        .values_list("parent_id", flat=True)
        .order_by()
        .distinct()
    )
    frontier = markers
    while frontier:
        above = set(
            Item.objects.filter(pk__in=frontier, parent_id__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        frontier = (above & wanted) - markers
        markers |= frontier
    return markers


@dataclasses.dataclass
class Erased:
    """What erase_items took from one channel: items (markers among them) and the period
    they were received in."""

    channel_id: int
    items: int
    markers: int
    earliest: datetime.datetime
    latest: datetime.datetime

    def add(self, items: int, markers: int, earliest, latest) -> None:
        self.items += items
        self.markers += markers
        self.earliest = min(self.earliest, earliest)
        self.latest = max(self.latest, latest)


def erase_items(
    item_ids: list[int],
    *,
    parents: set[int],
    culled_at: datetime.datetime | None = None,
    record_id: int | None = None,
) -> dict[int, Erased]:
    """Delete the trivial items `item_ids`, their decisions, matches and notices; those a
    reply that stays hangs from remain as empty markers. Each of them, markers included, is
    remembered as a `CulledItem` (at `culled_at`, under the culling record `record_id`), so
    that it is not stored again. `parents` are the items they answer:
    a marker among them that no reply hangs from any more goes too (not counted). Returns
    what went (markers included), per channel: on PostgreSQL the deleted items as the
    deleting statement itself counted them; the markers, and on other databases the deleted
    items too, as counted just before, in the same transaction.

    Runs in the caller's transaction, which has locked the rows and checked each item;
    decisions may be deleted only there (the PostgreSQL trigger of migration 0006 asks for
    `atvida.culling` and a trivial item)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("erase_items() must run inside the culling transaction.")
    if not item_ids:
        return {}
    vendor = connection.vendor
    markers = must_stay_as_markers(item_ids)
    culled_at = culled_at or timezone.now()
    CulledItem.objects.bulk_create(
        CulledItem(
            channel_id=channel_id,
            external_id=external_id,
            culled_at=culled_at,
            culling_record_id=record_id,
        )
        for channel_id, external_id in Item.objects.filter(among("pk", item_ids))
        .values_list("channel_id", "external_id")
        .order_by()
    )
    erased: dict[int, Erased] = {}

    def count(channel_id, items, marked, earliest, latest) -> None:
        if channel_id in erased:
            erased[channel_id].add(items, marked, earliest, latest)
        else:
            erased[channel_id] = Erased(channel_id, items, marked, earliest, latest)

    # Plain statements, not querysets: decisions are append-only to the ORM, and Django's
    # collector would load every row (and stop at the PROTECT of replies and decisions).
    # Only the models' own table names are formatted in; every value is a parameter.
    decisions, matches = Decision._meta.db_table, RuleMatch._meta.db_table
    notices = SupervisionNotice._meta.db_table
    versions = ItemVersion._meta.db_table
    where_item, params = _where_among("item_id", item_ids, vendor)
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            # For this one statement only, even when the caller's transaction goes on.
            cursor.execute(
                f"SET LOCAL atvida.culling = 'on'; DELETE FROM {decisions} WHERE {where_item}; "  # noqa: S608
                "SET LOCAL atvida.culling = 'off'",
                params,
            )
        else:
            cursor.execute(f"DELETE FROM {decisions} WHERE {where_item}", params)  # noqa: S608
        cursor.execute(f"DELETE FROM {matches} WHERE {where_item}", params)  # noqa: S608
        cursor.execute(f"DELETE FROM {notices} WHERE {where_item}", params)  # noqa: S608
        # An edited item's earlier texts go with it, markers' included.
        cursor.execute(f"DELETE FROM {versions} WHERE {where_item}", params)  # noqa: S608
    if markers:
        for row in (
            Item.objects.filter(pk__in=markers)
            .values("channel_id")
            .annotate(n=Count("pk"), earliest=Min("received_at"), latest=Max("received_at"))
            .order_by()
        ):
            count(row["channel_id"], row["n"], row["n"], row["earliest"], row["latest"])
        Item.objects.filter(pk__in=markers).update(
            status=ItemStatus.CULLED,
            author="",
            text="",
            links=[],
            url="",
            assigned_to=None,
            forwarded_unit=None,
            removed_category="",
            text_purge_after=None,
        )
    going = [pk for pk in item_ids if pk not in markers]
    if going:
        for channel_id, gone, earliest, latest in _delete_counted(going, vendor):
            count(channel_id, gone, 0, earliest, latest)
    _sweep_markers(parents - set(item_ids))
    return erased


def _delete_counted(item_ids: list[int], vendor: str) -> list[tuple]:
    """Delete the items; per channel, how many went and the period they span."""
    table = Item._meta.db_table
    where, params = _where_among("id", item_ids, vendor)
    delete = f"DELETE FROM {table} WHERE {where}"  # noqa: S608
    if vendor != "postgresql":
        rows = list(
            Item.objects.filter(pk__in=item_ids)
            .values_list("channel_id")
            .annotate(Count("pk"), Min("received_at"), Max("received_at"))
            .order_by()
        )
        with transaction.get_connection().cursor() as cursor:
            cursor.execute(delete, params)
        return rows
    # The count comes from the deleting statement itself: the log is what went.
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            f"WITH gone AS ({delete} RETURNING channel_id, received_at) "  # noqa: S608
            "SELECT channel_id, count(*), min(received_at), max(received_at) "
            "FROM gone GROUP BY channel_id",
            params,
        )
        return cursor.fetchall()


def _sweep_markers(candidates: set[int]) -> int:
    """Markers among `candidates` (and above them) that no reply hangs from any more."""
    table = Item._meta.db_table
    vendor = transaction.get_connection().vendor
    swept = 0
    while candidates:
        orphans = list(
            Item.objects.filter(among("pk", candidates), status=ItemStatus.CULLED)
            .exclude(pk__in=Item.objects.filter(among("parent_id", candidates)).values("parent_id"))
            .values_list("pk", "parent_id")
        )
        if not orphans:
            return swept
        where, params = _where_among("id", [pk for pk, _parent in orphans], vendor)
        with transaction.get_connection().cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {where}", params)  # noqa: S608
        swept += len(orphans)
        candidates = {parent for _pk, parent in orphans if parent is not None}
    return swept
