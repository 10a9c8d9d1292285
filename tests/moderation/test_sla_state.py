"""One definition of "in time", "soon late" and "late" (Rimliga svarstider): the query on
Item (moderation.querysets) and its Python twin (deadlines.sla_state_of) agree on every item
at every moment; the queue, the start page and the warnings ask the query."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation import services
from moderation.deadlines import sla_state_of
from moderation.models import Item
from moderation.services import supervision
from moderation.workflow import SlaState

pytestmark = [pytest.mark.django_db, pytest.mark.each_database]

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


def _register(channel, received_at: str, external_id: str, kind: str = "question") -> Item:
    item, _ = services.register_item(
        channel,
        {
            "external_id": external_id,
            "kind": kind,
            "author": "Anna",
            "text": "När öppnar biblioteket?",
            "received_at": at(received_at).isoformat(),
        },
    )
    return item


@pytest.fixture
def items(channel, dora, time_machine):
    """Questions received over a week, two of them settled (one in time, one late), and the
    municipality's own post, which has no deadline: all through the services."""
    time_machine.move_to(at("2026-03-23 12:00"), tick=False)
    received = [
        "2026-03-16 08:00",
        "2026-03-16 16:30",
        "2026-03-17 12:00",
        "2026-03-19 16:59",
        "2026-03-20 16:00",
        "2026-03-21 10:00",
    ]
    made = [_register(channel, moment, f"fb-{n}") for n, moment in enumerate(received)]
    _register(channel, "2026-03-16 09:00", "post-1", kind="post")
    services.decide_item(
        made[0], by=dora, kind="answer", reply_text="Klockan 10.", now=at("2026-03-16 10:00")
    )
    services.decide_item(
        made[1], by=dora, kind="answer", reply_text="Klockan 10.", now=at("2026-03-19 10:00")
    )
    return list(Item.objects.all())


def _assert_one_definition(now: datetime.datetime) -> None:
    twin = {item.pk: sla_state_of(item, now) for item in Item.objects.all()}
    annotated = dict(Item.objects.with_sla_state(now).values_list("pk", "sla_state"))
    assert annotated == twin, now
    for state in SlaState.values:
        found = set(Item.objects.in_sla_state(now, state).values_list("pk", flat=True))
        assert found == {pk for pk, value in twin.items() if value == state}, (now, state)
    assert set(Item.objects.late(now).values_list("pk", flat=True)) == {
        pk for pk, value in twin.items() if value == SlaState.LATE
    }


def test_the_query_and_its_twin_agree_on_each_boundary(items):
    moments = set()
    for item in items:
        for moment in (item.received_at, item.warn_at, item.due_at, item.settled_at):
            if moment is not None:
                tick = datetime.timedelta(microseconds=1)
                moments |= {moment - tick, moment, moment + tick}

    for now in sorted(moments):
        _assert_one_definition(now)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    now=st.datetimes(
        min_value=datetime.datetime(2026, 3, 15),  # noqa: DTZ001 - hypothesis takes naive bounds
        max_value=datetime.datetime(2026, 3, 31),  # noqa: DTZ001
        timezones=st.just(datetime.UTC),
    )
)
def test_the_query_and_its_twin_agree_at_any_moment(items, now):
    _assert_one_definition(now)


def test_a_settled_item_keeps_the_state_it_was_settled_in(items):
    in_time, late = (Item.objects.get(external_id=name) for name in ("fb-0", "fb-1"))
    later = at("2026-06-01 12:00")

    assert sla_state_of(in_time, later) == SlaState.IN_TIME
    assert sla_state_of(late, later) == SlaState.LATE
    assert (in_time.sla_met, late.sla_met) == (True, False)


def test_an_item_without_a_deadline_has_no_state(items):
    post = Item.objects.get(external_id="post-1")

    assert sla_state_of(post, at("2026-03-23 12:00")) is None
    assert not Item.objects.in_sla_state(at("2026-03-23 12:00"), *SlaState.values).filter(
        pk=post.pk
    )


def test_the_queue_filters_soon_late_by_the_same_definition(client, channel, dora, time_machine):
    time_machine.move_to(at("2026-03-23 14:00"), tick=False)
    soon = _register(channel, "2026-03-23 08:00", "soon")
    fresh = _register(channel, "2026-03-23 13:00", "fresh")
    time_machine.move_to(soon.warn_at, tick=False)
    client.force_login(dora)

    page = client.get(reverse("moderation:item-list"), {"sla": "soon_late"}).content.decode()

    assert f"/moderering/{soon.pk}/" in page
    assert f"/moderering/{fresh.pk}/" not in page
    assert [item.pk for item in supervision.deadline_warnings_due(soon.warn_at)] == [soon.pk]
