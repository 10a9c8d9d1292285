"""Over random mixes of items and protections, the purge of removed texts blanks only what
no protection keeps, and a culled item sent again is never stored."""

import datetime
import itertools

import pytest
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiving.culling import services as culling
from archiving.models import LegalHold
from moderation import services as moderation_services
from moderation.models import CulledItem, Item
from moderation.services import ingest
from moderation.workflow import ItemStatus
from tests.culling.conftest import NOW, make_snapshot
from tests.factories import ChannelFactory
from tests.moderation.conftest import item_data

HYPOTHESIS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = "Grovt påhopp på bibliotekarien"
# Each example purges at a moment of its own, so that its record counts only its own texts.
_moments = itertools.count(1)

# --- The purge and the protections ------------------------------------------------------

removed_spec = st.fixed_dictionaries(
    {
        "channel": st.integers(0, 1),
        # How it was decided: removed, removed and reported to the police, secret, answered.
        "decision": st.sampled_from(["remove", "remove", "remove", "police", "secrecy", "answer"]),
        # A legal hold on the item: none, in force, or placed and released.
        "hold": st.sampled_from([None, None, "active", "released"]),
        # A reply under it registered in the diarium: the item is part of a case.
        "case": st.sampled_from([False, False, False, True]),
    }
)
purge_world = st.fixed_dictionaries(
    {
        "items": st.lists(removed_spec, min_size=1, max_size=8),
        "channel_hold": st.sampled_from([None, None, 0, 1]),
    }
)


def _register(channel, external_id: str, *, parent=None, kind="comment"):
    received = timezone.now() - datetime.timedelta(days=1)
    item, created = moderation_services.register_item(
        channel,
        item_data(
            external_id=external_id, kind=kind, text=TEXT, received_at=received, parent=parent
        ),
    )
    assert created
    return item


def _decide(item, spec, ingrid) -> None:
    decision = spec["decision"]
    if decision == "secrecy":
        moderation_services.decide_item(item, by=ingrid, kind="secrecy", diarienummer="KS 26/1")
    elif decision == "answer":
        moderation_services.decide_item(item, by=ingrid, kind="answer", reply_text="Tack!")
    else:
        moderation_services.decide_item(
            item,
            by=ingrid,
            kind="remove",
            category="fortal",
            police_report=decision == "police",
            police_reference="5000-K1-26" if decision == "police" else "",
        )


@pytest.mark.django_db
@HYPOTHESIS
@given(data=purge_world)
def test_the_purge_never_touches_a_text_a_protection_keeps(library, ingrid, decision, data):
    # Fresh channels for each example: what earlier examples left stays theirs.
    channels = [ChannelFactory(unit=library), ChannelFactory(unit=library)]
    made = []
    for number, spec in enumerate(data["items"]):
        channel = channels[spec["channel"]]
        item = _register(channel, f"fb-{number}")
        _decide(item, spec, ingrid)
        if spec["case"]:
            reply = _register(channel, f"fb-{number}-svar", parent=item.external_id)
            moderation_services.decide_item(
                reply, by=ingrid, kind="register", diarienummer="KS 26/2"
            )
        if spec["hold"] is not None:
            hold = culling.place_legal_hold(item, by=ingrid, reason="Begärd som bevis")
            if spec["hold"] == "released":
                culling.release_legal_hold(hold, by=ingrid)
        made.append((item, spec))
    channel_hold = None
    if data["channel_hold"] is not None:
        channel_hold = culling.place_legal_hold(
            channels[data["channel_hold"]], by=ingrid, reason="Tvist"
        )

    def unprotected(spec, *, holds: bool) -> bool:
        return (
            spec["decision"] == "remove"
            and not spec["case"]
            and not (holds and spec["hold"] == "active")
            and not (holds and spec["channel"] == data["channel_hold"])
        )

    now = timezone.now() + datetime.timedelta(days=31, seconds=next(_moments))
    record = culling.purge_removed_texts(now=now)

    expected = {item.pk for item, spec in made if unprotected(spec, holds=True)}
    purged = {item.pk for item, _spec in made if Item.objects.get(pk=item.pk).text == ""}
    assert purged == expected
    assert (record.purged_texts if record else 0) == len(expected)
    assert record is None or record.decision == decision

    # The holds end: the next run purges what they alone kept, and nothing else.
    for hold in LegalHold.objects.filter(released_at__isnull=True, channel__in=channels):
        culling.release_legal_hold(hold, by=ingrid)
    assert channel_hold is None or not LegalHold.objects.get(pk=channel_hold.pk).is_active
    later = now + datetime.timedelta(seconds=1)
    culling.purge_removed_texts(now=later)

    expected = {item.pk for item, spec in made if unprotected(spec, holds=False)}
    purged = {item.pk for item, _spec in made if Item.objects.get(pk=item.pk).text == ""}
    assert purged == expected
    for item, _spec in made:
        if item.pk not in expected:
            assert Item.objects.get(pk=item.pk).text == TEXT


# --- Culled, then sent again --------------------------------------------------------------

# Old enough to be culled at NOW (15 June 2026), inside the snapshot's first half-year.
RECEIVED = "2026-02-10T09:00:00+01:00"

sent_spec = st.fixed_dictionaries(
    {
        "trivial": st.sampled_from([True, True, False]),
        "parent": st.one_of(st.none(), st.integers(0, 12)),
    }
)


@pytest.mark.django_db
@override_settings(CULLING_REQUIRES_REVIEW=False)
@HYPOTHESIS
@given(specs=st.lists(sent_spec, min_size=1, max_size=10), data=st.data())
def test_a_culled_item_sent_again_is_never_stored(library, ingrid, decision, specs, data):
    channel = ChannelFactory(unit=library)
    sent: list[dict] = []
    for number, spec in enumerate(specs):
        parent = None
        if spec["parent"] is not None and spec["parent"] < len(sent):
            parent = sent[spec["parent"]]["external_id"]
        payload = item_data(
            external_id=f"fb-{number}", kind="comment", received_at=RECEIVED, parent=parent
        )
        item, _created = moderation_services.register_item(channel, payload)
        if spec["trivial"]:
            moderation_services.decide_item(item, by=ingrid, kind="trivial")
        sent.append(payload)
    make_snapshot(channel)

    culling.cull(None, by=None, now=NOW)

    stored = dict(Item.objects.filter(channel=channel).values_list("external_id", "status"))
    culled = set(CulledItem.objects.filter(channel=channel).values_list("external_id", flat=True))
    gone = {payload["external_id"] for payload in sent} - set(stored)
    assert gone <= culled
    # The platform sends everything again, in any order, with a new reply to each item.
    again = data.draw(st.permutations(sent))
    replies = [
        item_data(
            external_id=f"{payload['external_id']}-ny",
            kind="comment",
            received_at=RECEIVED,
            parent=payload["external_id"],
        )
        for payload in sent
    ]

    results = ingest.ingest_items(channel, [*again, *replies])

    for payload, (item, created) in zip(again, results, strict=False):
        assert not created
        if payload["external_id"] in gone:
            assert (item.pk, item.status) == (None, ItemStatus.CULLED)
        else:
            assert item.pk is not None
    after = dict(Item.objects.filter(channel=channel).values_list("external_id", "status"))
    assert not gone & set(after)
    assert {key: after[key] for key in stored} == stored
    for reply, (item, created) in zip(replies, results[len(again) :], strict=True):
        assert created
        assert (item.parent_id is None) == (reply["parent"] in gone)
