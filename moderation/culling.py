"""Moderation's part of culling (gallring): archiving decides which trivial items may go and
calls this, so that no other app writes moderation's tables (Gallring av inlägg och
kommentarer).

A culled item is deleted with its decisions, rule matches and warning notices (a review
recorded by one of its decisions stays: it records the channel's supervision). An item that
replies still hang from, replies that are not themselves culled, stays as an empty marker
(status CULLED, no text, author, links or address): the thread keeps its shape and shows that
a trivial item was culled there, while nothing of what it said is kept.
"""

from contextlib import contextmanager

from django.db import transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL

from .models import Decision, Item, RuleMatch, SupervisionNotice
from .workflow import ItemStatus


def among(field: str, ids) -> Q:
    """`field` is one of `ids`. On PostgreSQL the ids go as one array parameter (thousands
    of placeholders cost more to build than the query), bounded by their range so that the
    planner walks the index instead of hashing the table."""
    ids = list(ids)
    if not ids:
        return Q(pk__in=[])
    if transaction.get_connection().vendor != "postgresql":
        return Q(**{f"{field}__in": ids})
    return Q(
        **{
            f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", [ids]),
            f"{field}__gte": min(ids),
            f"{field}__lte": max(ids),
        }
    )


def must_stay_as_markers(item_ids: list[int]) -> set[int]:
    """Those of the items a reply outside `item_ids` hangs from, and everything above them
    within `item_ids`: a marker needs the item it answers to stay too."""
    wanted = set(item_ids)
    markers = set(
        Item.objects.filter(among("parent_id", item_ids))
        .exclude(among("pk", item_ids))
        .values_list("parent_id", flat=True)
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


@contextmanager
def _decisions_deletable(connection):
    """The trigger lets a trivial item's decisions go while `atvida.culling` is on: for this
    one statement only, even when the caller's transaction goes on to do other things."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL atvida.culling = 'on'")
        try:
            yield
        finally:
            cursor.execute("SET LOCAL atvida.culling = 'off'")


def erase_items(item_ids: list[int], *, keep_as_marker: set[int], parents: set[int]) -> int:
    """Delete the trivial items `item_ids`, their decisions and matches; those in
    `keep_as_marker` stay as empty markers. `parents` are the items they answer: a marker
    among them that no reply hangs from any more goes too. Returns how many markers went.

    Runs in the caller's transaction, which has locked the rows and checked each item;
    decisions may be deleted only there (the PostgreSQL trigger of migration 0006 asks for
    `atvida.culling` and a trivial item)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("erase_items() must run inside the culling transaction.")
    if not item_ids:
        return 0
    # Raw deletes: the append-only queryset refuses, and Django's collector would load every
    # row (and stop at the PROTECT of replies and decisions) where one statement suffices.
    with _decisions_deletable(connection):
        Decision.objects.filter(among("item_id", item_ids))._raw_delete(Decision.objects.db)
    RuleMatch.objects.filter(among("item_id", item_ids))._raw_delete(RuleMatch.objects.db)
    SupervisionNotice.objects.filter(among("item_id", item_ids))._raw_delete(
        SupervisionNotice.objects.db
    )
    if keep_as_marker:
        Item.objects.filter(pk__in=keep_as_marker).update(
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
    going = [pk for pk in item_ids if pk not in keep_as_marker]
    Item.objects.filter(among("pk", going))._raw_delete(Item.objects.db)
    return _sweep_markers(parents - set(item_ids))


def _sweep_markers(candidates: set[int]) -> int:
    """Markers among `candidates` (and above them) that no reply hangs from any more."""
    swept = 0
    while candidates:
        orphans = list(
            Item.objects.filter(pk__in=candidates, status=ItemStatus.CULLED)
            .exclude(pk__in=Item.objects.filter(parent_id__in=candidates).values("parent_id"))
            .values_list("pk", "parent_id")
        )
        if not orphans:
            return swept
        Item.objects.filter(pk__in=[pk for pk, _parent in orphans])._raw_delete(Item.objects.db)
        swept += len(orphans)
        candidates = {parent for _pk, parent in orphans if parent is not None}
    return swept
