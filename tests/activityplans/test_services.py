import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from activityplans import selectors, services
from activityplans.exceptions import (
    HistoryImmutable,
    NotASigner,
    TransitionNotAllowed,
    WrongPassword,
)
from activityplans.models import ActivityPlan, PlanEvent, Signature
from activityplans.workflow import PlanStatus
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.models import AuditLogEntry
from channels import register
from channels import services as channel_services
from tests.factories import TEST_PASSWORD, ActivityPlanFactory, UserFactory

pytestmark = pytest.mark.django_db


def _sign_all(plan, *signers):
    for signer in signers:
        services.sign_plan(plan, by=signer, password=TEST_PASSWORD)
    plan.refresh_from_db()


@pytest.fixture
def signed_plan(plan, alice, bob, dan):
    services.submit_plan(plan, by=alice)
    _sign_all(plan, bob, alice, dan)
    return plan


@pytest.fixture
def reviewed_plan(signed_plan, ingrid):
    services.start_review(signed_plan, by=ingrid)
    return signed_plan


def test_submitting_sends_the_plan_for_signing_and_logs_the_move(plan, alice):
    services.submit_plan(plan, by=alice)

    event = PlanEvent.objects.get(plan=plan)
    assert plan.status == PlanStatus.AWAITING_SIGNATURES
    assert (event.from_status, event.to_status, event.actor) == ("utkast", plan.status, alice)
    assert AuditLogEntry.objects.filter(action="plan_status_changed").exists()


def test_another_units_staff_cannot_submit(plan, carol):
    with pytest.raises(PermissionDeniedError):
        services.submit_plan(plan, by=carol)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_draft_cannot_be_approved(plan, ingrid):
    with pytest.raises(TransitionNotAllowed):
        services.start_review(plan, by=ingrid)
    assert not PlanEvent.objects.exists()


def test_signing_needs_the_signers_own_password(plan, alice, bob):
    services.submit_plan(plan, by=alice)

    with pytest.raises(WrongPassword):
        services.sign_plan(plan, by=bob, password="fel")
    assert not Signature.objects.exists()


def test_someone_not_named_cannot_sign(plan, alice, carol):
    services.submit_plan(plan, by=alice)

    with pytest.raises(NotASigner):
        services.sign_plan(plan, by=carol, password=TEST_PASSWORD)


def test_last_signature_makes_the_plan_signed(plan, alice, bob, dan):
    services.submit_plan(plan, by=alice)

    _sign_all(plan, bob, alice)
    assert plan.status == PlanStatus.AWAITING_SIGNATURES
    _sign_all(plan, dan)

    assert plan.status == PlanStatus.SIGNED


def test_signing_twice_adds_no_second_signature(plan, alice, bob):
    services.submit_plan(plan, by=alice)

    _sign_all(plan, bob, bob)

    assert Signature.objects.filter(signer=bob).count() == 1


def test_signature_covers_the_content_hash(plan, alice, bob):
    services.submit_plan(plan, by=alice)
    _sign_all(plan, bob)

    assert Signature.objects.get().content_hash == plan.content_hash()


def test_edit_after_a_signature_voids_every_signature(plan, alice, bob, dan):
    services.submit_plan(plan, by=alice)
    _sign_all(plan, bob, dan)
    plan.goals = "Nya mål."

    voided = services.save_plan(
        plan, by=alice, administrators=[alice, dan], daily_operators=[alice]
    )

    assert voided == 2
    assert {u.pk for u in selectors.missing_signers(plan)} == {alice.pk, bob.pk, dan.pk}
    assert Signature.objects.count() == 2  # kept as history, no longer valid


def test_changing_the_administrators_also_voids_signatures(plan, alice, bob, dan, library):
    services.submit_plan(plan, by=alice)
    _sign_all(plan, bob)
    eve = UserFactory(unit=library)

    voided = services.save_plan(
        plan, by=alice, administrators=[alice, eve], daily_operators=[alice]
    )

    assert voided == 1


