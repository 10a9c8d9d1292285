"""The plan records its monitoring ("bevakning") as a structured choice beside the free text:
how often, which days, which hours. The service refuses what does not add up; the choice is
part of what the signers sign; an older plan without it counts as weekly."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from activityplans import services
from activityplans.models import ActivityPlan, MonitoringFrequency
from activityplans.selectors import valid_signatures
from tests.factories import TEST_PASSWORD
from tests.supervision.conftest import save_plan_with

pytestmark = pytest.mark.django_db


def _refusal(plan, by, **fields) -> dict:
    with pytest.raises(ValidationError) as raised:
        save_plan_with(plan, by, **fields)
    return raised.value.message_dict


def test_a_plan_without_the_structured_choice_is_weekly(plan):
    assert plan.monitoring_frequency == MonitoringFrequency.WEEKLY
    assert plan.monitoring_description == "Kanalen bevakas minst en gång i veckan."


def test_a_few_times_a_week_needs_how_many(plan, alice):
    errors = _refusal(plan, alice, monitoring_frequency=MonitoringFrequency.TIMES_A_WEEK)

    assert errors["monitoring_times_per_week"] == [
        "Ange hur många gånger i veckan kontot bevakas, 2–6."
    ]


def test_weekdays_follow_from_every_working_day(plan, alice):
    errors = _refusal(
        plan, alice, monitoring_frequency=MonitoringFrequency.WORKING_DAYS, monitoring_weekdays="13"
    )

    assert "monitoring_weekdays" in errors


def test_the_days_chosen_match_the_times_a_week(plan, alice):
    errors = _refusal(
        plan,
        alice,
        monitoring_frequency=MonitoringFrequency.TIMES_A_WEEK,
        monitoring_times_per_week=3,
        monitoring_weekdays="15",
    )

    assert errors["monitoring_weekdays"] == [
        "Välj lika många dagar som antalet gånger i veckan (3)."
    ]


def test_monitoring_ends_after_it_starts(plan, alice):
    errors = _refusal(
        plan,
        alice,
        monitoring_from=datetime.time(17),
        monitoring_until=datetime.time(8),
    )

    assert errors["monitoring_until"] == ["Bevakningen ska sluta senare än den börjar."]


def test_the_database_refuses_a_count_without_a_few_times_a_week(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityPlan.objects.filter(pk=plan.pk).update(monitoring_times_per_week=3)


def test_a_valid_structured_choice_is_saved_and_described(plan, alice):
    save_plan_with(
        plan,
        alice,
        monitoring_frequency=MonitoringFrequency.TIMES_A_WEEK,
        monitoring_times_per_week=2,
        monitoring_weekdays="25",
        monitoring_from=datetime.time(9),
        monitoring_until=datetime.time(11, 30),
    )

    plan.refresh_from_db()
    assert plan.monitoring_description == (
        "Kanalen bevakas 2 gånger i veckan (tisdag, fredag) 9–11.30."
    )


def test_the_structured_choice_is_signed(plan, alice, bob, dora):
    services.submit_plan(plan, by=alice)
    services.sign_plan(plan, by=bob, password=TEST_PASSWORD)
    assert len(valid_signatures(plan)) == 1

    voided = save_plan_with(plan, alice, monitoring_frequency=MonitoringFrequency.DAILY)

    assert voided == 1
    assert valid_signatures(plan) == []


def test_a_plan_signed_before_the_choice_existed_keeps_its_hash(plan):
    content = plan.content()

    assert "monitoring_frequency" not in content
    plan.monitoring_frequency = MonitoringFrequency.DAILY
    assert plan.content()["monitoring_frequency"] == "daily"


def test_the_plan_form_saves_the_weekdays_and_the_plan_page_shows_the_sentence(client, plan, alice):
    from django.forms.models import model_to_dict

    from activityplans.forms import PlanForm

    data = {}
    for name, value in model_to_dict(plan, fields=PlanForm._meta.fields).items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data[name] = [str(item.pk) for item in value]
        elif value is not None:
            data[name] = str(value)
    data |= {
        "monitoring_frequency": "times_a_week",
        "monitoring_times_per_week": "3",
        "monitoring_weekdays": ["1", "3", "5"],
        "monitoring_from": "08:00",
        "monitoring_until": "17:00",
    }
    client.force_login(alice)

    response = client.post(f"/aktivitetsplaner/{plan.pk}/andra/", data)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.monitoring_weekdays == "135"
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Kanalen bevakas 3 gånger i veckan (måndag, onsdag, fredag) 8–17." in page


def test_the_plan_form_shows_the_services_message_beside_the_field(client, plan, alice):
    client.force_login(alice)
    response = client.get(f"/aktivitetsplaner/{plan.pk}/andra/")
    form = response.context["form"]
    data = {**form.initial, "monitoring_frequency": "times_a_week"}
    data = {k: v for k, v in data.items() if v is not None}
    data["administrators"] = [u.pk for u in plan.administrators.all()]
    data["daily_operators"] = [u.pk for u in plan.daily_operators.all()]

    response = client.post(f"/aktivitetsplaner/{plan.pk}/andra/", data)

    assert response.status_code == 200
    assert response.context["form"].errors["monitoring_times_per_week"] == [
        "Ange hur många gånger i veckan kontot bevakas, 2–6."
    ]
