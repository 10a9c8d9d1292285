import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import AuditLogImmutable
from atvida_social.organisation.models import AuditLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(alice, library):
    return record_audit("unit_viewed", by=alice, obj=library, details={"why": "test"})


def test_audit_entry_records_actor_object_and_details(entry, alice, library):
    stored = AuditLogEntry.objects.get(pk=entry.pk)

    assert stored.actor == alice
    assert stored.actor_name == "alice"
    assert stored.object_id == str(library.pk)
    assert stored.object_repr == "Biblioteket"
    assert stored.content_type.model == "unit"
    assert stored.details == {"why": "test"}
    assert stored.at is not None


def test_audit_entry_takes_the_address_of_the_current_request(client, alice):
    client.force_login(alice)

    client.post("/logga-ut/", REMOTE_ADDR="198.51.100.7")

    assert AuditLogEntry.objects.get(action="logout").ip_address == "198.51.100.7"


def test_audit_entry_cannot_be_saved_again(entry):
    entry.action = "something_else"

    with pytest.raises(AuditLogImmutable):
        entry.save()
    assert AuditLogEntry.objects.get(pk=entry.pk).action == "unit_viewed"


def test_audit_entry_cannot_be_deleted(entry):
    with pytest.raises(AuditLogImmutable):
        entry.delete()
    assert AuditLogEntry.objects.filter(pk=entry.pk).exists()


def test_audit_log_refuses_bulk_update(entry):
    with pytest.raises(AuditLogImmutable):
        AuditLogEntry.objects.filter(pk=entry.pk).update(action="x")
    assert AuditLogEntry.objects.get(pk=entry.pk).action == "unit_viewed"


def test_audit_log_refuses_bulk_delete(entry):
    with pytest.raises(AuditLogImmutable):
        AuditLogEntry.objects.all().delete()
    assert AuditLogEntry.objects.count() == 1


def test_admin_offers_no_way_to_add_change_or_delete_audit_entries(entry, ingrid):
    ingrid.is_superuser = True
    request = RequestFactory().get("/admin/")
    request.user = ingrid
    model_admin = site._registry[AuditLogEntry]

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)


def test_admin_change_page_of_audit_entry_saves_nothing(client, entry, ingrid):
    ingrid.is_staff = ingrid.is_superuser = True
    ingrid.save()
    client.force_login(ingrid)
    url = f"/admin/organisation/auditlogentry/{entry.pk}/change/"

    response = client.post(url, {"action": "tampered"})

    assert response.status_code == 403
    assert AuditLogEntry.objects.get(pk=entry.pk).action == "unit_viewed"


@pytest.mark.postgres
def test_database_trigger_refuses_sql_update_of_audit_log(entry):
    sql = "UPDATE organisation_auditlogentry SET action = 'x' WHERE id = %s"
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    assert AuditLogEntry.objects.get(pk=entry.pk).action == "unit_viewed"


@pytest.mark.postgres
def test_database_trigger_refuses_sql_delete_of_audit_log(entry):
    sql = "DELETE FROM organisation_auditlogentry WHERE id = %s"
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    assert AuditLogEntry.objects.filter(pk=entry.pk).exists()
