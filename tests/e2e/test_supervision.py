"""Supervision in a real browser: an operator marks a channel reviewed and registers an
absence with a substitute; the supervision, absence and plan pages meet WCAG 2.1 AA."""

import datetime

import pytest
from django.utils import timezone

from moderation.models import Absence, ChannelReview
from moderation.services import supervision

from .helpers import assert_accessible, assert_pages_accessible, login_by_cookie, screenshot

expect = pytest.importorskip(
    "playwright.sync_api", reason="e2e: playwright cannot be imported", exc_type=ImportError
).expect

pytestmark = pytest.mark.e2e


def test_an_operator_marks_the_channel_reviewed_and_registers_an_absence(
    page, live_server, channel, dora, dagny
):
    login_by_cookie(page, live_server, dora)

    page.goto(f"{live_server.url}/moderering/")
    page.get_by_role("link", name="Tillsyn av kanalerna").click()
    expect(page.get_by_text("Kanalen bevakas minst en gång i veckan.")).to_be_visible()
    page.get_by_role("button", name=f"Markera som granskad {channel}").click()
    expect(page.get_by_text(f"Tillsynen av {channel} är registrerad.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "tillsyn")

    page.get_by_role("link", name="Frånvaro och ersättare").click()
    page.get_by_role("textbox", name="Från").fill("2030-06-01T08:00")
    page.get_by_role("textbox", name="Till").fill("2030-06-05T17:00")
    page.get_by_label("Ersättare").select_option(str(dagny.pk))
    page.get_by_role("button", name="Registrera frånvaron").click()
    expect(page.get_by_text("Frånvaron är registrerad.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "franvaro")

    assert ChannelReview.objects.get().reviewed_by == dora
    absence = Absence.objects.get()
    assert (absence.operator, absence.substitute) == (dora, dagny)


def test_the_supervision_pages_pass_axe(page, live_server, channel, dora, dagny):
    now = timezone.now()
    absence = supervision.register_absence(
        dora,
        by=dora,
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=3),
        substitute=dagny,
    )
    plan = channel.activity_plans.get()
    login_by_cookie(page, live_server, dora)

    assert_pages_accessible(
        page,
        live_server,
        {
            "tillsyn": "/moderering/tillsyn/",
            "franvaro": "/moderering/franvaro/",
            "avsluta": f"/moderering/franvaro/{absence.pk}/avsluta/",
            "plan": f"/aktivitetsplaner/{plan.pk}/",
        },
        prefix="tillsyn",
    )
