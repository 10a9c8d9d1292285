import datetime
import zoneinfo

import pytest

from activityplans import services as plan_services
from activityplans.selectors import current_plan
from moderation import services
from moderation.models import Item
from tests.factories import ActivityPlanFactory

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def at(text: str) -> datetime.datetime:
    """A Stockholm wall-clock moment, "2026-03-27 16:30"."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


@pytest.fixture
def travel(time_machine):
    """travel("2026-03-27 16:30") moves the clock there (Stockholm time), standing still."""

    def go(moment: str | datetime.datetime) -> datetime.datetime:
        when = at(moment) if isinstance(moment, str) else moment
        time_machine.move_to(when, tick=False)
        return when

    return go


def register(channel, received_at: str, external_id: str = "fb-1", kind="question") -> Item:
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


def set_monitoring(channel, **fields) -> None:
    """Change the current plan's structured monitoring in place (as an approved revision
    would)."""
    plan = current_plan(channel)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()


@pytest.fixture
def plan(library, alice, bob, dora):
    """A draft plan for the library's page whose monitoring the tests choose."""
    return ActivityPlanFactory(
        unit=library,
        url="https://www.facebook.com/bibblan-bevakning",
        manager=bob,
        prepared_by=alice,
        administrators=[alice, dora],
        daily_operators=[dora],
    )


def save_plan_with(plan, by, **fields):
    """Save the plan through its service with `fields` changed."""
    for name, value in fields.items():
        setattr(plan, name, value)
    return plan_services.save_plan(
        plan,
        by=by,
        administrators=plan.administrators.all(),
        daily_operators=plan.daily_operators.all(),
    )
