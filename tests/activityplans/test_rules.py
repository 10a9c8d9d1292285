"""Every rule of Bilaga 2 is refused by the service itself, with the form's Swedish message,
so that no caller can bypass it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from activityplans import selectors, services
from activityplans.exceptions import TransitionNotAllowed
from activityplans.forms import PlanForm
from activityplans.models import SIGNED_FIELDS, UNSIGNED_FIELDS, ActivityPlan, PlanEvent
from activityplans.workflow import PlanStatus
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.roles import Role
from tests.activityplans.test_views import _form_data
from tests.factories import TEST_PASSWORD, ActivityPlanFactory, ChannelFactory, UserFactory

pytestmark = pytest.mark.django_db


def _new_plan(unit, manager, **fields) -> ActivityPlan:
    """An unsaved, complete plan, as any caller other than the form would build it."""
    plan = ActivityPlanFactory.build(unit=unit, manager=manager, **fields)
    plan.prepared_on = datetime.date(2026, 11, 20)
    return plan


def _messages(caught) -> list[str]:
    return [message for messages in caught.value.message_dict.values() for message in messages]


def _save_new(plan, by, administrators, operators):
    with pytest.raises(ValidationError) as caught:
        services.save_plan(plan, by=by, administrators=administrators, daily_operators=operators)
    assert not ActivityPlan.objects.exists()
    return _messages(caught)


def test_the_service_refuses_a_single_administrator(library, alice, bob):
    messages = _save_new(_new_plan(library, bob), alice, [alice], [alice])

    assert any("Minst två administratörer" in m for m in messages)


def test_the_blog_exemption_is_for_the_administration_heads_own_blog_only(library, alice, bob, dan):
    head_blog = _new_plan(library, bob, platform="blogg", url="https://bibblan.atvidaberg.se/b")
    library.administration.head = bob
    library.administration.save()

    services.save_plan(head_blog, by=alice, administrators=[alice], daily_operators=[alice])
    facebook = _new_plan(library, bob, url="https://www.facebook.com/chefen")
    assert any("Minst två administratörer" in m for m in _save_new_any(facebook, alice, [alice]))
    library.administration.head = None
    library.administration.save()
    other_blog = _new_plan(library, bob, platform="blogg", url="https://bibblan.atvidaberg.se/c")
    assert any("Minst två administratörer" in m for m in _save_new_any(other_blog, alice, [alice]))


def _save_new_any(plan, by, administrators):
    with pytest.raises(ValidationError) as caught:
        services.save_plan(plan, by=by, administrators=administrators, daily_operators=[by])
    return _messages(caught)


def test_the_service_refuses_a_plan_without_daily_operator(library, alice, bob, dan):
    messages = _save_new(_new_plan(library, bob), alice, [alice, dan], [])

    assert "Ange minst en person för den dagliga driften." in messages


def test_the_service_refuses_an_administrator_without_a_municipal_address(library, alice, bob, dan):
    private = UserFactory(unit=library, email="bibblan@gmail.com")

    messages = _save_new(_new_plan(library, bob), alice, [alice, private], [alice])

    assert any("e-postadress på kommunens domän" in m for m in messages)


def test_administrators_and_operators_work_in_the_plans_unit(library, alice, bob, dan, carol):
    messages = _save_new(_new_plan(library, bob), alice, [alice, carol], [carol])

    assert sum("arbetar inte i Biblioteket" in m for m in messages) == 2


def test_informationsenheten_may_run_an_account_of_any_unit(library, alice, bob, ingrid):
    ingrid.phone = "0120-830 00"
    ingrid.save()

    services.save_plan(
        _new_plan(library, bob), by=alice, administrators=[alice, ingrid], daily_operators=[ingrid]
    )

    assert ActivityPlan.objects.count() == 1


def test_the_manager_holds_the_manager_role_in_the_unit_or_heads_its_administration(
    library, school, alice, dan
):
    no_role = UserFactory(unit=library)
    other_units_manager = UserFactory(unit=school, roles=[Role.MANAGER])
    for manager in (no_role, other_units_manager):
        messages = _save_new(_new_plan(library, manager), alice, [alice, dan], [alice])
        assert any("rollen Ansvarig chef" in m for m in messages)

    library.administration.head = other_units_manager
    library.administration.save()
    services.save_plan(
        _new_plan(library, other_units_manager),
        by=alice,
        administrators=[alice, dan],
        daily_operators=[alice],
    )


def test_the_form_offers_only_the_units_managers_and_staff(library, school, alice, bob, carol):
    stranger_manager = UserFactory(unit=school, roles=[Role.MANAGER])

    form = PlanForm(instance=ActivityPlan(unit=library), user=alice)

    assert list(form.fields["manager"].queryset) == [bob]
    assert carol not in form.fields["administrators"].queryset
    assert stranger_manager not in form.fields["manager"].queryset
    assert alice in form.fields["daily_operators"].queryset


def test_a_unit_member_without_a_plan_role_cannot_draft_through_the_service(library, bob, dan):
    operator = UserFactory(unit=library, roles=[Role.DAILY_OPERATOR])

    with pytest.raises(PermissionDeniedError):
        services.save_plan(
            _new_plan(library, bob), by=operator, administrators=[dan, bob], daily_operators=[dan]
        )


def test_the_author_keeps_no_rights_after_leaving_the_unit(plan, alice, school):
    alice.unit = school
    alice.save()

    with pytest.raises(PermissionDeniedError):
        services.submit_plan(plan, by=alice)
    with pytest.raises(PermissionDeniedError):
        services.save_plan(plan, by=alice, administrators=[alice], daily_operators=[alice])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_the_author_keeps_no_rights_after_losing_the_role(plan, alice):
    alice.groups.clear()
    alice = type(alice).objects.get(pk=alice.pk)

    with pytest.raises(PermissionDeniedError):
        services.submit_plan(plan, by=alice)


def test_a_second_plan_for_the_same_address_is_refused_while_one_is_open(plan, alice, bob, dan):
    second = _new_plan(plan.unit, bob, platform=plan.platform, url=plan.url)

    with pytest.raises(ValidationError) as caught:
        services.save_plan(second, by=alice, administrators=[alice, dan], daily_operators=[alice])

    assert "Det finns redan en pågående aktivitetsplan för den här kanalen." in _messages(caught)
    assert ActivityPlan.objects.count() == 1


def test_the_database_refuses_a_second_open_plan_for_the_same_address(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityPlanFactory(
            unit=plan.unit, platform=plan.platform, url=plan.url, manager=plan.manager
        )


def test_no_new_plan_for_a_channel_already_in_the_register(library, alice, bob, dan):
    channel = ChannelFactory(unit=library, url="https://www.facebook.com/bibblan-finns")

    messages = _save_new(_new_plan(library, bob, url=channel.url), alice, [alice, dan], [alice])

    assert any("Kanalen finns redan i registret" in m for m in messages)


def test_over_long_answers_and_multi_line_names_are_refused_by_the_service(
    library, alice, bob, dan
):
    plan = _new_plan(library, bob, purpose="x" * 4001, account_name="Bibblan\nrad två")

    with pytest.raises(ValidationError) as caught:
        services.save_plan(plan, by=alice, administrators=[alice, dan], daily_operators=[alice])

    assert set(caught.value.message_dict) >= {"purpose", "account_name"}


def test_only_informationsenheten_moves_a_plan_to_another_unit(client, plan, school, dan):
    client.force_login(dan)
    data = _form_data(school, plan.manager, [dan], [dan], url=plan.url, platform=plan.platform)

    response = client.post(reverse("activityplans:plan-edit", args=[plan.pk]), data)

    plan.refresh_from_db()
    assert plan.unit.name == "Biblioteket"
    assert response.status_code == 200
    plan.unit = school
    with pytest.raises(PermissionDeniedError):
        services.save_plan(plan, by=dan, administrators=[dan], daily_operators=[dan])


def test_a_daily_operator_named_in_a_plan_cannot_take_it_over(client, plan, school, library):
    operator = UserFactory(unit=library, roles=[Role.DAILY_OPERATOR])
    plan.daily_operators.add(operator)
    client.force_login(operator)
    data = _form_data(school, plan.manager, [operator], [operator], url=plan.url)

    get = client.get(reverse("activityplans:plan-edit", args=[plan.pk]))
    post = client.post(reverse("activityplans:plan-edit", args=[plan.pk]), data)

    plan.refresh_from_db()
    assert (get.status_code, post.status_code) == (403, 403)
    assert plan.unit == library


def test_editing_plan_zero_is_not_found_and_creates_nothing(client, alice):
    client.force_login(alice)

    response = client.get("/aktivitetsplaner/0/andra/")

    assert response.status_code == 404


def test_a_refused_deviation_blocks_approval_until_changed_and_signed_again(
    plan, alice, bob, dan, ingrid
):
    plan.graphic_profile = "avsteg"
    plan.graphic_profile_deviation = "Egen logotyp för sommarlovet."
    services.save_plan(plan, by=alice, administrators=[alice, dan], daily_operators=[alice])
    services.submit_plan(plan, by=alice)
    for signer in (bob, alice, dan):
        services.sign_plan(plan, by=signer, password=TEST_PASSWORD)
    services.start_review(plan, by=ingrid)
    services.decide_graphic_profile(plan, by=ingrid, approved=False)

    with pytest.raises(TransitionNotAllowed, match="inte godkänt"):
        services.approve_plan(plan, by=ingrid)
    event = plan.events.order_by("-pk").first()
    assert (event.from_status, event.to_status, event.actor) == ("granskas", "granskas", ingrid)
    assert "godkänns inte" in event.note


def test_a_deviation_decision_covers_only_the_content_it_decided_on(plan, alice, bob, dan, ingrid):
    plan.graphic_profile = "avsteg"
    plan.graphic_profile_deviation = "Egen logotyp för sommarlovet."
    services.save_plan(plan, by=alice, administrators=[alice, dan], daily_operators=[alice])
    services.submit_plan(plan, by=alice)
    for signer in (bob, alice, dan):
        services.sign_plan(plan, by=signer, password=TEST_PASSWORD)
    services.start_review(plan, by=ingrid)
    services.decide_graphic_profile(plan, by=ingrid, approved=True)
    services.return_plan(plan, by=ingrid, note="Beskriv bevakningen.")
    plan.graphic_profile_deviation = "Egen logotyp och egna färger hela året."
    services.save_plan(plan, by=alice, administrators=[alice, dan], daily_operators=[alice])
    services.submit_plan(plan, by=alice)
    for signer in (bob, alice, dan):
        services.sign_plan(plan, by=signer, password=TEST_PASSWORD)
    services.start_review(plan, by=ingrid)

    assert selectors.graphic_profile_decision(plan) is None
    with pytest.raises(TransitionNotAllowed, match="Ta först ställning"):
        services.approve_plan(plan, by=ingrid)


def test_the_hash_reads_hours_typed_as_3_and_stored_as_3_0_alike(plan):
    before = plan.content_hash()

    plan.hours_per_week = "3"
    typed = plan.content_hash()
    plan.hours_per_week = Decimal("3.0")

    assert before == typed == plan.content_hash()


def test_saving_an_unchanged_plan_through_the_form_voids_no_signature(client, plan, alice, bob):
    services.submit_plan(plan, by=alice)
    services.sign_plan(plan, by=bob, password=TEST_PASSWORD)
    client.force_login(alice)
    page = client.get(reverse("activityplans:plan-edit", args=[plan.pk]))
    form = page.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)

    response = client.post(reverse("activityplans:plan-edit", args=[plan.pk]), data, follow=True)

    assert response.status_code == 200
    assert "upphävts" not in response.content.decode()
    assert selectors.plan_signed_by(ActivityPlan.objects.get(pk=plan.pk), bob)


def test_every_model_field_is_signed_or_listed_as_unsigned():
    names = {field.name for field in ActivityPlan._meta.get_fields() if field.concrete}
    names |= {field.name for field in ActivityPlan._meta.many_to_many}

    assert names == set(SIGNED_FIELDS) | UNSIGNED_FIELDS
    assert not set(SIGNED_FIELDS) & UNSIGNED_FIELDS


def test_the_form_shows_exactly_the_signed_fields_less_the_author():
    assert list(PlanForm._meta.fields) == [f for f in SIGNED_FIELDS if f != "prepared_by"]


def test_the_approval_message_links_to_the_publish_page(client, plan, alice, bob, dan, ingrid):
    services.submit_plan(plan, by=alice)
    for signer in (bob, alice, dan):
        services.sign_plan(plan, by=signer, password=TEST_PASSWORD)
    services.start_review(plan, by=ingrid)
    client.force_login(ingrid)

    response = client.post(reverse("activityplans:plan-approve", args=[plan.pk]), follow=True)

    assert f'href="{reverse("channels:publish")}"' in response.content.decode()
    assert PlanEvent.objects.filter(plan=plan, to_status="godkand").exists()
