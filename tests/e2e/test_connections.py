"""A channel's platform connection in a real browser, against the simulated Facebook and WordPress
served as the demo serves them: the simulator's small server on the loopback, over HTTP, which
every call from the live server reaches. An account owner connects the channel, tests it, pulls
a comment into the queue and sees it hidden on Facebook; a moderator's decision on an ordinary
comment is carried out on Facebook and on the blog, and the item says what the platform did; an
item shows its failed platform action with "Försök igen"; the connection pages meet WCAG 2.1 AA.
Pulls and platform actions run at once (CELERY_TASK_ALWAYS_EAGER)."""

import threading

import pytest

from moderation import services
from moderation.services import connections, pulls
from moderation.workflow import DecisionKind
from tests.moderation.conftest import item_data
from tests.moderation.platforms import blog
from tests.moderation.platforms.page import PAGE, TOKEN, comment, connect, open_page

from .helpers import assert_accessible, assert_pages_accessible, login_by_cookie, screenshot

expect = pytest.importorskip(
    "playwright.sync_api", reason="e2e: playwright cannot be imported", exc_type=ImportError
).expect

pytestmark = pytest.mark.e2e

PERSONNUMMER_TEXT = "Min granne heter Olle, personnummer 811218-9876, och är sjuk."


@pytest.fixture(autouse=True)
def simulator_server(simulator, settings):
    """The simulator's server on a free loopback port, its world the test's `simulator`; the
    platforms' base URLs point at it, as `make run` points them, and no call is answered
    in-process."""
    from moderation.platforms.simulator import server

    httpd = server.make_server("127.0.0.1", 0, state=simulator)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    settings.PLATFORM_SIMULATOR_IN_PROCESS = False
    settings.PLATFORM_SIMULATOR_URL = url
    settings.PLATFORM_BASE_URLS = {name: f"{url}/{name}/" for name in settings.PLATFORM_BASE_URLS}
    yield httpd
    httpd.shutdown()
    httpd.server_close()


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


def _decide_removal(page, live_server, link_name: str) -> None:
    """From the queue, open the item and decide "Ta bort" on it."""
    page.goto(f"{live_server.url}/moderering/")
    page.get_by_role("link", name=link_name).click()
    page.get_by_role("combobox", name="Beslut").select_option(label="Ta bort")
    page.get_by_label("Kategori (vid borttagning)").select_option(
        label="Reklam eller kommersiella budskap"
    )
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_text("Beslutet är registrerat.")).to_be_visible()


def test_a_moderators_removal_of_an_ordinary_comment_is_carried_out_on_facebook(
    page, live_server, simulator, channel, alice, dora
):
    post = open_page(simulator)
    link = connect(channel, by=alice)
    written = comment(simulator, post, "Köp billiga glasögon hos oss!", author="Erik Ek")
    pulls.pull_connection(link.pk)
    login_by_cookie(page, live_server, dora)

    _decide_removal(page, live_server, "Kommentar från Erik Ek")

    expect(page.get_by_text("Borttagen på Facebook")).to_be_visible()
    assert simulator.get("facebook", written.id).removed
    screenshot(page, "item-removed-on-facebook")
    assert_accessible(page)


def test_a_moderator_hides_a_comment_on_facebook_and_keeping_it_shows_it_again(
    page, live_server, simulator, channel, alice, dora
):
    post = open_page(simulator)
    link = connect(channel, by=alice)
    written = comment(simulator, post, "Vem bestämde om de nya öppettiderna?", author="Erik Ek")
    pulls.pull_connection(link.pk)
    login_by_cookie(page, live_server, dora)
    page.goto(f"{live_server.url}/moderering/")
    page.get_by_role("link", name="Kommentar från Erik Ek").click()

    page.get_by_role("combobox", name="Beslut").select_option(label="Dölj i väntan på granskning")
    page.get_by_role("button", name="Registrera beslutet").click()

    expect(page.get_by_text("Beslutet är registrerat.")).to_be_visible()
    expect(page.get_by_text("Dold på Facebook")).to_be_visible()
    assert simulator.get("facebook", written.id).hidden
    screenshot(page, "item-hidden-by-a-moderator")
    assert_accessible(page)

    page.get_by_role("combobox", name="Beslut").select_option(label="Behåll")
    page.get_by_role("button", name="Registrera beslutet").click()

    expect(page.get_by_text("Visas igen på Facebook")).to_be_visible()
    assert not simulator.get("facebook", written.id).hidden


def test_an_account_owner_connects_the_blog_pulls_and_sees_its_comments_held_and_trashed(
    page, live_server, simulator, library, alice, bob, dora
):
    channel = blog.blog_channel(library, alice, bob, dora)
    post = blog.open_blog(simulator)
    login_by_cookie(page, live_server, alice)

    page.goto(f"{live_server.url}/kanaler/{channel.pk}/")
    page.get_by_role("link", name="Anslutning till plattformen").click()
    page.get_by_label("Webbplatsens id eller adress").fill(blog.SITE)
    page.get_by_label("Användarnamn").fill(blog.USER)
    page.get_by_label("Applikationslösenord").fill(blog.PASSWORD)
    page.get_by_role("button", name="Spara anslutningen").click()
    expect(page.get_by_text("Anslutningen är sparad.")).to_be_visible()
    page.get_by_role("button", name="Testa anslutningen").click()
    expect(page.get_by_text("Anslutningen fungerar.")).to_be_visible()
    assert blog.PASSWORD not in page.content()
    assert_accessible(page)

    # Two readers comment: the rules hold the personnummer for review; a person decides on
    # the advertisement.
    held = blog.comment(simulator, post, PERSONNUMMER_TEXT, author="Olle Olsson")
    trashed = blog.comment(simulator, post, "Köp billiga böcker hos oss!", author="Erik Ek")
    page.get_by_role("button", name="Hämta nu").click()
    expect(page.get_by_text("Kanalen hämtas nu.")).to_be_visible()
    page.goto(f"{live_server.url}/moderering/")
    page.get_by_role("link", name="Kommentar från Olle Olsson").click()
    expect(page.get_by_text("Hålls för granskning på bloggen")).to_be_visible()
    assert_accessible(page)
    _decide_removal(page, live_server, "Kommentar från Erik Ek")

    expect(page.get_by_text("Flyttad till papperskorgen på bloggen")).to_be_visible()
    assert simulator.get("wordpress", held.id).status == "hold"
    assert simulator.get("wordpress", trashed.id).status == "trash"
    screenshot(page, "item-trashed-on-the-blog")
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
