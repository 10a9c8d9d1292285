"""A channel's platform connection (services.connections): who enters it, what is checked,
that the secrets never leave encrypted storage, and what "Testa anslutningen" records.

The connectors are not on this branch yet: `tests.moderation.platforms.stub` stands in for
Facebook's and YouTube's (the lead switches these tests to the real ones and the simulator)."""

import json
import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import connection as db

from atvida_social.organisation.exceptions import DomainError, PermissionDeniedError
from atvida_social.organisation.models import AuditLogEntry
from moderation import services
from moderation.models import ConnectionState, Item, PlatformConnection
from moderation.services import connections
from tests.factories import ChannelFactory
from tests.moderation.conftest import item_data
from tests.moderation.platforms.stub import stub_connectors

pytestmark = pytest.mark.django_db

TOKEN = "EAAB-hemlig-sidtoken-4711"
SECRETS = {"page_token": TOKEN, "app_secret": "appens-hemlighet-0815"}


@pytest.fixture(autouse=True)
def _stub():
    with stub_connectors():
        yield


def _save(channel, by, **secrets):
    return connections.save_connection(
        channel, by=by, account_id="1234567890", credentials={**SECRETS, **secrets}
    )


def test_an_account_owner_connects_the_channel_untested(channel, alice):
    link = _save(channel, alice)

    link.refresh_from_db()
    assert (link.platform, link.account_id, link.state) == (
        "facebook",
        "1234567890",
        ConnectionState.UNTESTED,
    )
    assert json.loads(link.credentials) == SECRETS


def test_the_secrets_are_stored_encrypted(channel, alice):
    link = _save(channel, alice)

    with db.cursor() as cursor:
        cursor.execute(
            "SELECT credentials FROM moderation_platformconnection WHERE id = %s", [link.pk]
        )
        (stored,) = cursor.fetchone()
    assert TOKEN not in stored


def test_the_audit_row_names_the_secrets_entered_never_their_values(channel, alice):
    _save(channel, alice)

    entry = AuditLogEntry.objects.get(action="platform_connection_saved")
    assert entry.details["secrets_entered"] == ["app_secret", "page_token"]
    assert TOKEN not in json.dumps(entry.details) + entry.object_repr


def test_a_daily_operator_may_not_connect_the_channel(channel, dora):
    with pytest.raises(PermissionDeniedError):
        _save(channel, dora)

    assert not PlatformConnection.objects.exists()


def test_informationsenheten_connects_any_channel(channel, ingrid):
    assert _save(channel, ingrid).created_by == ingrid


def test_a_closed_channel_is_not_connected(channel, alice):
    channel.status = "avslutad"
    channel.save()

    with pytest.raises(connections.ChannelClosed):
        _save(channel, alice)


def test_a_platform_without_a_connector_is_refused_in_swedish(library, ingrid):
    linkedin = ChannelFactory(unit=library, platform="linkedin")

    with pytest.raises(DomainError, match="kan inte anslutas till LinkedIn"):
        _save(linkedin, ingrid)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Ange sidans token"),
        ("rad ett\nrad två", "ska stå på en rad"),
        ("x" * 4097, "högst 4096 tecken"),
    ],
    ids=["missing", "two-lines", "too-long"],
)
def test_every_secret_is_given_on_one_bounded_line(channel, alice, value, message):
    with pytest.raises(ValidationError) as refused:
        _save(channel, alice, page_token=value)

    assert message in " ".join(refused.value.message_dict["page_token"])
    assert not PlatformConnection.objects.exists()


def test_a_secret_of_4096_characters_is_accepted(channel, alice):
    assert _save(channel, alice, page_token="x" * 4096).pk is not None


def test_an_account_id_on_two_lines_is_refused(channel, alice):
    with pytest.raises(ValidationError) as refused:
        connections.save_connection(channel, by=alice, account_id="12\n34", credentials=SECRETS)

    assert "account_id" in refused.value.message_dict


def test_new_access_mends_a_broken_connection(channel, alice):
    link = _save(channel, alice, page_token="utgangen-token")
    connections.test_connection(link, by=alice)
    assert PlatformConnection.objects.get().state == ConnectionState.BROKEN

    _save(channel, alice)

    link = PlatformConnection.objects.get()
    assert (link.state, link.broken_at, link.broken_reason) == (ConnectionState.UNTESTED, None, "")


def test_a_working_test_records_the_missing_permissions_and_the_limits(channel, alice):
    link = _save(channel, alice, page_token="utan-dolja-token")

    result = connections.test_connection(link, by=alice)

    link.refresh_from_db()
    assert result.ok
    assert "behörigheter saknas: Dölja kommentarer" in result.message
    assert (link.state, link.missing_permissions) == (
        ConnectionState.WORKING,
        ["Dölja kommentarer"],
    )
    assert link.limits["summary"] == "12 % av timmens anrop använda"


def test_a_refused_token_breaks_the_connection(channel, alice):
    link = _save(channel, alice, page_token="utgangen-token")

    result = connections.test_connection(link, by=alice)

    link.refresh_from_db()
    assert not result.ok
    assert (link.state, link.broken_reason) == (ConnectionState.BROKEN, "Åtkomsten har gått ut.")
    assert link.broken_at is not None


def test_a_platform_error_is_told_in_swedish_and_leaves_the_state(channel, alice):
    link = _save(channel, alice, page_token="fel-token")

    result = connections.test_connection(link, by=alice)

    link.refresh_from_db()
    assert (result.ok, result.message) == (False, "Plattformen svarade med ett serverfel.")
    assert link.state == ConnectionState.UNTESTED
    assert link.tested_at is not None


def test_a_daily_operator_may_not_test_the_connection(channel, alice, dora):
    link = _save(channel, alice)

    with pytest.raises(PermissionDeniedError):
        connections.test_connection(link, by=dora)


def test_removing_the_connection_keeps_the_items(channel, alice):
    item = services.register_item(channel, item_data())[0]
    link = _save(channel, alice)

    connections.remove_connection(link, by=alice)

    assert not PlatformConnection.objects.exists()
    assert Item.objects.filter(pk=item.pk).exists()
    entry = AuditLogEntry.objects.get(action="platform_connection_removed")
    assert entry.details["account_id"] == "1234567890"


def test_a_daily_operator_may_not_remove_the_connection(channel, alice, dora):
    link = _save(channel, alice)

    with pytest.raises(PermissionDeniedError):
        connections.remove_connection(link, by=dora)

    assert PlatformConnection.objects.exists()


def test_no_secret_reaches_the_logs(channel, alice, caplog):
    caplog.set_level(logging.DEBUG)

    link = _save(channel, alice)
    connections.test_connection(link, by=alice)
    _save(channel, alice, page_token="utgangen-" + TOKEN)
    connections.test_connection(PlatformConnection.objects.get(), by=alice)

    assert TOKEN not in caplog.text
    assert all(TOKEN not in json.dumps(e.details) for e in AuditLogEntry.objects.all())
