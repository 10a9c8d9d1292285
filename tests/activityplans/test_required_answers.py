"""What Bilaga 2 asks to be answered is required, each answer on its own: the two
confirmations ("Samråd med informationsenheten har skett", "Riktlinjer för sociala medier har
följts"), the measurable goals and every question of "Tänk igenom mål, syfte och
resurstillgång". The service refuses a plan missing any one of them (whoever calls it), and the
form says so beside the field; nothing is stored."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from activityplans import services
from activityplans.models import ActivityPlan
from tests.factories import ActivityPlanFactory

from .test_views import _form_data

pytestmark = pytest.mark.django_db

CONFIRMATIONS = {
    "consulted_information_unit": "Samråd med informationsenheten ska ha skett",
    "guidelines_followed": "Bekräfta att riktlinjerna har följts.",
}
# "Tänk igenom mål, syfte och resurstillgång", in the guideline's order, and the measurable
# goals ("mål, även mätbara") of Bilaga 2.
ANSWERS = [
    "how_it_strengthens",
    "how_goals_are_measured",
    "how_audience_is_reached",
    "why_this_channel",
    "who_writes_and_archives",
    "measurable_goals",
]


def _new_plan(library, alice, bob, **missing) -> ActivityPlan:
    return ActivityPlanFactory.build(
        unit=library,
        url="https://www.facebook.com/bibblan-ny",
        manager=bob,
        prepared_by=alice,
        **missing,
    )


def test_a_complete_plan_is_saved(library, alice, bob, dan):
    """The plan the refusals below take one answer from is itself accepted."""
    plan = _new_plan(library, alice, bob)

    services.save_plan(plan, by=alice, administrators=[alice, dan], daily_operators=[alice])

    assert ActivityPlan.objects.filter(pk=plan.pk).exists()


@pytest.mark.parametrize("field", list(CONFIRMATIONS))
def test_the_service_refuses_a_plan_without_each_confirmation(field, library, alice, bob, dan):
    plan = _new_plan(library, alice, bob, **{field: False})

    with pytest.raises(ValidationError) as error:
        services.save_plan(plan, by=alice, administrators=[alice, dan], daily_operators=[alice])

    assert list(error.value.message_dict) == [field]
    assert CONFIRMATIONS[field] in error.value.message_dict[field][0]
    assert not ActivityPlan.objects.exists()


@pytest.mark.parametrize("field", list(CONFIRMATIONS))
def test_the_form_refuses_a_plan_without_each_confirmation(field, client, alice, bob, dan, library):
    client.force_login(alice)
    data = _form_data(library, bob, [alice, dan], [alice])
    del data[field]  # an unticked box is not sent

    response = client.post(reverse("activityplans:plan-create"), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert CONFIRMATIONS[field] in errors[field][0]
    assert not ActivityPlan.objects.exists()


@pytest.mark.parametrize("blank", ["", " \n\t "], ids=["empty", "whitespace"])
@pytest.mark.parametrize("field", ANSWERS)
def test_the_service_refuses_a_plan_without_each_answer(field, blank, library, alice, bob, dan):
    plan = _new_plan(library, alice, bob, **{field: blank})

    with pytest.raises(ValidationError) as error:
        services.save_plan(plan, by=alice, administrators=[alice, dan], daily_operators=[alice])

    assert error.value.message_dict == {field: ["Detta fält får inte vara tomt."]}
    assert not ActivityPlan.objects.exists()


@pytest.mark.parametrize("field", ANSWERS)
def test_an_answer_cannot_be_emptied_when_the_plan_is_edited(field, plan, alice, dan):
    before = getattr(plan, field)
    setattr(plan, field, "   ")

    with pytest.raises(ValidationError) as error:
        services.save_plan(plan, by=alice, administrators=[alice, dan], daily_operators=[alice])

    assert field in error.value.message_dict
    plan.refresh_from_db()
    assert getattr(plan, field) == before


@pytest.mark.parametrize("blank", ["", "   "], ids=["empty", "whitespace"])
@pytest.mark.parametrize("field", ANSWERS)
def test_the_form_refuses_a_plan_without_each_answer(
    field, blank, client, alice, bob, dan, library
):
    client.force_login(alice)
    data = _form_data(library, bob, [alice, dan], [alice], **{field: blank})

    response = client.post(reverse("activityplans:plan-create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {field: ["Detta fält måste fyllas i."]}
    assert not ActivityPlan.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [*((name, False) for name in CONFIRMATIONS), *((name, "") for name in ANSWERS)],
)
def test_the_database_refuses_a_plan_without_each_required_answer(field, value, plan):
    """The last wall, for a caller that passes the service by."""
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityPlan.objects.filter(pk=plan.pk).update(**{field: value})
