"""The connection pages (views.connection_views): each view's owner succeeds, a stranger
gets 404 and a reader 403; the secrets are never shown again; the demo platform says so.

alice is an administrator on the channel's plan (Kontoansvarig), dora its daily operator
(sees the channel, may not manage its access), carol of another unit sees nothing. The
channel's page is on the simulated Facebook."""

import pytest
from django.urls import reverse

from atvida_social.organisation.models import AuditLogEntry
from atvida_social.outbox.models import OutboxMessage
from moderation.models import ConnectionState, PlatformConnection
from moderation.platforms.facebook import simulator as facebook
from moderation.platforms.simulator.state import Fault
from moderation.services import connections, pulls
from tests.moderation.platforms.page import HIDING, PAGE, TOKEN, connect, open_page

pytestmark = pytest.mark.django_db

FORM = {"account_id": PAGE, "secret_access_token": TOKEN}


@pytest.fixture(autouse=True)
def page(simulator):
    open_page(simulator)
    return simulator


@pytest.fixture
def link(channel, alice):
    return connect(channel, by=alice)


def _url(name, channel):
    return reverse(f"moderation:{name}", args=[channel.pk])


# --- The connection page ---------------------------------------------------------------------


def test_an_account_owner_connects_the_channel_in_the_browser(client, channel, alice):
    client.force_login(alice)

    response = client.post(_url("connection", channel), FORM, follow=True)

    page = response.content.decode()
    assert PlatformConnection.objects.get(channel=channel).account_id == PAGE
    assert "Anslutningen är sparad" in page
    assert "Sparad – visas inte igen" in page
    assert TOKEN not in page


def test_the_connection_page_is_404_to_another_units_staff(client, channel, carol):
    client.force_login(carol)

    assert client.get(_url("connection", channel)).status_code == 404
    assert client.post(_url("connection", channel), FORM).status_code == 404
    assert not PlatformConnection.objects.exists()


def test_the_connection_page_is_403_to_a_daily_operator(client, channel, dora):
    client.force_login(dora)

    assert client.get(_url("connection", channel)).status_code == 403
    assert client.post(_url("connection", channel), FORM).status_code == 403
    assert not PlatformConnection.objects.exists()


def test_the_secrets_are_never_shown_again(client, link, alice):
    client.force_login(alice)

    page = client.get(_url("connection", link.channel)).content.decode()

    assert TOKEN not in page
    assert 'type="password" name="secret_access_token"' in page
    assert 'value="' + TOKEN not in page


def test_a_refused_form_does_not_echo_the_secret(client, channel, alice):
    client.force_login(alice)

    response = client.post(_url("connection", channel), {**FORM, "account_id": ""})

    assert response.status_code == 200
    assert TOKEN not in response.content.decode()
    assert not PlatformConnection.objects.exists()


def test_the_page_shows_state_permissions_limits_and_last_error(client, link, alice, page):
    page.grant("facebook", TOKEN, PAGE, facebook.PERMISSIONS - {"pages_manage_engagement"})
    connections.test_connection(link, by=alice)
    page.inject(Fault("facebook", "server_error"))
    pulls.pull_connection(link.pk)
    link.refresh_from_db()
    assert link.last_pull_error
    client.force_login(alice)

    shown = client.get(_url("connection", link.channel)).content.decode()

    for text in (
        "Fungerar",
        HIDING,
        "av Metas anropsgräns använd",
        link.last_pull_error,
        "Testa anslutningen",
        "Hämta nu",
    ):
        assert text in shown


def test_a_platform_without_a_connector_says_so(client, library, ingrid):
    from tests.factories import ChannelFactory

    linkedin = ChannelFactory(unit=library, platform="linkedin")
    client.force_login(ingrid)

    page = client.get(_url("connection", linkedin)).content.decode()

    assert "Verktyget kan inte anslutas till LinkedIn" in page


def test_the_demo_platform_is_labelled(client, link, alice, settings):
    settings.PLATFORM_SIMULATOR_URL = "http://127.0.0.1:8765"
    client.force_login(alice)

    page = client.get(_url("connection", link.channel)).content.decode()

    assert "Demoplattform (simulator)" in page


def test_a_real_platform_is_not_labelled_demo(client, link, alice, settings):
    settings.PLATFORM_SIMULATOR_URL = ""
    client.force_login(alice)

    page = client.get(_url("connection", link.channel)).content.decode()

    assert "Demoplattform" not in page


# --- Testa anslutningen ----------------------------------------------------------------------


def test_the_owner_tests_the_connection(client, link, alice):
    client.force_login(alice)

    response = client.post(_url("connection-test", link.channel), follow=True)

    assert "Anslutningen fungerar." in response.content.decode()
    assert PlatformConnection.objects.get().state == ConnectionState.WORKING


