"""One current plan per channel: approving a revision supersedes the plan in force, and every
right an approved plan grants is read from the channel's current plan."""

import io

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from activityplans import pdf, selectors, services
from activityplans.exceptions import TransitionNotAllowed
from activityplans.models import ActivityPlan, PlanEvent
from activityplans.workflow import PlanStatus
from atvida_social.organisation.exceptions import PermissionDeniedError
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _through_approval(plan, *, unit_actor, signers, approver):
    services.submit_plan(plan, by=unit_actor)
    plan.refresh_from_db()
    if plan.status == PlanStatus.AWAITING_SIGNATURES:
        for signer in signers:
            services.sign_plan(plan, by=signer, password=TEST_PASSWORD)
    services.start_review(plan, by=approver)
    services.approve_plan(plan, by=approver)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def revision(approved, alice, dan):
    """Revision 2 of the approved plan, as a draft with a changed account name."""
    draft = services.start_revision(approved, by=alice)
    draft.account_name = "Biblioteket i Åtvidaberg"
    services.save_plan(draft, by=alice, administrators=[alice, dan], daily_operators=[alice])
    return draft


def _text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_approving_a_revision_supersedes_the_plan_in_force(
    approved, revision, alice, bob, dan, ingrid
):
    _through_approval(revision, unit_actor=alice, signers=[bob, alice, dan], approver=ingrid)

    approved.refresh_from_db()
    event = approved.events.order_by("-pk").first()
    assert approved.status == PlanStatus.SUPERSEDED
    assert (event.from_status, event.to_status, event.actor) == ("godkand", "ersatt", ingrid)
    assert selectors.current_plan(approved.channel) == revision


def test_a_channel_has_no_current_plan_before_approval(plan):
    assert selectors.current_plan(plan.channel) is None


def test_the_database_refuses_a_second_current_plan_for_a_channel(
    approved, revision, alice, bob, dan
):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityPlan.objects.filter(pk=revision.pk).update(status=PlanStatus.APPROVED)


def test_the_database_refuses_a_second_open_plan_for_a_channel(approved, revision):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityPlan.objects.filter(pk=approved.pk).update(status=PlanStatus.DRAFT)


def test_a_revision_starts_only_from_the_current_plan(approved, revision, alice, bob, dan, ingrid):
    _through_approval(revision, unit_actor=alice, signers=[bob, alice, dan], approver=ingrid)
    approved.refresh_from_db()

    with pytest.raises(TransitionNotAllowed):
        services.start_revision(approved, by=alice)


def test_a_double_click_on_revise_gives_the_same_draft(client, approved, alice):
    client.force_login(alice)
    url = reverse("activityplans:plan-revise", args=[approved.pk])

    first = client.post(url)
    second = client.post(url)

    drafts = ActivityPlan.objects.filter(channel=approved.channel, status=PlanStatus.DRAFT)
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.url == second.url == reverse("activityplans:plan-edit", args=[drafts.get().pk])


def test_a_superseded_plan_names_its_replacement_and_offers_no_actions(
    client, approved, revision, alice, bob, dan, ingrid
):
    _through_approval(revision, unit_actor=alice, signers=[bob, alice, dan], approver=ingrid)
    client.force_login(alice)

    page = client.get(approved.get_absolute_url()).content.decode()

    assert "ersattes av" in page
    assert revision.get_absolute_url() in page
    for action in ("plan-revise", "credential-edit", "plan-edit", "plan-submit"):
        assert reverse(f"activityplans:{action}", args=[approved.pk]) not in page


def test_a_new_revision_carries_neither_the_approved_pdf_nor_its_hash(approved, revision):
    assert approved.approved_pdf
    assert approved.approved_pdf_sha256
    assert not revision.approved_pdf
    assert revision.approved_pdf_sha256 == ""


def test_downloading_a_draft_renders_the_draft_marked_as_a_draft(client, approved, revision):
    client.force_login(revision.prepared_by)

    draft = _text(client.get(reverse("activityplans:plan-pdf", args=[revision.pk])).getvalue())
    signed = _text(client.get(reverse("activityplans:plan-pdf", args=[approved.pk])).getvalue())

    assert "Biblioteket i Åtvidaberg" in draft
    assert "UTKAST" in draft
    assert "Biblioteket i Åtvidaberg" not in signed
    assert "UTKAST" not in signed


def test_a_drafts_pdf_is_rendered_once_per_content(revision, alice, dan):
    with time_machine.travel("2026-11-30 10:00 +01:00", tick=False):
        first = pdf.plan_pdf(revision)
    with time_machine.travel("2026-11-30 10:05 +01:00", tick=False):
        again = pdf.plan_pdf(revision)
        revision.goals = "Fler lånare bland unga."
        services.save_plan(revision, by=alice, administrators=[alice, dan], daily_operators=[alice])
        changed = pdf.plan_pdf(revision)

    # The print time is in the PDF: equal bytes mean the first rendering was reused.
    assert again == first
    assert changed != first
    assert "Fler lånare bland unga." in _text(changed)


def test_an_administrator_removed_in_a_revision_loses_the_hand_over_at_once(
    client, approved, alice, bob, dan, ingrid, library
):
    from tests.factories import UserFactory

    erik = UserFactory(username="erik", unit=library)
    draft = services.start_revision(approved, by=alice)
    services.save_plan(draft, by=alice, administrators=[alice, erik], daily_operators=[alice])
    _through_approval(draft, unit_actor=alice, signers=[bob, alice, erik], approver=ingrid)
    approved.refresh_from_db()
    client.force_login(dan)

    with pytest.raises(PermissionDeniedError):
        services.save_credential(draft, by=dan, username="bibblan", password="hemligt-1")
    with pytest.raises(PermissionDeniedError):
        services.save_credential(approved, by=dan, username="bibblan", password="hemligt-1")
    for plan in (draft, approved):
        url = reverse("activityplans:credential-edit", args=[plan.pk])
        assert client.get(url).status_code == 403
    assert not selectors.may_hand_over(dan, draft)
    assert selectors.may_hand_over(erik, draft)


def test_each_event_records_the_content_hash_it_concerned(plan, alice):
    services.submit_plan(plan, by=alice)

    event = PlanEvent.objects.get(plan=plan)
    assert event.content_hash == plan.content_hash()
