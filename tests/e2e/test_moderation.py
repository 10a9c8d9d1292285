"""The moderation queue in a real browser: an operator filters the queue, answers one item
and hides another, and registers a direct message and downloads its diarium copy (PDF/A);
the queue, an item and the rules pages meet WCAG 2.1 AA."""

import io
from pathlib import Path

import pikepdf
import pytest

from moderation import services
from moderation.models import Item
from moderation.workflow import ItemStatus
from tests.moderation.conftest import item_data

from .helpers import assert_accessible, assert_pages_accessible, login_by_cookie, screenshot

expect = pytest.importorskip(
    "playwright.sync_api", reason="e2e: playwright cannot be imported", exc_type=ImportError
).expect

pytestmark = pytest.mark.e2e


def _register(channel, **overrides):
    return services.register_item(channel, item_data(**overrides))[0]


def test_an_operator_filters_answers_one_item_and_hides_another(page, live_server, channel, dora):
    question = _register(channel, external_id="fb-fraga", text="När öppnar ni på lördag?")
    insult = _register(channel, external_id="fb-pahopp", text="Ni är idioter allihop")
    login_by_cookie(page, live_server, dora)

    page.goto(f"{live_server.url}/moderering/")
    page.get_by_label("Kategori", exact=True).select_option(
        label="Förtal, personangrepp eller förolämpningar"
    )
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_role("link", name="Kommentar från Anna Andersson")).to_have_count(0)
    expect(page.get_by_text("Ni är idioter allihop")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "moderering-ko-filtrerad")

    page.goto(f"{live_server.url}/moderering/{question.pk}/")
    page.get_by_role("combobox", name="Beslut").select_option(label="Besvara")
    page.get_by_label("Svar").fill("Klockan 10–14.")
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_text("Beslutet är registrerat.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/moderering/{insult.pk}/")
    expect(page.locator("mark")).to_have_text("idioter")
    page.get_by_role("combobox", name="Beslut").select_option(label="Ta bort")
    page.get_by_label("Kategori (vid borttagning)").select_option(
        label="Förtal, personangrepp eller förolämpningar"
    )
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_text("Beslutet är registrerat.")).to_be_visible()
    screenshot(page, "moderering-borttagen")

    assert Item.objects.get(pk=question.pk).status == ItemStatus.ANSWERED
    assert Item.objects.get(pk=insult.pk).status == ItemStatus.REMOVED


def test_an_operator_registers_a_direct_message_found_by_the_queues_filter(
    page, live_server, channel, dora
):
    message = _register(
        channel, external_id="dm-1", kind="message", text="Jag vill klaga på bemötandet."
    )
    _register(channel, external_id="fb-fraga", text="När öppnar ni på lördag?")
    login_by_cookie(page, live_server, dora)

    page.goto(f"{live_server.url}/moderering/")
    page.get_by_label("Ej diarieförda direktmeddelanden").check()
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_text("När öppnar ni på lördag?")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Direktmeddelande från Anna Andersson").click()
    # Only what settles a direct message is offered: no keeping or answering it.
    expect(page.get_by_role("combobox", name="Beslut").locator("option")).to_have_text(
        ["Vidarebefordra", "Ringa eller tillfällig betydelse", "Diarieför",
         "Sekretess: ta bort och diarieför som eget ärende"]
    )  # fmt: skip
    page.get_by_role("combobox", name="Beslut").select_option(label="Diarieför")
    page.get_by_label("Diarienummer", exact=True).fill("KFN 2026/41")
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_text("Beslutet är registrerat.")).to_be_visible()
    assert_accessible(page)

    # The diarium's copy was archived in the background; the item's page links to it.
    page.goto(f"{live_server.url}/moderering/{message.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Diarieexemplar (PDF/A)").click()
    data = Path(download.value.path()).read_bytes()
    with pikepdf.open(io.BytesIO(data)) as document:
        assert document.open_metadata()["pdfaid:part"] == "1"
    assert "KFN-2026-41" in download.value.suggested_filename.upper()
    assert_accessible(page)

    assert Item.objects.get(pk=message.pk).status == ItemStatus.REGISTERED


def test_the_moderation_pages_pass_axe(page, live_server, channel, ingrid):
    item = _register(channel, text="Du är en idiot, ring 070-123 45 67")
    reply = _register(channel, external_id="fb-2", kind="comment", parent="fb-1")
    deeper = _register(
        channel, external_id="fb-3", kind="comment", parent="fb-2", text="Mitt nummer 811228-9874."
    )
    services.decide_item(deeper, by=ingrid, kind="forward", forwarded_to=ingrid)
    login_by_cookie(page, live_server, ingrid)

    assert_pages_accessible(
        page,
        live_server,
        {
            "ko": "/moderering/",
            "inlagg": f"/moderering/{item.pk}/",
            # A reply in a thread three deep, and one forwarded while a rule hides its text.
            "svar-i-trad": f"/moderering/{reply.pk}/",
            "dold-vidarebefordrad": f"/moderering/{deeper.pk}/",
            "registrera": "/moderering/nytt/",
            "regler": "/moderering/regler/?text=Du+%C3%A4r+en+idiot",
            "ny-regel": "/moderering/regler/ny/",
        },
        prefix="moderering",
    )
