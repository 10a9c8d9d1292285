"""An activity plan (Bilaga 2) in a real browser, from the account owner's draft through the
signatures and Informationsenheten's review to the published register; and a signature with
the wrong password. Every page of the way meets WCAG 2.1 AA."""

import re

import pytest

from activityplans import services
from activityplans.models import ActivityPlan, Signature
from activityplans.workflow import PlanStatus
from atvida_social.organisation.roles import Role
from tests.factories import TEST_PASSWORD, ActivityPlanFactory, UserFactory

from .helpers import assert_accessible, login, login_by_cookie, screenshot

expect = pytest.importorskip(
    "playwright.sync_api", reason="e2e: playwright cannot be imported", exc_type=ImportError
).expect

pytestmark = pytest.mark.e2e

ACCOUNT_NAME = "Bibblan Åtvidaberg"
ACCOUNT_URL = "https://www.facebook.com/bibblanatvidaberg"


@pytest.fixture
def dan(library):
    """Biblioteket's second account owner."""
    return UserFactory(username="dan", unit=library, roles=[Role.ACCOUNT_OWNER])


def field(page, label: str):
    """The form field labelled `label`; crispy-forms appends "*" to a required field's label."""
    return page.get_by_label(re.compile(r"^\s*" + re.escape(label) + r"\*?\s*$"))


def person(user) -> str:
    """How the plan form lists a member of staff for administration and daily operation."""
    return f"{user.get_full_name()}, {user.unit} ({user.phone})"


def expect_status(page, label: str) -> None:
    expect(page.locator(".badge").first).to_have_text(label)


def fill_plan_form(page, *, administrators, daily_operators, manager) -> None:
    """Every required field of Bilaga 2, and both confirmations."""
    field(page, "Socialt medium").select_option(label="Facebook")
    field(page, "Webbadress").fill(ACCOUNT_URL)
    field(page, "Kontots namn").fill(ACCOUNT_NAME)
    field(page, "Kommunal verksamhet").select_option(label="Biblioteket")
    field(page, "Syftet med att finnas i det sociala mediet").fill(
        "Tipsa om böcker och evenemang och svara på frågor om biblioteket."
    )
    field(page, "Vem är målgruppen för denna aktivitet").fill("Kommunens invånare, 13–19 år.")
    field(page, "Vilka är målen för satsningen?").fill("Fler unga besökare i biblioteket.")
    field(page, "Mätbara mål").fill("300 följare och 20 nya lånekort på ett halvår.")
    field(page, "Vem ska administrera kontot?").select_option(
        label=[person(user) for user in administrators]
    )
    field(page, "Vem ska stå för den dagliga driften?").select_option(
        label=[person(user) for user in daily_operators]
    )
    field(page, "Hur ofta och under vilka tider ska kontot bevakas och uppdateras").fill(
        "Varje vardag kl. 9 och 15."
    )
    field(page, "Hur ofta ska material publiceras").fill("Tre inlägg i veckan.")
    field(page, "Beräknad arbetstid (timmar per vecka)").fill("4")
    field(page, "Hur kan medverkan i sociala medier stärka vår verksamhet?").fill(
        "Vi når unga som inte besöker biblioteket i dag."
    )
    field(page, "Hur kan vi mäta våra mål?").fill("Plattformens statistik och lånestatistik.")
    field(page, "Vilken är vår målgrupp och hur når vi den?").fill("Unga, genom skolorna.")
    page.get_by_label(re.compile(r"^\s*Har vi valt rätt kanal")).fill(
        "Ja, målgruppen finns på plattformen."
    )
    page.get_by_label(re.compile(r"^\s*Vem är ansvarig för att skriva inlägg")).fill(
        "Bibliotekarierna skriver; registratorn diarieför."
    )
    page.get_by_label("Samråd med informationsenheten har skett").check()
    page.get_by_label("Riktlinjer för sociala medier har följts").check()
    field(page, "Ansvarig chef som godkänner planen").select_option(
        label=f"{manager.get_full_name()}, {manager.unit}"
    )


def sign(page, *, password: str, check_page: bool = False) -> None:
    """From the plan's page: "Signera planen", then the password and "Signera"; with
    `check_page`, the signing page is run through axe-core first."""
    page.get_by_role("link", name="Signera planen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Signera aktivitetsplanen för {ACCOUNT_NAME}"
    )
    if check_page:
        screenshot(page, "plan-3-signing-page")
        assert_accessible(page)
    page.get_by_label("Ditt lösenord").fill(password)
    page.get_by_role("button", name="Signera", exact=True).click()


