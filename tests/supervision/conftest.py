import datetime
import zoneinfo

import pytest

from activityplans.selectors import current_plan
from moderation import services
from moderation.models import Item

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
