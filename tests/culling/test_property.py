"""Over random mixes of items, culling takes only what the rule allows, and logs it all.

The items are registered and decided on through moderation's services and the snapshots
taken by the archiving services. Some items are hidden by a rule on arrival and archived
so (their text withheld), and decided on only after the snapshot; some are edited on the
platform after it: neither was captured with the text it has, and neither may go."""

import datetime
from collections import Counter

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiving.culling import services as culling
from archiving.models import CullingRecordLine, LegalHold, Snapshot
from moderation.models import Item
from tests.culling.conftest import (
    FIRST_HALF,
    HIDDEN_TEXT,
    NOW,
    STOCKHOLM,
    bring_to,
    make_item,
    make_snapshot,
)
from tests.factories import ChannelFactory

STATUSES = ["ringa", "ringa", "ringa", "ny", "besvarad", "diarieford", "sekretess", "borttagen"]
RECEIVED = [
    datetime.datetime(2026, 1, 5, 8, 0, tzinfo=STOCKHOLM),  # old, in the first half-year
    datetime.datetime(2026, 3, 14, 23, 0, tzinfo=STOCKHOLM),  # old, a day before the cutoff
    datetime.datetime(2026, 3, 15, 12, 30, tzinfo=STOCKHOLM),  # just too young
    datetime.datetime(2026, 5, 1, 8, 0, tzinfo=STOCKHOLM),  # young
    datetime.datetime(2025, 11, 3, 8, 0, tzinfo=STOCKHOLM),  # old, in no snapshot
]

item_spec = st.fixed_dictionaries(
    {
        "channel": st.integers(0, 1),
        "status": st.sampled_from(STATUSES),
        "received": st.sampled_from(RECEIVED),
        "diarienummer": st.sampled_from(["", "", "", "KS 2026/5"]),
        "parent": st.one_of(st.none(), st.integers(0, 30)),
        "held": st.sampled_from([False, False, False, True]),
        # As the snapshot found its text: shown, withheld (hidden on arrival), or shown and
        # edited on the platform afterwards.
        "text": st.sampled_from(["shown", "shown", "shown", "withheld", "edited"]),
    }
)
world = st.fixed_dictionaries(
    {
        "items": st.lists(item_spec, min_size=1, max_size=14),
        "snapshots": st.lists(st.booleans(), min_size=2, max_size=2),
        "channel_hold": st.sampled_from([None, 0, 1, None, None]),
        "batch_size": st.integers(1, 5),
    }
)


def _ancestors(item: Item, by_pk: dict) -> list[Item]:
    found = []
    while item.parent_id is not None:
        item = by_pk[item.parent_id]
        found.append(item)
    return found


def _in_a_case(item: Item, by_pk: dict, children: dict) -> bool:
    def registered(i):
        return bool(i.diarienummer) or i.status in ("diarieford", "sekretess")

    if any(registered(a) for a in _ancestors(item, by_pk)):
        return True
    stack = list(children.get(item.pk, []))
    while stack:
        child = stack.pop()
        if registered(child):
            return True
        stack.extend(children.get(child.pk, []))
    return False