def test_plan_drafted_signed_and_approved_in_the_browser_reaches_the_public_register(
    page, new_page, live_server, alice, bob, dan, ingrid
):
    """Alice drafts a plan through the form and sends it for signing; bob, alice and dan
    each sign with their own password; ingrid starts the review, approves the plan and
    publishes the register; an anonymous visitor then finds the channel on /sociala-medier.
    Every page of the way (the form, the plan in each state, the signing page, the publish
    preview) has no WCAG 2.1 A/AA violation that axe-core can detect."""
    # Alice, the account owner, through the real login form.
    login(page, live_server, "alice", TEST_PASSWORD)
    page.goto(f"{live_server.url}/aktivitetsplaner/")
    page.get_by_role("link", name="Ny aktivitetsplan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ny aktivitetsplan för sociala medier"
    )
    assert_accessible(page)
    fill_plan_form(page, administrators=[alice, dan], daily_operators=[alice], manager=bob)
    screenshot(page, "plan-1-form-filled")
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_text("Aktivitetsplanen är sparad.")).to_be_visible()
    expect_status(page, "Utkast")
    assert_accessible(page)
    page.get_by_role("button", name="Skicka för signering").click()
    expect(page.get_by_text("Planen är skickad för signering.")).to_be_visible()
    expect_status(page, "Väntar på signering")
    screenshot(page, "plan-2-awaiting-signatures")
    assert_accessible(page)
    plan_url = page.url

    # The manager and both account owners sign, each in their own browser.
    for signer in (bob, alice, dan):
        if signer is alice:
            signer_page = page
        else:
            signer_page = new_page()
            login_by_cookie(signer_page, live_server, signer)
        signer_page.goto(plan_url)
        sign(signer_page, password=TEST_PASSWORD, check_page=signer is bob)
        expect(signer_page.get_by_text("Du har signerat aktivitetsplanen.")).to_be_visible()
    expect_status(signer_page, "Signerad")
    assert Signature.objects.filter(plan__account_name=ACCOUNT_NAME).count() == 3

    # Informationsenheten reviews, approves and publishes.
    reviewer = new_page()
    login_by_cookie(reviewer, live_server, ingrid)
    reviewer.goto(plan_url)
    expect_status(reviewer, "Signerad")
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="Påbörja granskning").click()
    expect(reviewer.get_by_text("Granskningen är påbörjad.")).to_be_visible()
    expect_status(reviewer, "Granskas av informationsenheten")
    screenshot(reviewer, "plan-4-in-review")
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="Godkänn planen").click()
    expect(reviewer.get_by_text("Planen är godkänd")).to_be_visible()
    expect_status(reviewer, "Godkänd")
    screenshot(reviewer, "plan-5-approved")
    assert_accessible(reviewer)

    reviewer.goto(f"{live_server.url}/kanaler/publicera/")
    expect(reviewer.get_by_role("listitem").filter(has_text=ACCOUNT_NAME)).to_contain_text(
        "Tillagd"
    )
    screenshot(reviewer, "plan-6-publish-preview")
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="Publicera version 1").click()
    expect(reviewer.get_by_text("Version 1 är publicerad.")).to_be_visible()

    # Anyone, without logging in.
    visitor = new_page()
    visitor.goto(f"{live_server.url}/sociala-medier")
    expect(visitor.get_by_role("heading", name="Kultur- och fritidsförvaltningen")).to_be_visible()
    expect(visitor.get_by_role("heading", name="Biblioteket")).to_be_visible()
    expect(visitor.get_by_role("link", name=ACCOUNT_NAME, exact=True)).to_have_attribute(
        "href", ACCOUNT_URL
    )
    screenshot(visitor, "plan-7-public-register")


def test_wrong_password_on_the_signing_page_records_no_signature(
    page, live_server, library, alice, bob, dan
):
    """The manager signing with a wrong password stays on the signing page with "Lösenordet
    stämmer inte" beside the field; no signature is recorded and the plan still waits for
    signatures. The page with the error has no WCAG 2.1 A/AA violation axe-core can detect."""
    plan = ActivityPlanFactory(
        unit=library,
        account_name=ACCOUNT_NAME,
        url=ACCOUNT_URL,
        manager=bob,
        prepared_by=alice,
        administrators=[alice, dan],
        daily_operators=[alice],
    )
    services.submit_plan(plan, by=alice)
    login_by_cookie(page, live_server, bob)
    page.goto(f"{live_server.url}/aktivitetsplaner/{plan.pk}/")

    sign(page, password="fel-lösenord")

    expect(page).to_have_url(re.compile(rf"/aktivitetsplaner/{plan.pk}/signera/$"))
    expect(page.get_by_text("Lösenordet stämmer inte")).to_be_visible()
    expect(page.get_by_label("Ditt lösenord")).to_have_attribute("aria-invalid", "true")
    assert not Signature.objects.filter(plan=plan).exists()
    assert ActivityPlan.objects.get(pk=plan.pk).status == PlanStatus.AWAITING_SIGNATURES
    screenshot(page, "plan-sign-wrong-password")
    assert_accessible(page)