def test_an_expired_token_shows_broken_without_the_token(client, link, alice, page):
    page.expire("facebook", TOKEN)
    client.force_login(alice)

    response = client.post(_url("connection-test", link.channel), follow=True)

    shown = response.content.decode()
    assert "Facebook godtar inte längre åtkomsttoken" in shown
    assert TOKEN not in shown
    assert PlatformConnection.objects.get().state == ConnectionState.BROKEN


def test_testing_is_404_to_a_stranger_and_403_to_a_reader(client, link, carol, dora):
    client.force_login(carol)
    assert client.post(_url("connection-test", link.channel)).status_code == 404
    client.force_login(dora)
    assert client.post(_url("connection-test", link.channel)).status_code == 403
    assert PlatformConnection.objects.get().tested_at is None


def test_testing_an_unconnected_channel_is_404(client, channel, alice):
    client.force_login(alice)

    assert client.post(_url("connection-test", channel)).status_code == 404


# --- Hämta nu --------------------------------------------------------------------------------


def test_pull_now_answers_the_owner_and_refuses_others(client, link, alice, carol, dora):
    client.force_login(carol)
    assert client.post(_url("connection-pull", link.channel)).status_code == 404
    client.force_login(dora)
    assert client.post(_url("connection-pull", link.channel)).status_code == 403
    client.force_login(alice)

    assert not OutboxMessage.objects.exists()

    response = client.post(_url("connection-pull", link.channel))

    assert response.status_code == 302
    assert response["Location"] == _url("connection", link.channel)
    queued = OutboxMessage.objects.get()
    assert (queued.task_name, queued.args) == ("moderation.tasks.pull_connection", [link.pk])
    assert AuditLogEntry.objects.filter(action="platform_pull_requested").count() == 1


# --- Removing --------------------------------------------------------------------------------


def test_the_owner_removes_the_connection_after_confirming(client, link, alice):
    client.force_login(alice)

    confirm = client.get(_url("connection-remove", link.channel))
    assert PlatformConnection.objects.exists()
    response = client.post(_url("connection-remove", link.channel), follow=True)

    assert (
        "Inläggen som redan hämtats, besluten och deras historik finns kvar"
        in confirm.content.decode()
    )
    assert "Anslutningen är borttagen" in response.content.decode()
    assert not PlatformConnection.objects.exists()
    assert AuditLogEntry.objects.filter(action="platform_connection_removed").exists()


def test_removing_is_404_to_a_stranger_and_403_to_a_reader(client, link, carol, dora):
    client.force_login(carol)
    assert client.post(_url("connection-remove", link.channel)).status_code == 404
    client.force_login(dora)
    assert client.get(_url("connection-remove", link.channel)).status_code == 403
    assert client.post(_url("connection-remove", link.channel)).status_code == 403
    assert PlatformConnection.objects.exists()


# --- Informationsenheten's list --------------------------------------------------------------


def test_the_list_shows_the_broken_connections_first(client, link, library, ingrid, page):
    from tests.factories import ChannelFactory

    other = ChannelFactory(unit=library, account_name="Aaa först i bokstavsordning")
    connect(other, by=ingrid, token="EAAB-en-annan-sida", account_id="2")
    page.expire("facebook", TOKEN)
    connections.test_connection(link, by=ingrid)
    client.force_login(ingrid)

    shown = client.get(reverse("moderation:connection-list")).content.decode()

    assert shown.index(str(link.channel)) < shown.index("Aaa först i bokstavsordning")
    assert "Facebook godtar inte längre åtkomsttoken" in shown
    assert TOKEN not in shown


def test_the_list_is_informationsenhetens_only(client, link, alice):
    client.force_login(alice)

    assert client.get(reverse("moderation:connection-list")).status_code == 403


def test_the_menu_links_the_list_for_informationsenheten(client, ingrid):
    client.force_login(ingrid)

    page = client.get(reverse("start")).content.decode()

    assert reverse("moderation:connection-list") in page


def test_the_channel_page_links_its_connection(client, channel, alice):
    client.force_login(alice)

    page = client.get(reverse("channels:channel-detail", args=[channel.pk])).content.decode()

    assert _url("connection", channel) in page


def test_the_page_names_the_account_the_platform_shows_once_a_pull_read_it(client, link, alice):
    """Saying which account was connected, by its name on the platform, confirms the right
    page was connected."""
    client.force_login(alice)
    before = client.get(_url("connection", link.channel)).content.decode()

    pulls.pull_connection(link.pk)
    after = client.get(_url("connection", link.channel)).content.decode()

    link.refresh_from_db()
    assert "Inte hämtat ännu" in before
    assert link.profile["name"] in after
    assert f"(hämtad {link.profile_read_at:%Y}" in after
