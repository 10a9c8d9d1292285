"""The channel register in a real browser: Informationsenheten adds a channel and publishes it,
the public pages show it; every page of the register meets WCAG 2.1 AA, fits a phone and
shows where the keyboard focus is."""

import datetime

import pytest

from channels import services
from channels.models import Channel, PartyLink
from tests.factories import (
    TEST_PASSWORD,
    AdministrationFactory,
    ChannelFactory,
    PartyFactory,
    PartyLinkFactory,
    UnitFactory,
)

from .helpers import (
    assert_accessible,
    assert_pages_accessible,
    login,
    login_by_cookie,
    screenshot,
)

expect = pytest.importorskip(
    "playwright.sync_api", reason="e2e: playwright cannot be imported", exc_type=ImportError
).expect

pytestmark = pytest.mark.e2e

PHONE_WIDTH = 360

# Every public page type; version 1 and 2 exist in the `two_versions` register.
PUBLIC_PAGES = {
    "register": "/sociala-medier",
    "version-list": "/sociala-medier/versioner",
    "version": "/sociala-medier/versioner/1",
    "compare": "/sociala-medier/versioner/1/jamfor/2",
    "accessibility-statement": "/tillganglighet",
}

LONG_URL = (
    "https://www.facebook.com/samhallsbyggnadsforvaltningen.atvidabergs.kommun"
    "/bygglov-detaljplaner-och-kartor-for-invanare-och-foretagare"
)


@pytest.fixture
def two_versions(ingrid, library):
    """Two published versions with long Swedish names and long addresses, and between them
    a channel added, one removed, one renamed and a party link added, so that every kind of
    row renders; afterwards one more channel waits unpublished for the publish preview."""
    building = UnitFactory(
        name="Bygglovs- och detaljplaneringsenheten",
        administration=AdministrationFactory(name="Samhällsbyggnadsförvaltningen"),
    )
    renamed = ChannelFactory(unit=library, account_name="Biblioteket")
    removed = ChannelFactory(
        unit=library,
        account_name="Sommarboken",
        platform="instagram",
        url="https://www.instagram.com/sommarboken",
    )
    ChannelFactory(unit=building, account_name="Samhällsbyggnadsförvaltningen informerar")
    PartyLinkFactory(party=PartyFactory(name="Socialdemokraterna"))
    services.publish_register(by=ingrid)

    Channel.objects.filter(pk=renamed.pk).update(account_name="Åtvidabergs bibliotek")
    Channel.objects.filter(pk=removed.pk).update(
        status="avslutad", ended_on=datetime.date(2026, 1, 31)
    )
    ChannelFactory(
        unit=building,
        account_name="Samhällsbyggnadsförvaltningens bygglovshandläggare svarar på frågor",
        url=LONG_URL,
    )
    PartyLinkFactory(
        party=PartyFactory(name="Kristdemokraterna"),
        url="https://www.facebook.com/kristdemokraterna.i.atvidabergs.kommunfullmaktige.officiell",
    )
    services.publish_register(by=ingrid)

    ChannelFactory(
        unit=library,
        account_name="Bokcirkeln",
        platform="youtube",
        url="https://www.youtube.com/@bokcirkeln",
    )


def test_channel_saved_and_published_by_informationsenheten_reaches_the_public_register(
    page, new_page, live_server, ingrid, library
):
    """Ingrid adds a channel through the form, sees it in the publish preview and publishes
    version 2; an anonymous visitor then finds it on /sociala-medier and, comparing version 1
    with version 2 in the version history, marked "Tillagd"."""
    ChannelFactory(unit=library, account_name="Biblioteket", url="https://www.facebook.com/bibl")
    services.publish_register(by=ingrid)

    login(page, live_server, "ingrid", TEST_PASSWORD)
    page.goto(f"{live_server.url}/kanaler/")
    page.get_by_role("link", name="Ny kanal").click()
    expect(page.get_by_role("heading", name="Ny kanal")).to_be_visible()
    page.get_by_label("Socialt medium").select_option(label="Facebook")
    page.get_by_label("Kontots namn").fill("Bibblan för unga")
    page.get_by_label("Webbadress").fill("https://www.facebook.com/bibblanforunga")
    page.get_by_label("Verksamhet").select_option(label="Biblioteket")
    page.get_by_label("Status").select_option(label="Aktiv")
    page.get_by_label("Startdatum").fill("2026-03-02")
    page.get_by_label("Kontaktadress").fill("biblioteket@atvidaberg.se")
    # Without an approved plan, only a recorded exception lets the channel become active.
    page.get_by_label("Undantag från aktivitetsplan: skäl").fill("Fanns innan verktyget.")
    screenshot(page, "register-flow-1-channel-form-filled")
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bibblan för unga")
    expect(page.get_by_text("Kanalen är sparad.")).to_be_visible()

    page.get_by_role("button", name="Informationsenheten").click()
    page.get_by_role("link", name="Publicera registret").click()
    expect(page.get_by_role("heading", name="Publicera kanalregistret")).to_be_visible()
    added = page.get_by_role("listitem").filter(has_text="Bibblan för unga")
    expect(added).to_contain_text("Tillagd")
    screenshot(page, "register-flow-2-publish-preview")
    page.get_by_role("button", name="Publicera version 2").click()
    expect(page.get_by_text("Version 2 är publicerad.")).to_be_visible()

    visitor = new_page()
    visitor.goto(f"{live_server.url}/sociala-medier")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Kommunens kanaler i sociala medier"
    )
    channel_link = visitor.get_by_role("link", name="Bibblan för unga", exact=True)
    expect(channel_link).to_have_attribute("href", "https://www.facebook.com/bibblanforunga")
    screenshot(visitor, "register-flow-3-public-register")
    visitor.get_by_role("link", name="Alla versioner").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Versionshistorik för kanalregistret"
    )
    visitor.get_by_role("link", name="Jämför med föregående").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Ändringar från version 1 till version 2"
    )
    expect(visitor.get_by_role("listitem").filter(has_text="Bibblan för unga")).to_contain_text(
        "Tillagd"
    )
    screenshot(visitor, "register-flow-4-compare")


