"""The statistics page in a real browser: Informationsenheten narrows the year to a unit;
the page and its charts meet WCAG 2.1 AA."""

import pytest

from moderation.services import statistics
from tests.statistics import conftest as known_year

from .helpers import assert_accessible, login_by_cookie, screenshot

expect = pytest.importorskip(
    "playwright.sync_api", reason="e2e: playwright cannot be imported", exc_type=ImportError
).expect

pytestmark = pytest.mark.e2e

# The known year of tests/statistics, whose figures are worked out by hand there.
known_items = known_year.known_items
school_channel = known_year.school_channel


def test_informationsenheten_narrows_the_statistics_to_a_unit(
    page,
    live_server,
    known_items,
    ingrid,
):
    statistics.refresh_statistics(2026, now=known_year.REFRESHED_AT)
    login_by_cookie(page, live_server, ingrid)

    page.goto(f"{live_server.url}/moderering/statistik/?year=2026")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Statistik över svarstider 2026: Hela kommunen"
    )
    expect(page.get_by_role("img", name="Andel hanterade inom svarstiden")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "statistik-kommunen")

    page.get_by_label("Verksamhet", exact=True).select_option(label="Biblioteket")
    page.get_by_role("button", name="Visa").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Statistik över svarstider 2026: Biblioteket"
    )
    march = page.get_by_role("table", name="Median och 90:e percentilen").get_by_role(
        "row", name="mars"
    )
    expect(march).to_contain_text("2,5")  # 9000 s, worked out in tests/statistics/conftest.py
    assert_accessible(page)
    screenshot(page, "statistik-biblioteket")

    # A filter that cannot be used is said beside its field; the page still shows figures.
    page.goto(f"{live_server.url}/moderering/statistik/?year=abc")
    expect(page.get_by_text("Fyll i ett heltal.")).to_be_visible()
    assert_accessible(page)
