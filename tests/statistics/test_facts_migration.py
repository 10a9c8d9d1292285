"""The data migration that gives every item stored before facts were kept its fact, and the
PostgreSQL trigger that keeps the facts."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from moderation import services
from moderation.models import Item, ItemFact
from moderation.services import statistics

# The migration's own function, run on today's schema: migrating the database back to before
# it would leave every later column out of the tables the services write.
fill = importlib.import_module("moderation.migrations.0010_fill_item_facts").fill


def _item(channel, external_id: str, received: str):
    item, _created = services.register_item(
        channel,
        {
            "external_id": external_id,
            "kind": "question",
            "author": "Anna Andersson",
            "text": "Har ni öppet på lördag?",
            "received_at": received,
        },
    )
    return item


@pytest.mark.each_database
@pytest.mark.django_db(transaction=True)
def test_every_item_stored_before_facts_were_kept_gets_its_fact(channel, ingrid):
    answered = _item(channel, "gammal-1", "2026-02-02T09:00+01:00")
    services.decide_item(
        answered, by=ingrid, kind="remove", category="hets",
        now=datetime.datetime.fromisoformat("2026-02-02T11:00+01:00"),
    )  # fmt: skip
    waiting = _item(channel, "gammal-2", "2026-02-03T09:00+01:00")
    # As stored before facts were kept: the items, and no facts (PostgreSQL's trigger
    # refuses DELETE, not TRUNCATE).
    with connection.cursor() as cursor:
        empty = "TRUNCATE" if connection.vendor == "postgresql" else "DELETE FROM"
        cursor.execute(f"{empty} {ItemFact._meta.db_table}")
    assert not ItemFact.objects.exists()

    with connection.schema_editor(atomic=False) as schema_editor:
        fill(apps, schema_editor)

    for item in (answered, waiting):
        item = Item.objects.get(pk=item.pk)
        fact = ItemFact.objects.get(item_id=item.pk)
        assert [getattr(fact, name) for name in statistics.FACT_FIELDS] == [
            getattr(item, name) for name in statistics.FACT_FIELDS
        ]
    assert ItemFact.objects.get(item_id=answered.pk).removed_category == "hets"
    assert ItemFact.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_refuses_to_delete_a_fact(channel):
    item = _item(channel, "kvar", "2026-02-02T09:00+01:00")

    with pytest.raises(DatabaseError, match="kept for the statistics"), transaction.atomic():
        ItemFact.objects.filter(item_id=item.pk).delete()

    assert ItemFact.objects.filter(item_id=item.pk).exists()
