"""On PostgreSQL the culling log is append-only for any client, and a decision can be deleted
only by the culling transaction, only for a trivial item."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from archiving.culling import services as culling
from archiving.models import CullingRecord, CullingRecordLine, DispositionDecision
from moderation import services as moderation_services
from moderation.models import Decision
from tests.culling.conftest import NOW, make_item, make_snapshot

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _sql(statement: str, params: list, *, culling_flag: bool = False) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if culling_flag:
            cursor.execute("SET LOCAL atvida.culling = 'on'")
        cursor.execute(statement, params)


@pytest.fixture
def record(page, decision):
    make_item(page)
    make_snapshot(page)
    with override_settings(CULLING_REQUIRES_REVIEW=False):
        return culling.cull(None, by=None, now=NOW).record


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE archiving_cullingrecord SET purged_texts = 99 WHERE id = %s",
        "DELETE FROM archiving_cullingrecord WHERE id = %s",
        "UPDATE archiving_cullingrecordline SET items = 0 WHERE record_id = %s",
        "DELETE FROM archiving_cullingrecordline WHERE record_id = %s",
    ],
)
def test_the_culling_log_refuses_sql_changes(record, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        _sql(statement, [record.pk])
    # Not even with the flag the culling transaction sets.
    with pytest.raises(DatabaseError, match="append-only"):
        _sql(statement, [record.pk], culling_flag=True)
    assert CullingRecord.objects.get(pk=record.pk).purged_texts == 0
    assert CullingRecordLine.objects.get(record=record).items == 1


def test_a_disposition_decision_refuses_sql_update(decision):
    with pytest.raises(DatabaseError, match="append-only"):
        _sql(
            "UPDATE archiving_dispositiondecision SET reference = 'x' WHERE id = %s", [decision.pk]
        )
    assert DispositionDecision.objects.get(pk=decision.pk).reference == "KS 2026/17 § 4"


@pytest.fixture
def trivial_decision(page, ingrid):
    item = make_item(page, status="ny")
    return moderation_services.decide_item(item, by=ingrid, kind="trivial")


def test_an_ordinary_delete_of_a_decision_is_still_refused(trivial_decision):
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("DELETE FROM moderation_decision WHERE id = %s", [trivial_decision.pk])
    assert Decision.objects.filter(pk=trivial_decision.pk).exists()


def test_the_culling_flag_does_not_free_a_decision_on_an_item_that_is_not_trivial(page, ingrid):
    item = make_item(page, status="ny")
    kept = moderation_services.decide_item(item, by=ingrid, kind="keep")
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("DELETE FROM moderation_decision WHERE id = %s", [kept.pk], culling_flag=True)
    assert Decision.objects.filter(pk=kept.pk).exists()


def test_the_culling_flag_never_allows_an_update_of_a_decision(trivial_decision):
    with pytest.raises(DatabaseError, match="append-only"):
        _sql(
            "UPDATE moderation_decision SET reason = 'x' WHERE id = %s",
            [trivial_decision.pk],
            culling_flag=True,
        )


@override_settings(CULLING_REQUIRES_REVIEW=False)
def test_after_culling_the_same_transaction_cannot_delete_decisions(page, decision, ingrid):
    make_item(page)
    make_snapshot(page)
    other = moderation_services.decide_item(make_item(page, status="ny"), by=ingrid, kind="trivial")
    with transaction.atomic():  # the test's transaction stays open around the culling
        culling.cull(None, by=None, now=NOW, batch_size=1)
        with pytest.raises(DatabaseError, match="append-only"):
            _sql("DELETE FROM moderation_decision WHERE id = %s", [other.pk])


@override_settings(CULLING_REQUIRES_REVIEW=False)
def test_culling_deletes_a_trivial_items_decisions_on_postgresql(page, decision, trivial_decision):
    make_snapshot(page)
    culling.cull(None, by=None, now=NOW)
    assert not Decision.objects.filter(pk=trivial_decision.pk).exists()
