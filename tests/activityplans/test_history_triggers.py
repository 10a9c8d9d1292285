"""On PostgreSQL the database itself refuses to change or delete a plan's events and
signatures (activityplans migration 0002): raw SQL that bypasses the model is stopped too, so
the history that a signed plan rests on cannot be rewritten (Bilaga 2: signatures cover the
exact content; STYLE.md, "Workflows")."""

import pytest
from django.db import DatabaseError, connection, transaction

from activityplans import services
from activityplans.models import PlanEvent, Signature
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

STATEMENTS = {
    "update-event": "UPDATE activityplans_planevent SET note = 'omskriven' WHERE id = %s",
    "delete-event": "DELETE FROM activityplans_planevent WHERE id = %s",
    "update-signature": "UPDATE activityplans_signature SET content_hash = 'x' WHERE id = %s",
    "delete-signature": "DELETE FROM activityplans_signature WHERE id = %s",
}


@pytest.fixture
def history(plan, alice, bob):
    """A submitted plan with its first event and bob's signature."""
    services.submit_plan(plan, by=alice)
    services.sign_plan(plan, by=bob, password=TEST_PASSWORD)
    return {
        "event": PlanEvent.objects.get(plan=plan),
        "signature": Signature.objects.get(plan=plan, signer=bob),
    }


def _rows():
    return (
        list(PlanEvent.objects.order_by("pk").values_list("pk", "note", "to_status")),
        list(Signature.objects.order_by("pk").values_list("pk", "content_hash", "signer_id")),
    )


@pytest.mark.parametrize("statement", list(STATEMENTS), ids=list(STATEMENTS))
def test_database_refuses_raw_sql_that_rewrites_plan_history(history, statement):
    row = history["event" if statement.endswith("event") else "signature"]
    before = _rows()

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(STATEMENTS[statement], [row.pk])

    assert _rows() == before


def test_database_still_accepts_new_history_rows(history, plan, dan):
    """Appending is what the history is for: a new signature is written as usual."""
    services.sign_plan(plan, by=dan, password=TEST_PASSWORD)

    assert Signature.objects.filter(plan=plan).count() == 2
