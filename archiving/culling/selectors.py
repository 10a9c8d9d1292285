"""Culling's reads (Gallring av inlägg och kommentarer).

- `destruction_allowed`: the protections (legal hold, police report, diarium, secrecy, part
  of a case) that keep an item from any destruction, culling and the purge of removed texts.
- `cullable_items`: what makes an item cullable, the whole rule in one function. The proposal,
  the dry run and the re-check inside every deleting transaction all ask it.
- `culling_summary` and the log's reads: what a culling would take, and what it took.
- `may_cull`: who may cull, the one answer that views, services and templates ask.
"""

import dataclasses
import datetime
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from atvida_social.organisation.roles import is_information_unit
from channels.models import Channel
from moderation.models import Item
from moderation.services.culling import CASE_STATUSES, items_in_a_case, police_reports
from moderation.workflow import ItemStatus

from ..models import RunStatus, SnapshotCapture, TextSHA256
from ..selectors import is_active_user, may_see_archive
from .models import (
    CullingProposal,
    CullingRecord,
    CullingRecordLine,
    LegalHold,
    ProposalStatus,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def culling_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Items received before this moment are old enough: now less the culling age, in
    calendar months on the Stockholm calendar (31 May less three months is 28 February)."""
    local = timezone.localtime(now or timezone.now(), STOCKHOLM)
    return local - relativedelta(months=settings.CULLING_AGE_MONTHS)


def destruction_allowed(items: QuerySet[Item]) -> QuerySet[Item]:
    """Those of `items` that may be destroyed at all, culled or their text purged: the
    protections, each a line below, asked by both `cullable_items` and the purge
    (`services.purge_removed_texts`) so that they cannot drift apart.

    - no diarienummer, not registered or secret (moderation's `CASE_STATUSES`);
    - not part of a case: moderation's `items_in_a_case` (an item with a diarienummer, or
      registered or secret, and everything above and below it in its thread);
    - never reported to the police (moderation's `police_reports`): it is evidence;
    - no active legal hold on its channel, none on the item itself.
    """
    active_holds = LegalHold.objects.filter(released_at__isnull=True)
    channel_holds = active_holds.filter(item_external_id="", channel_id=OuterRef("channel_id"))
    return (
        items.filter(diarienummer="")
        .exclude(status__in=CASE_STATUSES)
        .exclude(pk__in=items_in_a_case())
        .exclude(Exists(police_reports().filter(item_id=OuterRef("pk"))))
        .exclude(Exists(channel_holds))
        .exclude(Exists(active_holds.filter(item_id=OuterRef("pk"))))
    )


def cullable_items(*, now: datetime.datetime | None = None) -> QuerySet[Item]:
    """Every item that may be culled now: the whole rule, each condition a line below.

    - marked trivial, and received before `culling_cutoff(now)` (CULLING_AGE_MONTHS back);
    - none of the protections of `destruction_allowed` (diarium, secrecy, part of a case,
      police report, legal hold on the item or its channel);
    - captured with the text it has now: a done snapshot run recorded it (`SnapshotCapture`)
      with its text not withheld and the SHA-256 of that text equal to its text's now. An
      item archived hidden or removed, or edited since, or stored after the run was planned,
      is not captured.
    """
    # A correlated IN, not an EXISTS: PostgreSQL makes an EXISTS a join that hashes every
    # capture for each batch a culling checks; this it looks up per item by its index.
    captured = SnapshotCapture.objects.filter(
        item_id=OuterRef("pk"),
        part__run__status=RunStatus.DONE,
        is_withheld=False,
        text_sha256=TextSHA256(OuterRef("text")),
    ).values("item_id")
    trivial = Item.objects.filter(status=ItemStatus.TRIVIAL, received_at__lt=culling_cutoff(now))
    return destruction_allowed(trivial).filter(pk__in=captured).order_by()


def culling_candidates(*, now: datetime.datetime | None = None) -> QuerySet[Item]:
    """The cheap first two conditions of `cullable_items` (trivial, old enough): what a
    culling cuts its batches from before it asks `cullable_items` of each batch under lock."""
    return Item.objects.filter(
        status=ItemStatus.TRIVIAL, received_at__lt=culling_cutoff(now)
    ).order_by()


def proposed_items(proposal: CullingProposal) -> QuerySet[Item]:
    """The items of a proposal that still exist (whether or not they may still go)."""
    return Item.objects.filter(pk__in=proposal.items.values("item_id")).order_by()


@dataclasses.dataclass(frozen=True)
class SummaryRow:
    channel: Channel
    month: datetime.datetime
    items: int
    earliest: datetime.datetime
    latest: datetime.datetime


@dataclasses.dataclass(frozen=True)
class CullingSummary:
    """What a culling would take: counts per channel and month, and a sample to read."""

    total: int
    rows: list[SummaryRow]
    sample: list[Item]


def culling_summary(items: QuerySet[Item], *, sample_size: int = 20) -> CullingSummary:
    grouped = list(
        items.annotate(month=TruncMonth("received_at", tzinfo=STOCKHOLM))
        .values("channel_id", "month")
        .annotate(count=Count("id"), earliest=Min("received_at"), latest=Max("received_at"))
        .order_by("channel_id", "month")
    )
    channels = Channel.objects.in_bulk({row["channel_id"] for row in grouped})
    rows = [
        SummaryRow(
            channel=channels[row["channel_id"]],
            month=row["month"],
            items=row["count"],
            earliest=row["earliest"],
            latest=row["latest"],
        )
        for row in grouped
    ]
    sample = list(items.select_related("channel").order_by("?")[:sample_size])
    return CullingSummary(total=sum(row.items for row in rows), rows=rows, sample=sample)


def record_totals(record: CullingRecord) -> dict:
    """A record's totals, summed from its lines: items, markers and the period they span."""
    totals = record.lines.aggregate(
        items=Sum("items"),
        markers=Sum("markers"),
        earliest=Min("earliest_received_at"),
        latest=Max("latest_received_at"),
    )
    return totals | {"items": totals["items"] or 0, "markers": totals["markers"] or 0}


def record_per_channel(record: CullingRecord) -> list[dict]:
    """What a record culled per channel: items, markers and the period they span."""
    return list(
        record.lines.values("channel_id", "channel__account_name", "channel__platform")
        .annotate(
            items=Sum("items"),
            markers=Sum("markers"),
            earliest=Min("earliest_received_at"),
            latest=Max("latest_received_at"),
        )
        .order_by("channel__account_name", "channel_id")
    )


# --- The culling pages -------------------------------------------------------------------


def proposal_under_review() -> CullingProposal | None:
    """The newest proposal waiting for Informationsenheten's review, if any."""
    return (
        CullingProposal.objects.filter(status=ProposalStatus.PROPOSED)
        .select_related("decision", "created_by")
        .order_by("-created_at", "-pk")
        .first()
    )


def active_holds() -> QuerySet[LegalHold]:
    """The legal holds in force, newest first."""
    return (
        LegalHold.objects.filter(released_at__isnull=True)
        .select_related("channel", "created_by")
        .order_by("-created_at", "-pk")
    )


def holds_covering(item: Item) -> list[LegalHold]:
    """The legal holds in force that keep `item`: its own and its channel's, newest first."""
    return list(
        active_holds().filter(
            Q(item=item) | Q(channel_id=item.channel_id, item_external_id="", item__isnull=True)
        )
    )


def culling_log() -> QuerySet[CullingRecord]:
    """The culling log (gallringslogg), newest first."""
    return CullingRecord.objects.select_related("by", "proposal").order_by("-created_at", "-pk")


def with_per_channel(records: list[CullingRecord]) -> list[CullingRecord]:
    """Attach to each record what it culled per channel (`per_channel`) and its totals
    (`total_items`, `total_markers`, `earliest`, `latest`), in one query for all of them."""
    by_record: dict[int, list[dict]] = {record.pk: [] for record in records}
    lines = (
        CullingRecordLine.objects.filter(record__in=list(by_record))
        .values("record_id", "channel_id", "channel__account_name", "channel__platform")
        .annotate(
            items=Sum("items"),
            markers=Sum("markers"),
            earliest=Min("earliest_received_at"),
            latest=Max("latest_received_at"),
        )
        .order_by("record_id", "channel__account_name", "channel_id")
    )
    platforms = dict(Channel._meta.get_field("platform").choices)
    for line in lines:
        line["platform"] = platforms.get(line["channel__platform"], line["channel__platform"])
        by_record[line["record_id"]].append(line)
    for record in records:
        record.per_channel = by_record[record.pk]
        record.total_items = sum(line["items"] for line in record.per_channel)
        record.total_markers = sum(line["markers"] for line in record.per_channel)
        record.earliest = min((line["earliest"] for line in record.per_channel), default=None)
        record.latest = max((line["latest"] for line in record.per_channel), default=None)
    return records


# --- Who may cull, and the objects they act on --------------------------------------------


def may_cull(user) -> bool:
    """Who may cull: only an active Informationsenheten user (or superuser) approves or
    discards a culling proposal, runs or proposes a culling, records the decision it rests on
    and places or lifts legal holds. An inactive account never may.

    The one answer: the culling pages (`ensure_may_cull`), the services (`culling.services`),
    the templates (the context processor's `may_cull`) and the item's panel all ask it."""
    return is_active_user(user) and is_information_unit(user)


def may_read_culling_log(user) -> bool:
    """Informationsenheten and the archivist read the culling log (gallringslogg)."""
    return may_see_archive(user)


def ensure_may_cull(user) -> None:
    if not may_cull(user):
        raise PermissionDenied


def proposal_for_review(user, pk: int) -> CullingProposal:
    """A culling proposal someone may approve or discard: 403 unless Informationsenheten,
    then 404."""
    ensure_may_cull(user)
    return get_object_or_404(CullingProposal, pk=pk)


def item_for_hold(user, item_id: int) -> Item:
    """An item someone may place a legal hold on: 403 unless Informationsenheten, then 404."""
    ensure_may_cull(user)
    return get_object_or_404(Item.objects.select_related("channel"), pk=item_id)


def legal_hold_for(user, pk: int) -> LegalHold:
    """A legal hold someone may lift: 403 unless Informationsenheten, then 404."""
    ensure_may_cull(user)
    return get_object_or_404(LegalHold, pk=pk)