def test_approval_requires_every_signature(plan, alice, bob, ingrid):
    services.submit_plan(plan, by=alice)
    _sign_all(plan, bob)
    ActivityPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.IN_REVIEW)

    with pytest.raises(TransitionNotAllowed, match="saknar underskrifter"):
        services.approve_plan(plan, by=ingrid)
    assert not plan.unit.channels.exists()


def test_approval_puts_the_channel_into_the_register(reviewed_plan, ingrid):
    services.approve_plan(reviewed_plan, by=ingrid)

    reviewed_plan.refresh_from_db()
    channel = reviewed_plan.channel
    assert reviewed_plan.status == PlanStatus.APPROVED
    assert channel.status == "aktiv"
    assert channel.url == "https://www.facebook.com/bibblan"
    preview = channel_services.publish_preview()
    assert not register.is_empty(preview)
    assert preview["channels"]["added"][0]["account_name"] == "Bibblan på Facebook"


def test_only_information_unit_approves(reviewed_plan, bob):
    with pytest.raises(PermissionDeniedError):
        services.approve_plan(reviewed_plan, by=bob)


def test_graphic_profile_deviation_needs_an_explicit_decision(plan, alice, bob, dan, ingrid):
    plan.graphic_profile = "avsteg"
    plan.graphic_profile_deviation = "Egen logotyp för sommarlovet."
    plan.save()
    services.submit_plan(plan, by=alice)
    _sign_all(plan, bob, alice, dan)
    services.start_review(plan, by=ingrid)

    with pytest.raises(TransitionNotAllowed, match="grafiska profilen"):
        services.approve_plan(plan, by=ingrid)
    services.decide_graphic_profile(plan, by=ingrid, approved=True)
    services.approve_plan(plan, by=ingrid)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_returning_needs_a_comment_and_a_changed_plan_is_signed_again(
    reviewed_plan, ingrid, alice, dan
):
    with pytest.raises(TransitionNotAllowed):
        services.return_plan(reviewed_plan, by=ingrid, note="  ")

    services.return_plan(reviewed_plan, by=ingrid, note="Förtydliga målgruppen.")
    reviewed_plan.audience = "Barnfamiljer i Åtvidaberg."
    services.save_plan(
        reviewed_plan, by=alice, administrators=[alice, dan], daily_operators=[alice]
    )
    services.submit_plan(reviewed_plan, by=alice)

    assert reviewed_plan.status == PlanStatus.AWAITING_SIGNATURES


def test_a_plan_resubmitted_unchanged_is_signed_not_waiting_for_no_one(
    reviewed_plan, ingrid, alice
):
    services.return_plan(reviewed_plan, by=ingrid, note="Förtydliga målgruppen.")

    services.submit_plan(reviewed_plan, by=alice)

    reviewed_plan.refresh_from_db()
    assert reviewed_plan.status == PlanStatus.SIGNED
    assert selectors.missing_signers(reviewed_plan) == []


def test_rejecting_needs_reasons_and_is_final(reviewed_plan, ingrid, alice):
    services.reject_plan(reviewed_plan, by=ingrid, note="Verksamheten saknar resurser.")

    with pytest.raises(TransitionNotAllowed):
        services.submit_plan(reviewed_plan, by=alice)


def test_revision_of_an_approved_plan_updates_the_same_channel(
    reviewed_plan, ingrid, alice, bob, dan
):
    services.approve_plan(reviewed_plan, by=ingrid)
    reviewed_plan.refresh_from_db()

    revision = services.start_revision(reviewed_plan, by=alice)
    revision.account_name = "Biblioteket Åtvidaberg"
    services.save_plan(revision, by=alice, administrators=[alice, dan], daily_operators=[alice])
    services.submit_plan(revision, by=alice)
    _sign_all(revision, bob, alice, dan)
    services.start_review(revision, by=ingrid)
    services.approve_plan(revision, by=ingrid)

    revision.refresh_from_db()
    assert revision.revision == 2
    assert revision.channel_id == reviewed_plan.channel_id
    assert revision.channel.account_name == "Biblioteket Åtvidaberg"
    assert ActivityPlan.objects.get(pk=reviewed_plan.pk).account_name == "Bibblan på Facebook"


