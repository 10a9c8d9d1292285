"""The statistics page and its CSV: who sees which unit, the CSV is the page's table, and
the page costs the same number of queries whatever the number of items."""

import csv
import io
import re
from html import unescape

import pytest

from moderation import services
from moderation.models import MonthlyStatistics
from moderation.services import statistics
from tests.factories import ChannelFactory

from .conftest import REFRESHED_AT

pytestmark = pytest.mark.django_db

URL = "/moderering/statistik/"


@pytest.fixture
def refreshed(known_items):
    statistics.refresh_statistics(2026, now=REFRESHED_AT)
    return known_items


def _table(html: str, table_id: str = "alla-siffror") -> list[list[str]]:
    """The cells of a table of the page, as text."""
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    return [
        [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(
            r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S
        )]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]  # fmt: skip


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_informationsenheten_sees_the_municipality_broken_down_by_unit(client, ingrid, refreshed):
    client.force_login(ingrid)

    rows = _table(client.get(URL, {"year": "2026"}).content.decode())

    assert rows[1][:3] == ["Hela kommunen", "Hela året", "8"]
    assert [row[0] for row in rows[14:]] == ["Biblioteket", "Centralskolan"]


def test_a_units_staff_see_their_own_unit_by_channel(client, dora, refreshed, channel):
    client.force_login(dora)

    rows = _table(client.get(URL, {"year": "2026"}).content.decode())

    assert rows[1][:3] == ["Biblioteket", "Hela året", "6"]
    assert [row[0] for row in rows[14:]] == [str(channel)]


def test_another_units_filter_is_refused_and_the_own_unit_shown(client, carol, library, refreshed):
    client.force_login(carol)

    response = client.get(URL, {"year": "2026", "unit": library.pk})

    page = response.content.decode()
    assert "Välj ett giltigt alternativ" in page
    assert "Biblioteket" not in page
    assert _table(page)[1][:3] == ["Centralskolan", "Hela året", "2"]


def test_another_units_channel_is_refused_in_the_csv_too(client, carol, channel, refreshed):
    client.force_login(carol)

    rows = _csv(client.get("/moderering/statistik.csv", {"year": "2026", "channel": channel.pk}))

    assert {row[0] for row in rows[1:]} == {"Centralskolan", "Centralskolan (X)"}


def test_the_csv_is_the_pages_table(client, ingrid, refreshed, channel):
    client.force_login(ingrid)
    query = {"year": "2026", "unit": channel.unit_id}

    page = _table(client.get(URL, query).content.decode())
    rows = _csv(client.get("/moderering/statistik.csv", query))

    assert rows == page
    assert rows[4][rows[0].index("Median (arbetstimmar)")] == "2,5"  # March: 9000 s


def test_a_cell_a_spreadsheet_would_read_as_a_formula_is_neutralised(client, ingrid, school):
    hostile = ChannelFactory(unit=school, account_name='=HYPERLINK("http://x.se")')
    services.register_item(
        hostile,
        {"external_id": "1", "kind": "comment", "text": "Hej",
         "received_at": "2026-03-02T09:00+01:00"},
    )  # fmt: skip
    statistics.refresh_statistics(2026, now=REFRESHED_AT)
    client.force_login(ingrid)

    rows = _csv(client.get("/moderering/statistik.csv", {"year": "2026", "unit": school.pk}))

    assert rows[-1][0].startswith("'=HYPERLINK")


def test_a_year_without_figures_shows_empty_months(client, ingrid, refreshed):
    client.force_login(ingrid)

    response = client.get(URL, {"year": "2030"})

    assert response.status_code == 200
    assert _table(response.content.decode())[1][:3] == ["Hela kommunen", "Hela året", "0"]


def test_the_charts_label_every_bar_and_use_no_inline_style(client, ingrid, refreshed):
    client.force_login(ingrid)

    page = client.get(URL, {"year": "2026"}).content.decode()

    assert page.count('role="img"') == 4
    assert "style=" not in page
    assert "<script" not in page.split("</main>")[0]
    assert ">80 %</text>" in page  # March's share in time, on its bar
    # The 90th percentile is hatched: March's and April's bars, and the legend's swatch.
    assert page.count('fill="url(#svarstid-rand)"') == 3


def _items(channel, count: int, start: int) -> None:
    services.register_items(
        channel,
        [
            services.clean_item_data(
                channel,
                {
                    "external_id": f"q-{n}",
                    "kind": "question",
                    "text": "Hej",
                    "received_at": f"2026-{1 + n % 11:02d}-0{1 + n % 5}T10:00+01:00",
                },
            )
            for n in range(start, start + count)
        ],
    )


def test_the_page_costs_the_same_queries_however_many_items(
    client, ingrid, channel, school, django_assert_num_queries
):
    client.force_login(ingrid)
    _items(channel, 3, 0)
    statistics.refresh_statistics(2026, now=REFRESHED_AT)
    # The session, the user, the roles, the chosen unit, the two sets of rows, the filters'
    # units and channels; the session saved (its idle clock) in three.
    with django_assert_num_queries(11) as few:
        client.get(URL, {"year": "2026", "unit": school.pk})

    for n in range(4):
        _items(ChannelFactory(unit=school), 40, 100 + 40 * n)
    statistics.refresh_statistics(2026, now=REFRESHED_AT)
    assert MonthlyStatistics.objects.filter(month=0, channel__isnull=False).count() == 5
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(URL, {"year": "2026", "unit": school.pk})


def test_someone_of_no_unit_sees_no_figures(client, refreshed):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="utan", unit=None))

    page = client.get(URL, {"year": "2026"}).content.decode()

    assert "Du hör inte till någon verksamhet" in page
    assert "alla-siffror" not in page
