import threading

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, connections, transaction
from django.test import RequestFactory

from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.models import AuditLogEntry
from channels import services
from channels.exceptions import NothingToPublish, VersionImmutable
from channels.models import RegisterVersion
from tests.factories import ChannelFactory, PartyFactory, PartyLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(ingrid, library):
    ChannelFactory(unit=library, account_name="Biblioteket på Facebook")
    return services.publish_register(by=ingrid)


def test_publishing_freezes_the_register_into_version_one(version, ingrid):
    assert version.number == 1
    assert version.published_by == ingrid
    assert [c["account_name"] for c in version.content["channels"]] == ["Biblioteket på Facebook"]
    assert len(version.change_summary["channels"]["added"]) == 1


def test_frozen_content_does_not_follow_later_edits(version, library):
    channel = library.channels.get()
    channel.account_name = "Nytt namn"
    channel.save()

    version.refresh_from_db()

    assert version.content["channels"][0]["account_name"] == "Biblioteket på Facebook"


def test_publishing_with_nothing_changed_is_refused(version, ingrid):
    with pytest.raises(NothingToPublish, match="Inget har ändrats"):
        services.publish_register(by=ingrid)
    assert RegisterVersion.objects.count() == 1


def test_changes_since_last_version_are_summarised(version, ingrid, library):
    channel = library.channels.get()
    channel.account_name = "Nytt namn"
    channel.save()
    ChannelFactory(unit=library, platform="youtube", url="https://www.youtube.com/@bibblan")

    second = services.publish_register(by=ingrid)

    assert second.number == 2
    assert len(second.change_summary["channels"]["added"]) == 1
    assert second.change_summary["channels"]["changed"][0]["fields"] == ["account_name"]


def test_planned_and_closed_channels_are_not_published(ingrid, library):
    ChannelFactory(unit=library, status="planerad", started_on=None)
    ChannelFactory(unit=library, status="avslutad", ended_on="2025-06-01")

    with pytest.raises(NothingToPublish):
        services.publish_register(by=ingrid)


def test_only_represented_parties_links_are_published(ingrid):
    PartyLinkFactory(party=PartyFactory(name="Sittande partiet"))
    PartyLinkFactory(party=PartyFactory(name="Avgånget partiet", is_represented=False))

    version = services.publish_register(by=ingrid)

    assert [link["party"] for link in version.content["party_links"]] == ["Sittande partiet"]


def test_only_information_unit_may_publish(alice, library):
    ChannelFactory(unit=library)

    with pytest.raises(PermissionDeniedError):
        services.publish_register(by=alice)
    assert not RegisterVersion.objects.exists()


def test_publishing_is_written_to_the_audit_log(version, ingrid):
    entry = AuditLogEntry.objects.get(action="register_published")

    assert entry.actor == ingrid
    assert entry.object_id == str(version.pk)


def test_published_version_cannot_be_saved_again(version):
    version.content = {"channels": [], "party_links": []}

    with pytest.raises(VersionImmutable):
        version.save()


def test_published_version_cannot_be_deleted(version):
    with pytest.raises(VersionImmutable):
        version.delete()
    assert RegisterVersion.objects.filter(pk=version.pk).exists()


def test_published_version_cannot_be_updated_in_bulk(version):
    with pytest.raises(VersionImmutable):
        RegisterVersion.objects.update(number=99)
    assert RegisterVersion.objects.get().number == 1


def test_published_version_cannot_be_deleted_in_bulk(version):
    with pytest.raises(VersionImmutable):
        RegisterVersion.objects.all().delete()
    assert RegisterVersion.objects.count() == 1


def test_admin_cannot_change_or_delete_a_published_version(version, ingrid):
    request = RequestFactory().get("/admin/")
    request.user = ingrid
    model_admin = site._registry[RegisterVersion]

    assert not model_admin.has_change_permission(request, version)
    assert not model_admin.has_delete_permission(request, version)
    assert not model_admin.has_add_permission(request)


@pytest.mark.postgres
def test_published_version_cannot_be_changed_by_sql(version):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE channels_registerversion SET number = 99")
    assert RegisterVersion.objects.get().number == 1


@pytest.mark.postgres
def test_published_version_cannot_be_deleted_by_sql(version):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM channels_registerversion")
    assert RegisterVersion.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_publishes_get_consecutive_numbers(ingrid, library):
    """Each publisher adds its own channel and publishes in one transaction, in parallel."""
    barrier = threading.Barrier(2)
    numbers, errors = [], []

    def publish(name: str) -> None:
        try:
            with transaction.atomic():
                ChannelFactory(unit=library, account_name=name)
                barrier.wait(timeout=10)
                numbers.append(services.publish_register(by=ingrid).number)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(f"Kanal {i}",)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(numbers) == [1, 2]
    assert sorted(RegisterVersion.objects.values_list("number", flat=True)) == [1, 2]
