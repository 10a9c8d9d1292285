"""Culling's world: ingrid records the decision, items of every kind and age, and snapshots
made directly (their making is another module's work)."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from archiving.models import DispositionDecision, Snapshot, SnapshotReason, SnapshotRun
from moderation.models import Item
from tests.factories import ChannelFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Monday 15 June 2026, noon in Stockholm: three months back is 15 March.
NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=STOCKHOLM)
OLD = datetime.datetime(2026, 2, 10, 9, 0, tzinfo=STOCKHOLM)
YOUNG = datetime.datetime(2026, 4, 1, 9, 0, tzinfo=STOCKHOLM)
FIRST_HALF = (
    datetime.datetime(2026, 1, 1, tzinfo=STOCKHOLM),
    datetime.datetime(2026, 7, 1, tzinfo=STOCKHOLM),
)

_ids = itertools.count(1)


def make_item(channel, *, status="ringa", received_at=OLD, parent=None, **fields) -> Item:
    return Item.objects.create(
        channel=channel,
        kind=fields.pop("kind", "comment"),
        external_id=f"fb-{next(_ids)}",
        author=fields.pop("author", "Anna Andersson"),
        text=fields.pop("text", "Hur dags öppnar ni?"),
        received_at=received_at,
        parent=parent,
        status=status,
        **fields,
    )


def make_snapshot(channel, period=FIRST_HALF, *, started_at=None) -> Snapshot:
    """A finished snapshot of the channel's period, begun now (after the items were stored)."""
    started_at = started_at or timezone.now()
    run = SnapshotRun.objects.create(
        key=f"test:{channel.pk}:{next(_ids)}",
        channel=channel,
        period_start=period[0],
        period_end=period[1],
        reason=SnapshotReason.SCHEDULE,
        status="klar",
    )
    return Snapshot.objects.create(
        run=run,
        channel=channel,
        period_start=period[0],
        period_end=period[1],
        reason=SnapshotReason.SCHEDULE,
        items=0,
        pages=1,
        volumes=1,
        started_at=started_at,
        finished_at=started_at,
    )


@pytest.fixture
def decision(ingrid):
    return DispositionDecision.objects.create(
        reference="KS 2026/17 § 4",
        description="Inlägg av ringa eller tillfällig betydelse gallras efter tre månader.",
        adopted_on=datetime.date(2026, 1, 20),
        created_by=ingrid,
    )


@pytest.fixture
def page(library):
    return ChannelFactory(unit=library, account_name="Bibblan")


@pytest.fixture
def other_page(library):
    return ChannelFactory(unit=library, account_name="Bibblan Unga")
