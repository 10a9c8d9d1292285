"""A channel's platform connection (services.connections): who enters it, what is checked,
that the secrets never leave encrypted storage, and what "Testa anslutningen" records, with
Facebook's connector answered by the simulator."""

import json
import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import connection as db

from atvida_social.organisation.exceptions import DomainError, PermissionDeniedError
from atvida_social.organisation.models import AuditLogEntry
from moderation import services
from moderation.models import ConnectionState, Item, PlatformConnection
from moderation.platforms.facebook import simulator as facebook
from moderation.platforms.simulator.state import Fault
from moderation.services import connections, pulls
from tests.factories import ChannelFactory
from tests.moderation.conftest import item_data
from tests.moderation.platforms.page import HIDING, PAGE, TOKEN, open_page

pytestmark = pytest.mark.django_db

SECRETS = {"access_token": TOKEN}


@pytest.fixture(autouse=True)
def page(simulator):
    open_page(simulator)
    return simulator


def _save(channel, by, **secrets):
    return connections.save_connection(
        channel, by=by, account_id=PAGE, credentials={**SECRETS, **secrets}
    )


def test_an_account_owner_connects_the_channel_untested(channel, alice):
    link = _save(channel, alice)

    link.refresh_from_db()
    assert (link.platform, link.account_id, link.state) == (
        "facebook",
        PAGE,
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
    assert entry.details["secrets_entered"] == ["access_token"]
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
        ("", "Ange sidans åtkomsttoken"),
        ("rad ett\nrad två", "ska stå på en rad"),
        ("x" * 4097, "högst 4096 tecken"),
    ],
    ids=["missing", "two-lines", "too-long"],
)
def test_every_secret_is_given_on_one_bounded_line(channel, alice, value, message):
    with pytest.raises(ValidationError) as refused:
        _save(channel, alice, access_token=value)

    assert message in " ".join(refused.value.message_dict["access_token"])
    assert not PlatformConnection.objects.exists()


def test_a_secret_of_4096_characters_is_accepted(channel, alice):
    assert _save(channel, alice, access_token="x" * 4096).pk is not None


def test_an_account_id_on_two_lines_is_refused(channel, alice):
    with pytest.raises(ValidationError) as refused:
        connections.save_connection(channel, by=alice, account_id="12\n34", credentials=SECRETS)

    assert "account_id" in refused.value.message_dict


def test_new_access_mends_a_broken_connection(channel, alice, page):
    link = _save(channel, alice)
    page.expire("facebook", TOKEN)
    connections.test_connection(link, by=alice)
    assert PlatformConnection.objects.get().state == ConnectionState.BROKEN

    _save(channel, alice)

    link = PlatformConnection.objects.get()
    assert (link.state, link.broken_at, link.broken_reason) == (ConnectionState.UNTESTED, None, "")


def test_a_working_test_records_the_missing_permissions_and_the_limits(channel, alice, page):
    page.grant("facebook", TOKEN, PAGE, facebook.PERMISSIONS - {"pages_manage_engagement"})
    link = _save(channel, alice)

    result = connections.test_connection(link, by=alice)

    link.refresh_from_db()
    assert result.ok
    assert f"behörigheter saknas: {HIDING}" in result.message
    assert (link.state, link.missing_permissions) == (ConnectionState.WORKING, [HIDING])
    assert "av Metas anropsgräns använd" in link.limits["summary"]


EXPIRED = (
    "Facebook godtar inte längre åtkomsttoken (den har gått ut eller dragits tillbaka). "
    "Ange en ny token på kanalens anslutningssida."
)


def test_a_refused_token_breaks_the_connection(channel, alice, page):
    link = _save(channel, alice)
    page.expire("facebook", TOKEN)

    result = connections.test_connection(link, by=alice)

    link.refresh_from_db()
    assert not result.ok
    assert EXPIRED in result.message
    assert (link.state, link.broken_reason) == (ConnectionState.BROKEN, EXPIRED)
    assert link.broken_at is not None


def test_a_refused_token_mails_the_account_owners_and_informationsenheten_once(
    channel, alice, ingrid, page, mailoutbox, django_capture_on_commit_callbacks
):
    link = _save(channel, alice)
    page.expire("facebook", TOKEN)

    with django_capture_on_commit_callbacks(execute=True):
        connections.test_connection(link, by=alice)
        connections.test_connection(link, by=alice)

    assert len(mailoutbox) == 1
    assert set(mailoutbox[0].to) == {alice.email, ingrid.email}
    assert "är bruten" in mailoutbox[0].subject
    assert TOKEN not in mailoutbox[0].body


def test_a_platform_error_is_told_in_swedish_and_leaves_the_state(channel, alice, page):
    link = _save(channel, alice)
    page.inject(Fault("facebook", "server_error"))

    result = connections.test_connection(link, by=alice)

    link.refresh_from_db()
    assert not result.ok
    assert "Facebook" in result.message
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
    assert entry.details["account_id"] == PAGE


def test_a_daily_operator_may_not_remove_the_connection(channel, alice, dora):
    link = _save(channel, alice)

    with pytest.raises(PermissionDeniedError):
        connections.remove_connection(link, by=dora)

    assert PlatformConnection.objects.exists()


def test_no_secret_reaches_the_logs(channel, alice, page, caplog):
    caplog.set_level(logging.DEBUG)

    link = _save(channel, alice)
    connections.test_connection(link, by=alice)
    page.expire("facebook", TOKEN)
    connections.test_connection(PlatformConnection.objects.get(), by=alice)

    assert TOKEN not in caplog.text
    assert all(TOKEN not in json.dumps(e.details) for e in AuditLogEntry.objects.all())


def test_a_working_test_mends_a_broken_connection(channel, alice, page):
    link = _save(channel, alice)
    page.expire("facebook", TOKEN)
    connections.test_connection(link, by=alice)
    page.grant("facebook", TOKEN, PAGE, facebook.PERMISSIONS)

    result = connections.test_connection(link, by=alice)

    link.refresh_from_db()
    assert result.ok
    assert (link.state, link.broken_at, link.broken_reason, link.broken_mailed_at) == (
        ConnectionState.WORKING,
        None,
        "",
        None,
    )


def test_a_broken_connection_tested_again_records_the_new_reason_without_a_second_mail(
    channel, alice, page, mailoutbox, django_capture_on_commit_callbacks
):
    link = _save(channel, alice)
    with django_capture_on_commit_callbacks(execute=True):
        pulls.mark_connection_broken(link, reason="Lösenordet är återkallat.")
    broken_at = PlatformConnection.objects.get().broken_at
    page.expire("facebook", TOKEN)

    with django_capture_on_commit_callbacks(execute=True):
        result = connections.test_connection(link, by=alice)

    link.refresh_from_db()
    assert not result.ok
    assert (link.state, link.broken_reason, link.broken_at) == (
        ConnectionState.BROKEN,
        EXPIRED,
        broken_at,
    )
    assert len(mailoutbox) == 1
