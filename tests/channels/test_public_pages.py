import csv
import io
from datetime import datetime

import pytest

from channels import services
from channels.models import Channel
from tests.factories import ChannelFactory, PartyFactory, PartyLinkFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(ingrid, library):
    ChannelFactory(unit=library, account_name="Bibblan på Facebook")
    PartyLinkFactory(party=PartyFactory(name="Kommunpartiet"))
    return services.publish_register(by=ingrid)


def test_register_before_any_publication_says_so(client):
    response = client.get("/sociala-medier")

    assert response.status_code == 200
    assert "har inte publicerats ännu" in response.content.decode()


def test_register_shows_published_channels_grouped_by_administration_and_unit(client, published):
    page = client.get("/sociala-medier").content.decode()

    assert "Kultur- och fritidsförvaltningen" in page
    assert "Biblioteket" in page
    assert "Bibblan på Facebook" in page
    assert "Version 1" in page


def test_party_links_carry_the_disclaimer(client, published):
    page = client.get("/sociala-medier").content.decode()

    assert "Kommunpartiet" in page
    assert "Kommunen äger inte och ansvarar inte för innehållet" in page


def test_unpublished_edits_never_show_publicly(client, published, library):
    ChannelFactory(unit=library, account_name="Hemlig ny kanal")
    channel = library.channels.get(account_name="Bibblan på Facebook")
    channel.account_name = "Opublicerat namn"
    channel.save()

    page = client.get("/sociala-medier").content.decode()
    data = client.get("/sociala-medier.json").json()

    assert "Hemlig ny kanal" not in page
    assert "Opublicerat namn" not in page
    assert [c["account_name"] for c in data["channels"]] == ["Bibblan på Facebook"]


def test_json_carries_version_time_channels_and_party_links(client, published):
    data = client.get("/sociala-medier.json").json()

    assert data["version"] == 1
    assert datetime.fromisoformat(data["published_at"]).utcoffset() is not None
    assert data["channels"] == [
        {
            "platform": "Facebook",
            "account_name": "Bibblan på Facebook",
            "url": published.content["channels"][0]["url"],
            "forvaltning": "Kultur- och fritidsförvaltningen",
            "unit": "Biblioteket",
        }
    ]
    assert data["party_links"][0]["party"] == "Kommunpartiet"


def test_csv_is_utf8_with_header_for_spreadsheets(client, published):
    response = client.get("/sociala-medier.csv")
    text = response.content.decode("utf-8")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "typ",
        "plattform",
        "namn",
        "webbadress",
        "förvaltning",
        "verksamhet",
        "anmärkning",
    ]
    assert rows[1][2] == "Bibblan på Facebook"
    assert rows[1][4] == "Kultur- och fritidsförvaltningen"
    assert rows[2][:3] == ["partilänk", "Facebook", "Kommunpartiet"]


def test_older_version_stays_readable_after_a_new_one(client, published, ingrid, library):
    ChannelFactory(unit=library, account_name="Bibblan på YouTube")
    services.publish_register(by=ingrid)

    old = client.get("/sociala-medier/versioner/1").content.decode()
    history = client.get("/sociala-medier/versioner").content.decode()

    assert "Bibblan på YouTube" not in old
    assert "Bibblan på Facebook" in old
    assert history.index("Version 2") < history.index("Version 1")
    assert client.get("/sociala-medier/versioner/1.json").json()["version"] == 1


def test_compare_shows_what_changed_between_versions(client, published, ingrid, library):
    ChannelFactory(unit=library, account_name="Bibblan på YouTube")
    services.publish_register(by=ingrid)

    page = client.get("/sociala-medier/versioner/1/jamfor/2").content.decode()

    assert "Tillagd" in page
    assert "Bibblan på YouTube" in page


@pytest.mark.parametrize(
    "url",
    [
        "/sociala-medier/versioner/7",
        "/sociala-medier/versioner/7.json",
        "/sociala-medier/versioner/7.csv",
        "/sociala-medier/versioner/1/jamfor/7",
        "/sociala-medier/versioner/99999999999999999999",
        "/sociala-medier/versioner/abc",
        "/sociala-medier/versioner/-1",
    ],
)
def test_unknown_or_malformed_versions_answer_404(client, published, url):
    assert client.get(url).status_code == 404


def test_open_data_before_publication_answers_404(client):
    assert client.get("/sociala-medier.json").status_code == 404
    assert client.get("/sociala-medier.csv").status_code == 404


@pytest.mark.parametrize("url", ["/sociala-medier", "/sociala-medier.json"])
def test_conditional_get_answers_304(client, published, url):
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert first["ETag"]
    assert first["Last-Modified"]
    assert again.status_code == 304
    assert since.status_code == 304


def test_new_publication_changes_the_etag(client, published, ingrid, library):
    before = client.get("/sociala-medier")["ETag"]
    ChannelFactory(unit=library)
    services.publish_register(by=ingrid)

    assert client.get("/sociala-medier", HTTP_IF_NONE_MATCH=before).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/sociala-medier",
        "/sociala-medier.json",
        "/sociala-medier.csv",
        "/sociala-medier/versioner",
        "/sociala-medier/versioner/{n}",
        "/sociala-medier/versioner/{n}.csv",
        "/sociala-medier/versioner/1/jamfor/{n}",
    ],
)
def test_public_pages_do_a_constant_number_of_queries(
    client, ingrid, url, django_assert_max_num_queries, django_assert_num_queries
):
    """10 and 300 channels cost the same number of queries."""

    def publish_with(count: int) -> int:
        ChannelFactory.create_batch(count, unit=UnitFactory())
        return services.publish_register(by=ingrid).number

    number = publish_with(10)
    with django_assert_max_num_queries(4) as small:
        assert client.get(url.format(n=number)).status_code == 200
    number = publish_with(290)

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url.format(n=number))

    assert response.status_code == 200
    if url.endswith("json"):
        assert len(response.json()["channels"]) == 300


def test_every_public_page_links_the_accessibility_statement(client, published):
    for url in ["/sociala-medier", "/sociala-medier/versioner", "/sociala-medier/versioner/1"]:
        assert 'href="/tillganglighet"' in client.get(url).content.decode()


def test_accessibility_statement_names_the_standard_and_how_to_report(client):
    page = client.get("/tillganglighet").content.decode()

    assert "WCAG 2.1" in page
    assert "Kända brister" in page
    assert "mailto:" in page


def test_compare_shows_a_renamed_channel_with_its_former_name(client, published, ingrid):
    channel = Channel.objects.get()
    channel.account_name = "Bibblan Åtvidaberg"
    channel.save()
    services.publish_register(by=ingrid)

    page = client.get("/sociala-medier/versioner/1/jamfor/2").content.decode()

    assert "Ändrad" in page
    assert "tidigare: Bibblan på Facebook" in page


def test_version_history_counts_in_correct_swedish(client, published):
    page = " ".join(client.get("/sociala-medier/versioner").content.decode().split())

    assert "Kanaler: 1 tillagd, 0 borttagna, 0 ändrade." in page
