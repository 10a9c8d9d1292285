"""Culling in a real browser: Informationsenheten reviews a proposed culling, approves it with
one click and reads the culling log; the culling pages meet WCAG 2.1 AA."""

import datetime

import pytest
from django.conf import settings

from archiving import tasks
from archiving.culling import services as culling
from archiving.models import CullingProposal, DispositionDecision, ProposalStatus
from moderation.models import Item
from tests.culling.conftest import NOW, make_item, make_snapshot

from .helpers import assert_accessible, assert_pages_accessible, login_by_cookie, screenshot

expect = pytest.importorskip(
    "playwright.sync_api", reason="e2e: playwright cannot be imported", exc_type=ImportError
).expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def proposal(channel, ingrid):
    DispositionDecision.objects.create(
        reference="KS 2026/17 § 4",
        description="Inlägg av ringa eller tillfällig betydelse gallras efter tre månader.",
        adopted_on=datetime.date(2026, 1, 20),
        created_by=ingrid,
    )
    for number in range(3):
        make_item(channel, text=f"Tack för tipset {number}!")
    make_snapshot(channel)
    return culling.propose_culling(now=NOW)


def test_informationsenheten_reviews_approves_and_reads_the_log(
    page, live_server, channel, ingrid, proposal
):
    login_by_cookie(page, live_server, ingrid)

    page.goto(f"{live_server.url}/arkiv/")
    page.get_by_role("link", name="Gallring", exact=True).click()
    expect(page.get_by_role("heading", name="Förslag till gallring")).to_be_visible()
    expect(page.get_by_text("Gallringen kan inte ångras.")).to_be_visible()
    expect(page.get_by_role("cell", name="2026-02", exact=True)).to_be_visible()
    expect(page.get_by_text("Tack för tipset 1!")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "gallring-forslag")

    page.get_by_role("button", name="Godkänn gallringen").click()
    expect(page.get_by_text("Gallringen är godkänd")).to_be_visible()
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        # With a real broker the worker runs this; here, as the worker would.
        tasks.cull_approved_proposal(proposal.pk)
    assert CullingProposal.objects.get(pk=proposal.pk).status == ProposalStatus.EXECUTED
    assert not Item.objects.filter(channel=channel).exists()

    page.get_by_role("link", name="gallringsloggen").first.click()
    expect(page.get_by_role("heading", name="Gallringslogg")).to_be_visible()
    expect(page.get_by_text(f"{channel.account_name} (")).to_be_visible()
    expect(page.get_by_text("3 inlägg")).to_be_visible()
    expect(page.get_by_role("cell", name="KS 2026/17 § 4")).to_be_visible()
    expect(page.get_by_text("Tack för tipset")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "gallring-logg")


def test_the_culling_pages_pass_axe(page, live_server, channel, ingrid, proposal):
    culling.place_legal_hold(channel, by=ingrid, reason="Begäran om allmän handling.")
    login_by_cookie(page, live_server, ingrid)

    assert_pages_accessible(
        page,
        live_server,
        {"forslag": "/arkiv/gallring/", "logg": "/arkiv/gallring/logg/"},
        prefix="gallring",
    )


def test_without_a_decision_the_page_passes_axe_and_says_so(page, live_server, ingrid):
    login_by_cookie(page, live_server, ingrid)

    page.goto(f"{live_server.url}/arkiv/gallring/")

    expect(page.get_by_text("Gallring kan inte göras förrän beslutet")).to_be_visible()
    assert_accessible(page)


def test_informationsenheten_holds_one_item_from_its_page(
    page, live_server, channel, ingrid, proposal
):
    held = Item.objects.filter(channel=channel).order_by("pk").first()
    login_by_cookie(page, live_server, ingrid)

    page.goto(f"{live_server.url}/moderering/{held.pk}/")
    expect(
        page.get_by_text("Inget gallringsstopp gäller för inlägget eller kanalen.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Gallringsstopp för inlägget").click()
    page.get_by_label("Anledning").fill("Begärd som allmän handling.")
    page.get_by_role("button", name="Stoppa gallringen av inlägget").click()
    expect(page.get_by_text("Det gallras inte förrän stoppet hävs.")).to_be_visible()
    expect(page.get_by_role("button", name="Häv stoppet för inlägget")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "gallring-stopp-inlagg")

    page.get_by_role("link", name="Gallring", exact=True).first.click()
    expect(page.get_by_role("link", name=held.external_id)).to_be_visible()
    page.get_by_role("button", name="Godkänn gallringen").click()
    expect(page.get_by_text("Gallringen är godkänd")).to_be_visible()
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        tasks.cull_approved_proposal(proposal.pk)
    assert list(Item.objects.filter(channel=channel)) == [held]
