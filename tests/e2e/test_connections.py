"""A channel's platform connection in a real browser, against the simulated Facebook (the live
server runs in the test's process, so the in-process simulator answers it): an account owner
connects the channel, tests it, pulls a comment into the queue and sees it hidden on
Facebook; an item shows its failed platform action with "Försök igen"; the connection pages
meet WCAG 2.1 AA. Pulls and platform actions run at once (CELERY_TASK_ALWAYS_EAGER)."""

import pytest

from moderation import services
from moderation.services import connections
from moderation.workflow import DecisionKind
from tests.moderation.conftest import item_data
from tests.moderation.platforms.page import PAGE, TOKEN, comment, connect, open_page

from .helpers import assert_accessible, assert_pages_accessible, login_by_cookie, screenshot

expect = pytest.importorskip(
    "playwright.sync_api", reason="e2e: playwright cannot be imported", exc_type=ImportError
).expect

pytestmark = pytest.mark.e2e

PERSONNUMMER_TEXT = "Min granne heter Olle, personnummer 811218-9876, och är sjuk."


def test_an_account_owner_connects_pulls_and_sees_a_comment_hidden_on_facebook(
    page, live_server, simulator, channel, alice
):
    post = open_page(simulator)
    login_by_cookie(page, live_server, alice)

    page.goto(f"{live_server.url}/kanaler/{channel.pk}/")
    page.get_by_role("link", name="Anslutning till plattformen").click()
    page.get_by_label("Sidans id").fill(PAGE)
    page.get_by_label("Sidans åtkomsttoken").fill(TOKEN)
    page.get_by_role("button", name="Spara anslutningen").click()
    expect(page.get_by_text("Anslutningen är sparad.")).to_be_visible()
    page.get_by_role("button", name="Testa anslutningen").click()
    expect(page.get_by_text("Anslutningen fungerar.")).to_be_visible()
    expect(page.get_by_text("av Metas anropsgräns använd")).to_be_visible()
    assert TOKEN not in page.content()
    assert page.get_by_label("Sidans åtkomsttoken").input_value() == ""
    screenshot(page, "connection-detail")
    assert_accessible(page)

    # A visitor writes on the page; the rules hide a personnummer at once.
    written = comment(simulator, post, PERSONNUMMER_TEXT, author="Anna Andersson")
    page.get_by_role("button", name="Hämta nu").click()
    expect(page.get_by_text("Kanalen hämtas nu.")).to_be_visible()
    page.goto(f"{live_server.url}/moderering/")
    page.get_by_role("link", name="Kommentar från Anna Andersson").click()

    expect(page.get_by_text("Dold på Facebook")).to_be_visible()
    assert simulator.get("facebook", written.id).hidden
    screenshot(page, "item-hidden-on-facebook")
    assert_accessible(page)


def test_an_item_shows_its_platform_state_and_a_retry(
    page, live_server, simulator, channel, alice, dora
):
    open_page(simulator)
    connect(channel, by=alice)
    simulator.expire("facebook", TOKEN)
    item = services.register_item(channel, item_data(kind="comment"))[0]
    # Carried out at once and refused: the token has expired.
    services.decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")
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


def test_the_connection_pages_are_accessible(page, live_server, simulator, channel, alice, ingrid):
    open_page(simulator)
    link = connect(channel, by=alice)
    simulator.expire("facebook", TOKEN)
    connections.test_connection(link, by=alice)
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
