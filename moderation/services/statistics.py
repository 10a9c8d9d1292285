"""Response-time statistics per channel, unit and month (Rimliga svarstider).

Design, for a municipality's year of a million items:

- The figures are computed from `ItemFact` rows, one per item, never from the items: culling
  (`services.culling.erase_items`) deletes trivial items after three months, and January's
  figures must not fall when May's culling runs, nor its medians move. A fact holds what the
  statistics count and nothing personal (channel, kind, received, deadline, settled, response
  time, in time or not, removed category; no text, author, links or address). It is written
  by `record_item_facts` in the transaction that registers the item (`services.items`) and
  brought up to date by `record_settlement` in the transaction of each decision that settles
  or removes it (`services.decisions`); `item_id` is a plain number, no foreign key, so the
  fact stays when its item goes. Keeping facts was chosen over freezing closed months: an
  item of December is still settled in January, and a fact is the same row whether its
  month is open or closed, so a refresh recomputes any year from them, always the same way.
  A fact keeps the removal category a culled item's empty marker loses. The unit is the
  channel's, read at the refresh: a channel's figures belong to one unit row, the unit its
  register entry names now.
- Each settled item carries its response time in working hours (`response_seconds`,
  written by the decision in the same transaction as `settled_at`, on the item and its
  fact; a settled fact without one is filled in by `refresh_statistics`). The response is
  received_at → settled_at: the first decision that stops the clock (answer, keep, remove,
  no answer needed ...), the same moment `sla_met` is judged at; forwarding and the rules'
  automatic hiding keep it running. Only items with a deadline (those from the public) count
  in the response times; every item counts in "inkomna" and per kind.
- `refresh_statistics(year)` aggregates a year in the database into `MonthlyStatistics` rows:
  per channel, per unit and for the whole municipality, per month and for the whole year
  (month 0), and replaces that year's rows in one transaction. Medians and 90th percentiles
  are PostgreSQL's `percentile_cont` (linear interpolation) over one GROUPING SETS scan; on
  SQLite, which has no percentile function, the same values are computed in Python from the
  sorted response times. A Celery task runs it hourly (`tasks.refresh_statistics`, command
  `manage.py refresh_statistics`), so the page reads at most 13 + a breakdown of stored rows.
- The category is the one a person decided an item was removed for (`removed_category`,
  set by a removal or secrecy decision), not the rules' matches: a match is a suggestion that
  may be wrong or in test mode, a removal is the municipality's judgement.
- Counts are summed from channel to unit to municipality; percentiles cannot be summed, so
  each level has its own.

- Overdue reviews (`_overdue_reviews`): each lapse of a channel's supervision, from its
  `ChannelReview` rows and the review interval of `services.supervision`. Culling keeps
  them: a review recorded by a decision of a culled item stays (`services.culling`).

Adding a per-month count: a field on `MonthlyStatistics`, a function beside `_item_counts`
appended to `COUNT_SOURCES`, and a `Column` in `moderation.views.statistics_table.COLUMNS`; the
roll-up, the page's table, the CSV and the year total follow. A count of something culling
takes needs its fact on `ItemFact`.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone

from ..deadlines import response_seconds
from ..models import ChannelReview, Item, ItemFact, MonthlyStatistics
from ..querysets import late_condition

WHOLE_YEAR = 0

# (channel_id or None, unit_id or None, month or 0): one MonthlyStatistics row.
Key = tuple[int | None, int | None, int]


# --- The facts ----------------------------------------------------------------------------

# What a fact copies from its item, by the same names.
FACT_FIELDS = (
    "channel_id",
    "kind",
    "received_at",
    "due_at",
    "settled_at",
    "sla_met",
    "response_seconds",
    "removed_category",
)
# What a decision may change of them.
SETTLEMENT_FIELDS = ("settled_at", "sla_met", "response_seconds", "removed_category")


def _fact_of(item: Item) -> ItemFact:
    return ItemFact(item_id=item.pk, **{name: getattr(item, name) for name in FACT_FIELDS})


def record_item_facts(items: Iterable[Item]) -> None:
    """The facts of newly stored items, in one query, in the transaction that stores them."""
    ItemFact.objects.bulk_create([_fact_of(item) for item in items])


def record_settlement(item: Item) -> None:
    """Copy a decision's settling and removal onto the item's fact, in the decision's
    transaction; an item stored without one (by SQL rather than by `services.items`) gets
    its fact here."""
    changed = ItemFact.objects.filter(item_id=item.pk).update(
        **{name: getattr(item, name) for name in SETTLEMENT_FIELDS}
    )
    if not changed:
        _fact_of(item).save(force_insert=True)


def record_platform_outcome(item_id: int) -> None:
    """What the item's decisions asked of the platform and what it did, onto its fact, in the
    transaction that asks for an action or records its answer (`services.platform_actions`):
    asked when the first action was, done when the last of them was carried out (or the
    platform's nearest thing), failed while one has failed or cannot be done there."""
    from ..models import PlatformAction, PlatformActionState
    from ..models.platforms import FINISHED_ACTION_STATES

    actions = list(
        PlatformAction.objects.filter(item_id=item_id).values_list(
            "state", "requested_at", "done_at"
        )
    )
    if not actions:
        return
    carried_out = all(
        state in FINISHED_ACTION_STATES - {PlatformActionState.NOT_POSSIBLE}
        for state, _requested, _done in actions
    )
    ItemFact.objects.filter(item_id=item_id).update(
        platform_asked_at=min(requested for _state, requested, _done in actions),
        platform_done_at=max(done for _s, _r, done in actions) if carried_out else None,
        platform_failed=any(
            state in (PlatformActionState.FAILED, PlatformActionState.NOT_POSSIBLE)
            for state, _requested, _done in actions
        ),
    )


def record_missing_facts() -> int:
    """INSERT … SELECT a fact for every item that has none, in one statement whatever the
    number of items (memory stays flat): for items stored by SQL rather than by the services,
    as the benchmarks generate them. The data migration `fill_item_facts` ran the same
    statement once for the items stored before facts were kept."""
    fact, item = ItemFact._meta.db_table, Item._meta.db_table
    columns = ", ".join(["item_id", *FACT_FIELDS])
    # Only the models' own table and column names are formatted in; there are no values.
    sql = (
        f"INSERT INTO {fact} ({columns}) "  # noqa: S608
        f"SELECT id, {', '.join(FACT_FIELDS)} FROM {item} "
        f"WHERE NOT EXISTS (SELECT 1 FROM {fact} WHERE {fact}.item_id = {item}.id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


# --- The year -------------------------------------------------------------------------------


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """1 January 00:00 to the next 1 January, in the municipality's time zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def rolled_up(channel_id: int, unit_id: int, month: int) -> list[Key]:
    """Every row a channel's figure for a month counts in."""
    return [
        (channel_id, unit_id, month),
        (channel_id, unit_id, WHOLE_YEAR),
        (None, unit_id, month),
        (None, unit_id, WHOLE_YEAR),
        (None, None, month),
        (None, None, WHOLE_YEAR),
    ]


# --- Counts (summed up the levels) ----------------------------------------------------------


def _item_counts(year: int, now: datetime.datetime) -> Iterable[tuple[int, int, int, dict]]:
    """(channel, unit, month, counts) per channel, month, kind and removal category, one query
    over the facts."""
    start, end = year_bounds(year)
    rows = (
        ItemFact.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(month=ExtractMonth("received_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values("channel_id", "channel__unit_id", "month", "kind", "removed_category")
        .annotate(
            n=Count("pk"),
            responded=Count("pk", filter=Q(due_at__isnull=False, response_seconds__isnull=False)),
            # Settled, or still open and late (querysets.late_condition): either way judged.
            due=Count(
                "pk",
                filter=Q(due_at__isnull=False, settled_at__isnull=False) | late_condition(now),
            ),
            in_time=Count("pk", filter=Q(due_at__isnull=False, sla_met=True)),
            # Decided is not done: what was asked of the platform, and what it did.
            platform_asked=Count("pk", filter=Q(platform_asked_at__isnull=False)),
            platform_done=Count("pk", filter=Q(platform_done_at__isnull=False)),
            platform_failed=Count("pk", filter=Q(platform_failed=True)),
        )
        .order_by()
    )
    for row in rows:
        counts = {
            "items": row["n"],
            "responded": row["responded"],
            "due": row["due"],
            "in_time": row["in_time"],
            "platform_asked": row["platform_asked"],
            "platform_done": row["platform_done"],
            "platform_failed": row["platform_failed"],
            f"kind:{row['kind']}": row["n"],
        }
        if row["removed_category"]:
            counts[f"category:{row['removed_category']}"] = row["n"]
        yield row["channel_id"], row["channel__unit_id"], row["month"], counts


def _overdue_reviews(year: int, now: datetime.datetime) -> Iterable[tuple[int, int, int, dict]]:
    """(channel, unit, month, {"overdue_reviews": n}): how often an active channel's review
    fell due in the month and the next review came later, or has not come by `now`
    (lagen om elektroniska anslagstavlor, Bilaga 1). A lapse is counted once, in the month its
    deadline passed, however long it lasted: the event the supervision warning is mailed for.

    Counted from the channel's activation, with the interval of its current plan (the
    legal week without one; `supervision.ReviewInterval`). Three queries: channels, their
    plans, their reviews up to the end of the year."""
    from activityplans.selectors import current_plans
    from channels.models import Channel, ChannelStatus

    from .supervision import interval_of_plan

    start, end = year_bounds(year)
    horizon = min(end, now)
    if horizon <= start:
        return
    # Counted from the activation, as supervision.review_due_at counts.
    channels = list(
        Channel.objects.annotate(counted_from=Coalesce("activated_at", "created_at"))
        .filter(status=ChannelStatus.ACTIVE, counted_from__lt=horizon)
        .values_list("pk", "unit_id", "counted_from")
        .order_by("pk")
    )
    plans = current_plans(pk for pk, _unit, _created in channels)
    reviews: dict[int, list[datetime.datetime]] = defaultdict(list)
    for channel_id, reviewed_at in (
        ChannelReview.objects.filter(
            channel_id__in=[pk for pk, _unit, _created in channels], reviewed_at__lt=horizon
        )
        .values_list("channel_id", "reviewed_at")
        .order_by("channel_id", "reviewed_at")
    ):
        reviews[channel_id].append(reviewed_at)
    zone = ZoneInfo(settings.TIME_ZONE)
    for channel_id, unit_id, created_at in channels:
        interval = interval_of_plan(plans.get(channel_id))
        months: dict[int, int] = defaultdict(int)
        last = created_at
        for reviewed_at in [*reviews[channel_id], None]:
            due = interval.next_due(last)
            came_late = due < horizon if reviewed_at is None else reviewed_at > due
            if came_late and start <= due < end:
                months[due.astimezone(zone).month] += 1
            if reviewed_at is None:
                break
            last = max(last, reviewed_at)
        for month, lapses in months.items():
            yield channel_id, unit_id, month, {"overdue_reviews": lapses}


# Each gives (channel, unit, month, {field: count}); "kind:x" and "category:x" fill the JSON.
COUNT_SOURCES: list[Callable[[int, datetime.datetime], Iterable]] = [
    _item_counts,
    _overdue_reviews,
]


# --- Percentiles (one per level) ------------------------------------------------------------


def percentile_cont(ordered: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont over sorted values: linear interpolation between the
    closest ranks, position fraction × (n − 1)."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


_PERCENTILES_SQL = """
SELECT channel_id, unit_id, month, GROUPING(channel_id), GROUPING(unit_id), GROUPING(month),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY response_seconds),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY response_seconds)
FROM (
    SELECT fact.channel_id, channel.unit_id, fact.response_seconds,
           EXTRACT(MONTH FROM fact.received_at AT TIME ZONE %(zone)s)::int AS month
    FROM {fact} AS fact JOIN {channel} AS channel ON channel.id = fact.channel_id
    WHERE fact.received_at >= %(start)s AND fact.received_at < %(end)s
      AND fact.due_at IS NOT NULL AND fact.response_seconds IS NOT NULL
) AS responses
GROUP BY GROUPING SETS (
    (channel_id, unit_id, month), (channel_id, unit_id), (unit_id, month), (unit_id), (month), ()
)
"""


def _percentiles(year: int) -> dict[Key, tuple[float | None, float | None]]:
    """Median and 90th percentile of the response times of every row's items, from their
    facts."""
    if connection.vendor == "postgresql":
        return _percentiles_in_postgresql(year)
    return _percentiles_in_python(year)


def _percentiles_in_postgresql(year: int) -> dict[Key, tuple[float | None, float | None]]:
    from channels.models import Channel

    start, end = year_bounds(year)
    sql = _PERCENTILES_SQL.format(
        fact=connection.ops.quote_name(ItemFact._meta.db_table),
        channel=connection.ops.quote_name(Channel._meta.db_table),
    )
    result = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, {"zone": settings.TIME_ZONE, "start": start, "end": end})
        for channel_id, unit_id, month, no_channel, no_unit, no_month, median, p90 in cursor:
            key = (
                None if no_channel else channel_id,
                None if no_unit else unit_id,
                WHOLE_YEAR if no_month else month,
            )
            result[key] = (median, p90)
    return result


def _percentiles_in_python(year: int) -> dict[Key, tuple[float | None, float | None]]:
    start, end = year_bounds(year)
    samples: dict[Key, list[int]] = defaultdict(list)
    responses = (
        ItemFact.objects.filter(
            received_at__gte=start,
            received_at__lt=end,
            due_at__isnull=False,
            response_seconds__isnull=False,
        )
        .annotate(month=ExtractMonth("received_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values_list("channel_id", "channel__unit_id", "month", "response_seconds")
    )
    for channel_id, unit_id, month, seconds in responses.iterator(chunk_size=5000):
        for key in rolled_up(channel_id, unit_id, month):
            samples[key].append(seconds)
    result = {}
    for key, values in samples.items():
        values.sort()
        result[key] = (percentile_cont(values, 0.5), percentile_cont(values, 0.9))
    return result


# --- Refreshing -----------------------------------------------------------------------------


def backfill_response_seconds(year: int, *, batch_size: int = 2000) -> int:
    """Response times for the facts of the year's settled items that lack one (settled by a
    way that did not write it)."""
    start, end = year_bounds(year)
    missing = ItemFact.objects.filter(
        received_at__gte=start,
        received_at__lt=end,
        settled_at__isnull=False,
        response_seconds__isnull=True,
    ).only("pk", "received_at", "settled_at")
    batch, filled = [], 0
    for fact in missing.iterator(chunk_size=batch_size):
        fact.response_seconds = response_seconds(fact.received_at, fact.settled_at)
        batch.append(fact)
        if len(batch) == batch_size:
            filled += ItemFact.objects.bulk_update(batch, ["response_seconds"])
            batch = []
    if batch:
        filled += ItemFact.objects.bulk_update(batch, ["response_seconds"])
    return filled


@transaction.atomic
def refresh_statistics(year: int, *, now: datetime.datetime | None = None) -> int:
    """Recompute the year's rows from its items' facts and its channels' reviews; returns how
    many rows it stored."""
    now = now or timezone.now()
    backfill_response_seconds(year)
    figures: dict[Key, dict] = defaultdict(lambda: defaultdict(int))
    for source in COUNT_SOURCES:
        for channel_id, unit_id, month, counts in source(year, now):
            for key in rolled_up(channel_id, unit_id, month):
                row = figures[key]
                for name, value in counts.items():
                    row[name] += value
    percentiles = _percentiles(year)
    rows = []
    for (channel_id, unit_id, month), counts in figures.items():
        median, p90 = percentiles.get((channel_id, unit_id, month), (None, None))
        fields = {"by_kind": {}, "by_category": {}}
        for name, value in counts.items():
            if name.startswith("kind:"):
                fields["by_kind"][name.removeprefix("kind:")] = value
            elif name.startswith("category:"):
                fields["by_category"][name.removeprefix("category:")] = value
            else:
                fields[name] = value
        rows.append(
            MonthlyStatistics(
                year=year,
                month=month,
                channel_id=channel_id,
                unit_id=unit_id,
                median_seconds=median,
                p90_seconds=p90,
                computed_at=now,
                **fields,
            )
        )
    MonthlyStatistics.objects.filter(year=year).delete()
    MonthlyStatistics.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def years_to_refresh(now: datetime.datetime) -> list[int]:
    """This year; in January also last year, whose December items are still being settled."""
    local = timezone.localtime(now)
    return [local.year - 1, local.year] if local.month == 1 else [local.year]
