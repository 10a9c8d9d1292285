"""Logging in and out in a real browser: the form, each role's start page, and WCAG 2.1 AA."""

import re

import pytest

from atvida_social.organisation.roles import Role
from tests.factories import TEST_PASSWORD, UnitFactory, UserFactory

from .helpers import LOGIN_PATH, assert_accessible, login

expect = pytest.importorskip(
    "playwright.sync_api", reason="e2e: playwright cannot be imported", exc_type=ImportError
).expect

pytestmark = pytest.mark.e2e

# What each role finds waiting on the start page (Roller och ansvar).
HEADINGS_BY_ROLE = {
    Role.INFORMATION_UNIT: {"Att granska", "Kanalregistret", "Arkivet"},
    Role.MANAGER: {"Att signera"},
    Role.ACCOUNT_OWNER: {"Att signera", "Mina planer"},
    # Moderation registers its sections when it lands; until then none, and no empty queue.
    Role.DAILY_OPERATOR: set(),
    Role.ARCHIVIST: {"Arkivet"},
}
ALL_HEADINGS = set().union(*HEADINGS_BY_ROLE.values())

ON_LOGIN_PAGE = re.compile(re.escape(LOGIN_PATH) + r"$")


def start_url(live_server) -> str:
    return f"{live_server.url}/"


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.name.lower())
def test_each_role_sees_its_own_sections_and_no_other_roles(page, live_server, role):
    """A user with one role logs in through the form and lands on the start page with that
    role's section headings, and without the headings that belong only to other roles."""
    UserFactory(username="anna", roles=[role], unit=UnitFactory(name="Biblioteket"))

    login(page, live_server, "anna", TEST_PASSWORD)

    expect(page).to_have_url(start_url(live_server))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")
    for heading in HEADINGS_BY_ROLE[role]:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    for heading in ALL_HEADINGS - HEADINGS_BY_ROLE[role]:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_have_count(0)


def test_login_page_meets_wcag_21_aa(page, live_server):
    """The login page has no WCAG 2.1 A/AA violation that axe-core can detect."""
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()

    assert_accessible(page)


def test_start_page_with_every_section_meets_wcag_21_aa(page, live_server):
    """The start page, as a user holding all four roles so that every section renders, has no
    WCAG 2.1 A/AA violation that axe-core can detect."""
    UserFactory(username="allan", roles=list(Role), unit=UnitFactory(name="Informationsenheten"))
    login(page, live_server, "allan", TEST_PASSWORD)
    for heading in ALL_HEADINGS:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()

    assert_accessible(page)


def test_wrong_password_shows_swedish_error_and_stays_on_login_page(page, live_server, alice):
    """A wrong password keeps the visitor on the login page with the Swedish error message,
    and logs nobody in."""
    login(page, live_server, "alice", "fel-lösenord")

    expect(page).to_have_url(ON_LOGIN_PAGE)
    expect(page.get_by_text("Fel användarnamn eller lösenord")).to_be_visible()
    expect(page.get_by_role("button", name="Logga ut")).to_have_count(0)


def test_logout_returns_to_login_page_with_confirmation(page, live_server, alice):
    """Clicking "Logga ut" ends the session and shows the login page with
    "Du är nu utloggad."; the start page then asks for a login again."""
    login(page, live_server, "alice", TEST_PASSWORD)
    expect(page).to_have_url(start_url(live_server))

    page.get_by_role("button", name="Logga ut").click()

    expect(page).to_have_url(ON_LOGIN_PAGE)
    expect(page.get_by_text("Du är nu utloggad.")).to_be_visible()
    page.goto(start_url(live_server))
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()


def test_logout_on_a_phone_works_through_the_collapsed_menu(page, live_server, alice):
    """At 360 px the navbar is collapsed: "Logga ut" is hidden until the "Visa meny" toggler
    opens the menu, which needs Bootstrap's collapse script to run under the CSP."""
    page.set_viewport_size({"width": 360, "height": 780})
    login(page, live_server, "alice", TEST_PASSWORD)
    logout = page.get_by_role("button", name="Logga ut")
    expect(logout).to_be_hidden()

    toggler = page.get_by_role("button", name="Visa meny")
    toggler.click()

    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(logout).to_be_visible()
    # Bootstrap animates the menu open; a click while it is still sliding can miss.
    expect(page.locator(".navbar-collapse.collapsing")).to_have_count(0)
    expect(page.locator(".navbar-collapse.show")).to_be_visible()
    logout.click()
    expect(page).to_have_url(ON_LOGIN_PAGE)
    expect(page.get_by_text("Du är nu utloggad.")).to_be_visible()
