"""A busy page is watched "ett par gånger per dag, alla veckans dagar" (Lagen om elektroniska
anslagstavlor): the plan offers "several times a day, every day", within hours the plan must
name, and the review interval follows it: at most four of those hours (and at most half a
day's hours) between two reviews, weekends and holidays included, time outside the hours not
counted."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from activityplans.forms import PlanForm
from activityplans.models import ActivityPlan, MonitoringFrequency
from moderation.deadlines import ReviewInterval, review_interval
from moderation.services import supervision
from tests.supervision.conftest import save_plan_with

from .conftest import at, set_monitoring

pytestmark = pytest.mark.django_db

SEVERAL_8_20 = ReviewInterval(
    frequency=MonitoringFrequency.SEVERAL_A_DAY,
    starts=datetime.time(8),
    ends=datetime.time(20),
)


def test_the_choice_is_described_in_swedish():
    assert SEVERAL_8_20.description == (
        "Kanalen bevakas flera gånger om dagen, alla veckans dagar, 8–20."
    )


@pytest.mark.parametrize(
    ("reviewed", "due"),
    [
        # Four hours of the plan's hours after the review, on a Saturday too.
        ("2026-03-07 09:00", "2026-03-07 13:00"),
        # Reviewed an hour before the hours end: three more hours the next morning (Sunday).
        ("2026-03-07 19:00", "2026-03-08 11:00"),
        # Reviewed (or activated) in the night: counted from when the hours begin.
        ("2026-03-07 02:00", "2026-03-07 12:00"),
        # Reviewed after the hours: the next day's hours.
        ("2026-03-07 22:30", "2026-03-08 12:00"),
        # Julafton and juldagen are days of monitoring like any other.
        ("2026-12-24 18:00", "2026-12-25 10:00"),
        # The night the clocks go forward (29 March 2026) is outside the hours: wall clock.
        ("2026-03-28 19:00", "2026-03-29 11:00"),
    ],
)
def test_the_next_review_is_due_four_monitoring_hours_later(reviewed, due):
    assert SEVERAL_8_20.next_due(at(reviewed)) == at(due)


def test_short_hours_still_hold_two_reviews_a_day():
    morning = ReviewInterval(
        frequency=MonitoringFrequency.SEVERAL_A_DAY,
        starts=datetime.time(8),
        ends=datetime.time(12),
    )

    assert morning.next_due(at("2026-03-07 08:00")) == at("2026-03-07 10:00")
    assert morning.next_due(at("2026-03-07 11:00")) == at("2026-03-08 09:00")


def test_hours_across_the_clock_change_count_real_time():
    """On 29 March 2026 the clocks go from 2:00 to 3:00: hours 1–4 hold two real hours."""
    night = ReviewInterval(
        frequency=MonitoringFrequency.SEVERAL_A_DAY,
        starts=datetime.time(1),
        ends=datetime.time(4),
    )

    assert night.next_due(at("2026-03-29 00:30")) == at("2026-03-29 03:30")
    # Half an hour left that night, then an hour the next.
    assert night.next_due(at("2026-03-29 03:30")) == at("2026-03-30 02:00")


def test_a_channel_watched_several_times_a_day_is_overdue_after_four_hours(channel, dora, travel):
    set_monitoring(
        channel,
        monitoring_frequency=MonitoringFrequency.SEVERAL_A_DAY,
        monitoring_from=datetime.time(8),
        monitoring_until=datetime.time(20),
    )
    travel("2026-03-07 09:00")  # a Saturday
    supervision.mark_channel_reviewed(channel, by=dora)

    assert review_interval(channel) == SEVERAL_8_20
    travel("2026-03-07 13:00")
    assert not supervision.is_review_overdue(channel)
    travel("2026-03-07 13:01")
    assert supervision.is_review_overdue(channel)


def test_the_service_saves_the_choice_with_hours(plan, alice):
    save_plan_with(
        plan,
        alice,
        monitoring_frequency=MonitoringFrequency.SEVERAL_A_DAY,
        monitoring_from=datetime.time(7, 30),
        monitoring_until=datetime.time(21),
    )

    plan.refresh_from_db()
    assert plan.monitoring_frequency == MonitoringFrequency.SEVERAL_A_DAY
    assert plan.content()["monitoring_frequency"] == "several_a_day"
    assert plan.monitoring_description == (
        "Kanalen bevakas flera gånger om dagen, alla veckans dagar, 7.30–21."
    )


def test_the_service_refuses_the_choice_without_hours(plan, alice):
    with pytest.raises(ValidationError) as raised:
        save_plan_with(plan, alice, monitoring_frequency=MonitoringFrequency.SEVERAL_A_DAY)

    assert raised.value.message_dict == {
        "monitoring_from": ["Ange under vilka tider kontot bevakas flera gånger om dagen."]
    }
    plan.refresh_from_db()
    assert plan.monitoring_frequency == MonitoringFrequency.WEEKLY


def test_the_service_refuses_named_weekdays_with_every_day(plan, alice):
    with pytest.raises(ValidationError) as raised:
        save_plan_with(
            plan,
            alice,
            monitoring_frequency=MonitoringFrequency.SEVERAL_A_DAY,
            monitoring_weekdays="67",
            monitoring_from=datetime.time(8),
            monitoring_until=datetime.time(20),
        )

    assert list(raised.value.message_dict) == ["monitoring_weekdays"]


def test_the_database_refuses_the_choice_without_hours(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityPlan.objects.filter(pk=plan.pk).update(
            monitoring_frequency=MonitoringFrequency.SEVERAL_A_DAY
        )


def _form_data(plan, **overrides) -> dict:
    data = {}
    for name, value in model_to_dict(plan, fields=PlanForm._meta.fields).items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data[name] = [str(item.pk) for item in value]
        elif value is not None:
            data[name] = str(value)
    return data | overrides


def test_the_plan_form_offers_the_choice_and_the_plan_page_shows_it(client, plan, alice):
    client.force_login(alice)
    form_page = client.get(f"/aktivitetsplaner/{plan.pk}/andra/").content.decode()
    assert 'value="several_a_day"' in form_page
    assert "Flera gånger om dagen, alla veckans dagar" in form_page

    response = client.post(
        f"/aktivitetsplaner/{plan.pk}/andra/",
        _form_data(
            plan,
            monitoring_frequency="several_a_day",
            monitoring_from="08:00",
            monitoring_until="20:00",
        ),
    )

    assert response.status_code == 302
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Kanalen bevakas flera gånger om dagen, alla veckans dagar, 8–20." in page


def test_the_plan_form_asks_for_the_hours(client, plan, alice):
    client.force_login(alice)

    data = _form_data(plan, monitoring_frequency="several_a_day")

    response = client.post(f"/aktivitetsplaner/{plan.pk}/andra/", data)

    assert response.status_code == 200
    assert response.context["form"].errors["monitoring_from"] == [
        "Ange under vilka tider kontot bevakas flera gånger om dagen."
    ]
