"""Citizens in a real browser: a visitor opens a channel's page from the public
register, follows "Anmäl", reports a comment and gets a receipt; an operator of the channel
logs in and finds the report in the queue. The public pages and the staff copy of the house
rules meet WCAG 2.1 AA."""

import re

import pytest

from channels import services as channel_services
from moderation.models import Item
from moderation.workflow import ItemKind
from tests.factories import TEST_PASSWORD

from .helpers import assert_accessible, assert_pages_accessible, login, login_by_cookie, screenshot

expect = pytest.importorskip(
    "playwright.sync_api", reason="e2e: playwright cannot be imported", exc_type=ImportError
).expect

pytestmark = pytest.mark.e2e

COMMENT_URL = "https://www.facebook.com/bibblan-moderering/posts/1?comment_id=42"


@pytest.fixture
def published(channel, ingrid):
    channel.account_name = "Biblioteket i Åtvidaberg"
    channel.save()
    channel_services.publish_register(by=ingrid)
    return channel


def test_a_citizen_reports_a_comment_and_an_operator_finds_it(
    new_page, live_server, published, dora
):
    citizen = new_page()
    citizen.goto(f"{live_server.url}/sociala-medier")
    citizen.get_by_role(
        "link", name="Om kanalen och ordningsregler för Biblioteket i Åtvidaberg"
    ).click()
    expect(citizen.get_by_role("heading", level=1)).to_contain_text("Biblioteket i Åtvidaberg")
    expect(citizen.get_by_role("heading", name="Ordningsregler")).to_be_visible()
    citizen.get_by_role("link", name="Anmäl innehåll i Biblioteket i Åtvidaberg").click()

    expect(citizen.get_by_label("Kanal")).to_have_value(str(published.pk))
    citizen.get_by_label("Länk till innehållet").fill(COMMENT_URL)
    citizen.get_by_label("Förtal, personangrepp och förolämpningar").check()
    citizen.get_by_label("Vill du berätta mer? (frivilligt)").fill("Hänger ut en anställd.")
    citizen.get_by_role("button", name="Skicka anmälan").click()

    expect(citizen.get_by_role("heading", name="Tack för din anmälan")).to_be_visible()
    reference = re.search(r"ANM-\w{5}-\w{5}", citizen.content()).group(0)
    assert_accessible(citizen)
    screenshot(citizen, "anmalan-kvitto")
    item = Item.objects.get(external_id=reference)
    assert (item.channel_id, item.kind, item.url) == (published.pk, ItemKind.REPORT, COMMENT_URL)

    operator = new_page()
    login(operator, live_server, "dora", TEST_PASSWORD)
    operator.goto(f"{live_server.url}/moderering/")
    expect(operator.get_by_text(reference)).to_be_visible()


def test_the_form_keeps_what_was_written_and_shows_errors_beside_the_fields(
    page, live_server, published
):
    page.goto(f"{live_server.url}/sociala-medier/anmal")
    page.get_by_label("Länk till innehållet").fill("inte en adress")
    page.get_by_label("Annat", exact=True).check()
    page.get_by_role("button", name="Skicka anmälan").click()

    expect(page.get_by_text("Formuläret innehåller fel.")).to_be_visible()
    expect(page.get_by_text("Detta fält måste fyllas i.")).to_be_visible()  # no channel
    expect(page.get_by_text("Ange en fullständig webbadress")).to_be_visible()
    expect(page.get_by_text("Beskriv kort vad som är fel när du väljer Annat.")).to_be_visible()
    expect(page.get_by_label("Länk till innehållet")).to_have_value("inte en adress")
    assert_accessible(page)
    screenshot(page, "anmalan-fel")
    assert not Item.objects.exists()


def test_the_public_pages_pass_axe(page, live_server, published):
    assert_pages_accessible(
        page,
        live_server,
        {
            "register": "/sociala-medier",
            "kanal": f"/sociala-medier/kanal/{published.pk}",
            "anmal": f"/sociala-medier/anmal?kanal={published.pk}",
        },
        prefix="medborgare",
    )


def test_the_unit_copies_the_house_rules(page, live_server, published, alice):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login_by_cookie(page, live_server, alice)
    page.goto(f"{live_server.url}/kanaler/{published.pk}/")
    page.get_by_role("link", name="Ordningsregler att klistra in").click()

    text = page.get_by_label("Text att klistra in")
    expect(text).to_have_js_property("readOnly", True)
    expect(text).to_contain_text("Det här får inte förekomma och tas bort:")
    page.get_by_role("button", name="Kopiera texten").click()
    expect(page.get_by_role("status")).to_have_text("Texten är kopierad.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Välkommen till Biblioteket i Åtvidaberg")
    assert_accessible(page)
    screenshot(page, "ordningsregler-kopiera")


def test_past_the_rate_limit_the_form_comes_back_kept_and_passes_axe(
    browser, live_server, published, settings
):
    """On a page of its own: Chromium logs the 429 answer itself as a console error, which
    the `page` fixture would count against the test."""
    settings.CITIZEN_REPORT_RATE_LIMIT = 0
    context = browser.new_context(locale="sv-SE")
    context.set_default_timeout(5_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(f"{live_server.url}/sociala-medier/anmal?kanal={published.pk}")
    page.get_by_label("Länk till innehållet").fill(COMMENT_URL)
    page.get_by_label("Reklam och kommersiella budskap").check()

    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.get_by_role("button", name="Skicka anmälan").click()

    assert answer.value.status == 429
    expect(page.get_by_role("heading", name="För många anmälningar på kort tid")).to_be_visible()
    expect(page.get_by_label("Länk till innehållet")).to_have_value(COMMENT_URL)
    expect(page.get_by_label("Reklam och kommersiella budskap")).to_be_checked()
    assert_accessible(page)
    assert not Item.objects.exists()
    assert not errors
    context.close()