def test_public_register_before_any_publication_meets_wcag_21_aa(page, live_server, db):
    """Before the first publication /sociala-medier says so, with no WCAG 2.1 A/AA
    violation that axe-core can detect."""
    page.goto(f"{live_server.url}/sociala-medier")
    expect(page.get_by_text("har inte publicerats ännu")).to_be_visible()
    screenshot(page, "public-register-unpublished")

    assert_accessible(page)


def test_every_public_register_page_meets_wcag_21_aa(page, live_server, two_versions):
    """Each public page type (register, version history, one version, a comparison with
    every kind of row: added, removed, changed, party links; the accessibility statement)
    has no WCAG 2.1 A/AA violation that axe-core can detect."""
    assert_pages_accessible(page, live_server, PUBLIC_PAGES, prefix="public")


def test_every_staff_register_page_meets_wcag_21_aa(page, live_server, ingrid, two_versions):
    """Each page Informationsenheten keeps the register with (channels, parties and their
    links, publishing, published versions), as ingrid sees it with data in every list, has
    no WCAG 2.1 A/AA violation that axe-core can detect."""
    channel = Channel.objects.get(account_name="Åtvidabergs bibliotek")
    link = PartyLink.objects.get(party__name="Socialdemokraterna")
    party = link.party_id  # the party's pk
    login_by_cookie(page, live_server, ingrid)

    assert_pages_accessible(
        page,
        live_server,
        {
            "channel-list": "/kanaler/",
            "channel-create": "/kanaler/ny/",
            "channel-detail": f"/kanaler/{channel.pk}/",
            "channel-edit": f"/kanaler/{channel.pk}/andra/",
            "publish-preview": "/kanaler/publicera/",
            "party-list": "/kanaler/partier/",
            "party-create": "/kanaler/partier/ny/",
            "party-edit": f"/kanaler/partier/{party}/andra/",
            "party-link-create": f"/kanaler/partier/{party}/lankar/ny/",
            "party-link-delete": f"/kanaler/partier/{party}/lankar/{link.pk}/ta-bort/",
            "version-list": "/kanaler/versioner/",
        },
        prefix="staff",
    )


def test_channel_form_with_field_errors_meets_wcag_21_aa(page, live_server, ingrid, library):
    """The channel form sent back with errors (an Instagram address for a Facebook channel,
    an active channel without start date, an address outside the municipality's domain)
    names each problem in Swedish beside its field, and still has no WCAG 2.1 A/AA
    violation that axe-core can detect."""
    login_by_cookie(page, live_server, ingrid)
    page.goto(f"{live_server.url}/kanaler/ny/")
    page.get_by_label("Socialt medium").select_option(label="Facebook")
    page.get_by_label("Kontots namn").fill("Biblioteket")
    page.get_by_label("Webbadress").fill("https://www.instagram.com/biblioteket")
    page.get_by_label("Verksamhet").select_option(label="Biblioteket")
    page.get_by_label("Status").select_option(label="Aktiv")
    page.get_by_label("Kontaktadress").fill("biblioteket@gmail.com")
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_role("alert")).to_contain_text("Formuläret innehåller fel")
    expect(page.get_by_text("Adressen hör inte till plattformen")).to_be_visible()
    expect(page.get_by_text("Ange startdatum för en aktiv eller avslutad kanal.")).to_be_visible()
    expect(page.get_by_text("E-postadressen måste höra till kommunens domän")).to_be_visible()
    expect(page.get_by_label("Webbadress")).to_have_attribute("aria-invalid", "true")
    assert not Channel.objects.exists()
    screenshot(page, "staff-channel-form-errors")

    assert_accessible(page)


def test_every_public_page_fits_a_360_px_phone_without_sideways_scrolling(
    page, live_server, two_versions
):
    """At 360 px wide no public page is wider than the screen (document scrollWidth), though
    the register holds Samhällsbyggnadsförvaltningen, long account names and long addresses:
    nobody on a phone has to scroll sideways (reflow, WCAG 1.4.10)."""
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 780})
    too_wide = {}
    for name, path in PUBLIC_PAGES.items():
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            too_wide[path] = width
        screenshot(page, f"phone-{name}")

    assert not too_wide, f"pages wider than {PHONE_WIDTH} px (scrollWidth): {too_wide}"


def test_keyboard_focus_is_visible_on_the_first_link_of_the_public_register(
    page, live_server, two_versions
):
    """Tabbing into /sociala-medier focuses the "Hoppa till innehållet" link first, which then
    shows on screen with the house focus outline (3 px, not none); the next Tab moves on to
    the next link with the same outline (WCAG 2.4.7)."""
    page.goto(f"{live_server.url}/sociala-medier")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()  # visually hidden until focused: a 1 px clip
    assert box["width"] > 20, f"the focused skip link is not shown: {box}"
    assert box["height"] > 20, f"the focused skip link is not shown: {box}"
    outline = skip_link.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] != "none", f"the focused link has no outline: {outline}"
    assert outline[1] == "3px"
    screenshot(page, "focus-skip-link")

    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const el = document.activeElement; const s = getComputedStyle(el);"
        " return [el.tagName, s.outlineStyle, s.outlineWidth]; }"
    )
    assert focused[0] == "A"
    assert focused[1] != "none", f"the focused {focused[0]} has no outline"
    assert focused[2] == "3px"