def test_starting_a_revision_twice_gives_the_same_open_revision(reviewed_plan, ingrid, alice):
    services.approve_plan(reviewed_plan, by=ingrid)
    reviewed_plan.refresh_from_db()

    first = services.start_revision(reviewed_plan, by=alice)
    second = services.start_revision(reviewed_plan, by=alice)

    assert first.pk == second.pk


def test_one_administrator_is_too_few(plan, alice):
    errors = services.people_problems(plan, [alice], [alice])

    assert "Minst två administratörer" in errors["administrators"][0]


def test_administration_heads_blog_needs_only_one_administrator(plan, alice, bob):
    plan.platform, plan.url = "blogg", "https://bibblan.atvidaberg.se/chefsbloggen"
    plan.unit.administration.head = bob
    plan.unit.administration.save()

    assert services.people_problems(plan, [alice], [alice]) == {}


def test_administrator_without_valid_phone_is_refused(plan, alice, library):
    no_phone = UserFactory(unit=library, phone="123")

    errors = services.people_problems(plan, [alice, no_phone], [alice])

    assert "telefonnummer" in errors["administrators"][0]


def test_a_daily_operator_is_required(plan, alice, dan):
    errors = services.people_problems(plan, [alice, dan], [])

    assert "dagliga driften" in errors["daily_operators"][0]


def test_confidential_unit_must_describe_its_secrecy_measures(school):
    plan = ActivityPlanFactory.build(unit=school, confidentiality_measures="")

    with pytest.raises(ValidationError) as error:
        plan.clean()

    assert "confidentiality_measures" in error.value.message_dict


def test_both_confirmations_are_required(library):
    plan = ActivityPlanFactory.build(unit=library, consulted_information_unit=False)

    with pytest.raises(ValidationError) as error:
        plan.clean()

    assert "consulted_information_unit" in error.value.message_dict


def test_plan_history_is_append_only(signed_plan):
    event = PlanEvent.objects.first()

    with pytest.raises(HistoryImmutable):
        event.delete()
    with pytest.raises(HistoryImmutable):
        Signature.objects.update(content_hash="x")


def test_signers_are_mailed_once_each_when_the_plan_waits(
    plan, alice, bob, django_capture_on_commit_callbacks
):
    plan.administrators.set([alice, bob])  # bob is both manager and account owner

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_plan(plan, by=alice)

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([alice.email, bob.email])
    assert "väntar på din underskrift" in mail.outbox[0].subject
    assert f"/aktivitetsplaner/{plan.pk}/" in mail.outbox[0].body


def test_information_unit_is_mailed_when_the_plan_is_signed(
    plan, alice, bob, dan, ingrid, django_capture_on_commit_callbacks
):
    services.submit_plan(plan, by=alice)

    with django_capture_on_commit_callbacks(execute=True):
        _sign_all(plan, bob, alice, dan)

    assert [m.to for m in mail.outbox] == [[ingrid.email]]


def test_author_is_mailed_the_comment_on_return(
    reviewed_plan, ingrid, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.return_plan(reviewed_plan, by=ingrid, note="Förtydliga målgruppen.")

    assert mail.outbox[0].to == [alice.email]
    assert "Förtydliga målgruppen." in mail.outbox[0].body


def test_approval_that_cannot_register_the_channel_changes_nothing(reviewed_plan, ingrid, library):
    from tests.factories import ChannelFactory

    ChannelFactory(unit=library, url=reviewed_plan.url)  # registered meanwhile, by hand

    with pytest.raises(TransitionNotAllowed, match="kunde inte föras in i registret"):
        services.approve_plan(reviewed_plan, by=ingrid)

    reviewed_plan.refresh_from_db()
    assert reviewed_plan.status == PlanStatus.IN_REVIEW