@pytest.mark.django_db
@override_settings(CULLING_REQUIRES_REVIEW=False)
@settings(
    # Each example registers, decides and snapshots through the services: 30 keep it near 40 s.
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=world)
def test_culling_never_touches_an_item_the_rule_protects(
    library, ingrid, decision, hiding_rule, data
):
    # Fresh channels for each example: what earlier examples left is protected and stays so.
    channels = [ChannelFactory(unit=library), ChannelFactory(unit=library)]
    made: list[Item] = []
    later: list[tuple[Item, str, str]] = []  # hidden when archived, decided on afterwards
    edited: list[Item] = []
    for spec in data["items"]:
        parent = None
        if spec["parent"] is not None and spec["parent"] < len(made):
            parent = made[spec["parent"]]
        channel = parent.channel if parent is not None else channels[spec["channel"]]
        # A removed item cannot be registered in the diarium afterwards (only made secret).
        diarienummer = "" if spec["status"] == "borttagen" else spec["diarienummer"]
        withheld = spec["text"] == "withheld"
        item = make_item(
            channel,
            status="dold" if withheld else spec["status"],
            received_at=spec["received"],
            diarienummer="" if withheld else diarienummer,
            parent=parent,
            text=HIDDEN_TEXT if withheld else "Hur dags öppnar ni?",
        )
        if withheld:
            later.append((item, spec["status"], diarienummer))
        if spec["text"] == "edited":
            edited.append(item)
        made.append(item)
        if spec["held"]:
            LegalHold.objects.create(
                channel=channel, item=item, item_external_id=item.external_id,
                reason="Begärd", created_by=ingrid,
            )  # fmt: skip
    if data["channel_hold"] is not None:
        LegalHold.objects.create(
            channel=channels[data["channel_hold"]], reason="Tvist", created_by=ingrid
        )
    for channel, captured in zip(channels, data["snapshots"], strict=True):
        if captured:
            make_snapshot(channel, FIRST_HALF)
    for item, status, diarienummer in later:
        bring_to(item, "dold" if status == "ny" else status, diarienummer=diarienummer)
    for item in edited:
        # The platform's edit of the comment (a new version of the item).
        Item.objects.filter(pk=item.pk).update(text="Hur dags öppnar ni på lördag?")
    made = [Item.objects.get(pk=item.pk) for item in made]
    not_as_captured = {item.pk for item, _status, _d in later} | {item.pk for item in edited}

    by_pk = {item.pk: item for item in made}
    children: dict[int, list[Item]] = {}
    for item in made:
        if item.parent_id is not None:
            children.setdefault(item.parent_id, []).append(item)
    snapshot_channels = set(Snapshot.objects.values_list("channel_id", flat=True))
    held_items = set(LegalHold.objects.filter(item__isnull=False).values_list("item_id", flat=True))
    held_channels = set(
        LegalHold.objects.filter(item_external_id="").values_list("channel_id", flat=True)
    )
    cutoff = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=STOCKHOLM)

    def may_go(item: Item) -> bool:
        return (
            item.status == "ringa"
            and item.received_at < cutoff
            and not item.diarienummer
            and not _in_a_case(item, by_pk, children)
            and item.pk not in held_items
            and item.channel_id not in held_channels
            and item.channel_id in snapshot_channels
            and FIRST_HALF[0] <= item.received_at < FIRST_HALF[1]
            and item.pk not in not_as_captured
        )

    expected_gone = {item.pk for item in made if may_go(item)}

    dry = culling.cull(None, by=None, dry_run=True, now=NOW)
    assert Item.objects.filter(pk__in=by_pk).count() == len(made)
    assert sum(row.items for row in dry.preview.rows if row.channel in channels) == len(
        expected_gone
    )

    result = culling.cull(None, by=None, now=NOW, batch_size=data["batch_size"])

    remaining = dict(Item.objects.values_list("pk", "status"))
    for item in made:
        if item.pk in expected_gone:
            # Gone, or an empty marker because a reply that stays hangs from it.
            if item.pk in remaining:
                assert remaining[item.pk] == "gallrad"
                assert any(c.pk in remaining for c in children.get(item.pk, []))
        else:
            assert remaining.get(item.pk) == item.status, f"{item.status} item was touched"
    # Every reply that stays still has what it answers.
    for item in made:
        if item.pk in remaining and item.parent_id is not None:
            assert item.parent_id in remaining
    # The log matches what went, per channel.
    went = Counter(item.channel_id for item in made if item.pk in expected_gone)
    logged = Counter()
    if result.record is not None:
        for line in CullingRecordLine.objects.filter(record=result.record, channel__in=channels):
            logged[line.channel_id] += line.items
    assert logged == went
