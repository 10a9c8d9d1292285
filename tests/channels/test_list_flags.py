"""The staff channel list shows, and filters on, channels lacking a current plan and channels
whose login was not handed over within 14 days of their plan's approval."""

import datetime
import pathlib
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from activityplans.models import ActivityPlan, Credential
from tests.factories import ActivityPlanFactory, ChannelFactory, UnitFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)
NO_PLAN = "Saknar gällande plan"
LOGIN_LATE = "Inloggning ej lämnad inom 14 dagar"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC), tick=False):
        yield


def _approved(channel, *, on: datetime.date, **kwargs) -> ActivityPlan:
    """A current plan for `channel`, approved at noon on `on`."""
    plan = ActivityPlanFactory(unit=channel.unit, channel=channel, status="godkand", **kwargs)
    approved_at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    ActivityPlan.objects.filter(pk=plan.pk).update(status_changed_at=approved_at)
    return plan


def _hand_over(plan) -> Credential:
    return Credential.objects.create(
        channel=plan.channel,
        plan=plan,
        username="konto",
        password="hemligt",
        entered_by=plan.manager,
    )


def _rows(client, **params) -> dict[str, str]:
    """Account name → the text of its follow-up cell, from the rendered list."""
    response = client.get(reverse("channels:channel-list"), params)
    assert response.status_code == 200
    return {
        channel.account_name: " ".join(str(flag.label) for flag in channel.raised_flags)
        for channel in response.context["page"].object_list
    }


def test_active_channel_without_approved_plan_is_flagged(client, ingrid, library):
    ChannelFactory(unit=library, account_name="Utan plan")
    _approved(ChannelFactory(unit=library, account_name="Med plan"), on=TODAY)
    ActivityPlanFactory(
        unit=library, channel=ChannelFactory(unit=library, account_name="Bara utkast")
    )
    client.force_login(ingrid)

    rows = _rows(client)

    assert NO_PLAN in rows["Utan plan"]
    assert NO_PLAN in rows["Bara utkast"]
    assert NO_PLAN not in rows["Med plan"]


def test_closed_channel_needs_no_current_plan(client, ingrid, library):
    ChannelFactory(unit=library, account_name="Avslutad", status="avslutad", ended_on=TODAY)
    client.force_login(ingrid)

    assert _rows(client)["Avslutad"] == ""


def test_list_filters_channels_lacking_a_current_plan(client, ingrid, library):
    ChannelFactory(unit=library, account_name="Utan plan")
    _approved(ChannelFactory(unit=library, account_name="Med plan"), on=TODAY)
    client.force_login(ingrid)

    rows = _rows(client, flag="saknar-plan")

    assert list(rows) == ["Utan plan"]


def test_login_not_handed_over_14_days_after_approval_is_flagged(client, ingrid, library):
    _approved(
        ChannelFactory(unit=library, account_name="Femton dagar"),
        on=TODAY - datetime.timedelta(days=15),
    )
    _approved(
        ChannelFactory(unit=library, account_name="Fjorton dagar"),
        on=TODAY - datetime.timedelta(days=14),
    )
    handed = _approved(
        ChannelFactory(unit=library, account_name="Lämnad"), on=TODAY - datetime.timedelta(days=40)
    )
    _hand_over(handed)
    client.force_login(ingrid)

    rows = _rows(client)

    assert rows["Femton dagar"] == LOGIN_LATE
    assert rows["Fjorton dagar"] == ""
    assert rows["Lämnad"] == ""


def test_list_filters_channels_with_overdue_login(client, ingrid, library):
    _approved(
        ChannelFactory(unit=library, account_name="Sen"), on=TODAY - datetime.timedelta(days=20)
    )
    _approved(
        ChannelFactory(unit=library, account_name="I tid"), on=TODAY - datetime.timedelta(days=2)
    )
    ChannelFactory(unit=library, account_name="Utan plan")
    client.force_login(ingrid)

    rows = _rows(client, flag="inloggning-forsenad")

    assert list(rows) == ["Sen"]


def test_flags_are_shown_on_the_page_and_on_the_channel(client, ingrid, library):
    channel = ChannelFactory(unit=library, account_name="Utan plan")
    client.force_login(ingrid)

    page = client.get(reverse("channels:channel-list")).content.decode()
    detail = client.get(reverse("channels:channel-detail", args=[channel.pk])).content.decode()

    assert NO_PLAN in page
    assert '<option value="inloggning-forsenad">' in page
    assert NO_PLAN in detail


def test_unknown_flag_in_the_query_string_filters_nothing_and_says_so(client, ingrid, library):
    ChannelFactory(unit=library, account_name="Utan plan")
    client.force_login(ingrid)

    response = client.get(reverse("channels:channel-list"), {"flag": "finns-inte"})

    assert response.status_code == 200
    assert "flag" in response.context["filters"].errors


def test_flagged_list_keeps_a_constant_number_of_queries(
    client, ingrid, django_assert_max_num_queries, django_assert_num_queries
):
    def add(count):
        for index in range(count):
            channel = ChannelFactory(unit=UnitFactory())
            plan = _approved(channel, on=TODAY - datetime.timedelta(days=30))
            if index % 2:
                _hand_over(plan)
            ChannelFactory(unit=channel.unit)

    client.force_login(ingrid)
    add(2)
    with django_assert_max_num_queries(12) as few:
        _rows(client, flag="inloggning-forsenad")
    add(20)

    with django_assert_num_queries(len(few.captured_queries)):
        assert len(_rows(client)) == 44


def test_channels_app_never_imports_the_apps_above_it():
    """Dependencies point archiving → moderation → activityplans → channels → organisation."""
    root = pathlib.Path(__file__).resolve().parents[2] / "channels"
    upward = re.compile(r"^\s*(from|import)\s+(activityplans|moderation|archiving)\b", re.M)

    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if upward.search(path.read_text())
    ]

    assert offenders == []
