"""A channel's platform connection in a real browser: an account owner connects the channel
and tests the connection, never seeing the token again; an item shows its platform state
with "Försök igen"; the connection pages meet WCAG 2.1 AA.

The connector is the stand-in of tests.moderation.platforms.stub and the platform actions
are made through the ORM, until the engine and the connectors land (the lead switches them)."""

import pytest

from moderation import services
from moderation.models import PlatformAction
from tests.moderation.conftest import item_data
from tests.moderation.platforms.stub import stub_connectors

from .helpers import assert_accessible, assert_pages_accessible, login_by_cookie, screenshot

expect = pytest.importorskip(
    "playwright.sync_api", reason="e2e: playwright cannot be imported", exc_type=ImportError
).expect

pytestmark = pytest.mark.e2e

TOKEN = "EAAB-hemlig-sidtoken-4711"


@pytest.fixture(autouse=True)
def _stub():
    with stub_connectors():
        yield


def test_an_account_owner_connects_and_tests_the_channel(page, live_server, channel, alice):
    login_by_cookie(page, live_server, alice)

    page.goto(f"{live_server.url}/kanaler/{channel.pk}/")
    page.get_by_role("link", name="Anslutning till plattformen").click()
    page.get_by_label("Sidans id").fill("1234567890")
    page.get_by_label("Sidans token").fill(TOKEN)
    page.get_by_label("Appens hemlighet").fill("appens-hemlighet")
    page.get_by_role("button", name="Spara anslutningen").click()
    expect(page.get_by_text("Anslutningen är sparad.")).to_be_visible()
    page.get_by_role("button", name="Testa anslutningen").click()

    expect(page.get_by_text("Anslutningen fungerar.")).to_be_visible()
    expect(page.get_by_text("12 % av timmens anrop använda")).to_be_visible()
    assert TOKEN not in page.content()
    assert page.get_by_label("Sidans token").input_value() == ""
    screenshot(page, "connection-detail")
    assert_accessible(page)


def test_an_item_shows_its_platform_state_and_a_retry(page, live_server, channel, dora):
    item = services.register_item(channel, item_data(kind="comment"))[0]
    PlatformAction.objects.create(
        item=item, kind="hide", state="misslyckad", message="åtkomsten har gått ut"
    )
    login_by_cookie(page, live_server, dora)

    page.goto(f"{live_server.url}/moderering/{item.pk}/")

    expect(
        page.get_by_text("Misslyckades: åtkomsten har gått ut – gör det på plattformen")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Försök igen")).to_be_visible()
    screenshot(page, "item-platform-state")
    assert_accessible(page)
    page.goto(f"{live_server.url}/moderering/?plattformsfel=on")
    expect(page.get_by_role("link", name="Kommentar från Anna Andersson")).to_be_visible()
    screenshot(page, "queue-platform-failures")
    assert_accessible(page)


def test_the_connection_pages_are_accessible(page, live_server, channel, alice, ingrid):
    from moderation.services import connections

    connections.save_connection(
        channel,
        by=alice,
        account_id="1234567890",
        credentials={"page_token": "utgangen-" + TOKEN, "app_secret": "x"},
    )
    connections.test_connection(channel.platform_connection, by=alice)
    login_by_cookie(page, live_server, ingrid)

    assert_pages_accessible(
        page,
        live_server,
        {
            "list": "/moderering/anslutningar/",
            "broken": f"/moderering/kanaler/{channel.pk}/anslutning/",
            "remove": f"/moderering/kanaler/{channel.pk}/anslutning/ta-bort/",
            "start": "/",
        },
        prefix="connection",
    )
