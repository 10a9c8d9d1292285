"""The data migration that moves the open items' warning moment ("snart sen") from calendar
time to working time, batch by batch."""

import datetime
import zoneinfo
from importlib import import_module

import pytest
from django.apps import apps
from django.db.models import F

from moderation import deadlines, services
from moderation.models import Item

pytestmark = [pytest.mark.django_db, pytest.mark.each_database]

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
MIGRATION = "moderation.migrations.0013_warn_at_in_working_time"


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


@pytest.fixture
def items(channel, dora, time_machine):
    """Five open questions and one answered, all received on Friday afternoons or Saturdays,
    with warn_at as it was computed before: three quarters of the calendar time."""
    time_machine.move_to(at("2026-03-23 07:00"), tick=False)
    received = ["2026-03-13 16:00", "2026-03-14 10:00", "2026-03-20 15:00", "2026-03-20 16:30"]
    received += ["2026-03-21 11:00", "2026-03-20 16:00"]
    made = []
    for number, moment in enumerate(received):
        item, _ = services.register_item(
            channel,
            {
                "external_id": f"fb-{number}",
                "kind": "question",
                "author": "Anna",
                "text": "När öppnar biblioteket?",
                "received_at": at(moment).isoformat(),
            },
        )
        made.append(item)
    services.decide_item(made[-1], by=dora, kind="answer", reply_text="Klockan 10.")
    Item.objects.update(warn_at=F("received_at") + (F("due_at") - F("received_at")) * 0.75)
    return [item.pk for item in made[:-1]], made[-1].pk


def test_open_items_warn_in_working_time_after_the_migration(items, monkeypatch):
    open_pks, settled_pk = items
    migration = import_module(MIGRATION)
    monkeypatch.setattr(migration, "BATCH", 2)
    settled_before = Item.objects.get(pk=settled_pk).warn_at

    migration.forwards(apps, None)

    for item in Item.objects.filter(pk__in=open_pks):
        assert item.warn_at == deadlines.warn_at_for(item.received_at, item.due_at), item
    assert Item.objects.get(pk=settled_pk).warn_at == settled_before
    # Friday 16:00, due Monday 16:00: Monday 13:45, not Sunday.
    friday = Item.objects.get(external_id="fb-0")
    assert friday.warn_at == at("2026-03-16 13:45")


def test_reversing_the_migration_puts_calendar_time_back(items, monkeypatch):
    open_pks, _settled = items
    migration = import_module(MIGRATION)
    monkeypatch.setattr(migration, "BATCH", 2)
    migration.forwards(apps, None)

    migration.backwards(apps, None)

    for item in Item.objects.filter(pk__in=open_pks):
        calendar_time = item.received_at + (item.due_at - item.received_at) * 0.75
        assert abs(item.warn_at - calendar_time) < datetime.timedelta(milliseconds=1), item
