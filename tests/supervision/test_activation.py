"""A channel's reviews are counted from when it became active, on the days and within the
hours its approved plan names (Bilaga 1; Bilaga 2 "bevakning"), never more than a week."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps

from activityplans import services as plan_services
from activityplans.models import MonitoringFrequency
from atvida_social.organisation.roles import Role
from channels import services as channel_services
from channels.models import Channel, ChannelStatus
from moderation.services import supervision
from tests.factories import TEST_PASSWORD, ActivityPlanFactory, ChannelFactory, UserFactory

from .conftest import at

pytestmark = pytest.mark.django_db

URL = "https://www.facebook.com/bibblan-planerad"


@pytest.fixture
def planned_in_january(library, alice, bob, dora, ingrid, travel):
    """Entered in the register as planned on 12 January, with a draft plan: monitored
    Monday, Wednesday and Friday 9–12. Administered by alice and dan, signed off by bob."""
    travel("2026-01-12 10:00")
    dan = UserFactory(username="dan", unit=library, roles=[Role.ACCOUNT_OWNER])
    channel = channel_services.save_channel(
        Channel(
            platform="facebook",
            account_name="Bibblan planerad",
            url=URL,
            unit=library,
            status=ChannelStatus.PLANNED,
            contact_email="info@atvidaberg.se",
        ),
        by=ingrid,
    )
    plan = ActivityPlanFactory(
        unit=library,
        channel=channel,
        platform="facebook",
        url=URL,
        manager=bob,
        prepared_by=alice,
        administrators=[alice, dan],
        daily_operators=[dora],
        monitoring_frequency=MonitoringFrequency.TIMES_A_WEEK,
        monitoring_times_per_week=3,
        monitoring_weekdays="135",
        monitoring_from=datetime.time(9),
        monitoring_until=datetime.time(12),
    )
    return channel, plan


def _approve(plan, *, alice, bob, ingrid) -> None:
    plan_services.submit_plan(plan, by=alice)
    for signer in (bob, *plan.administrators.all()):
        plan_services.sign_plan(plan, by=signer, password=TEST_PASSWORD)
    plan_services.start_review(plan, by=ingrid)
    plan_services.approve_plan(plan, by=ingrid)


def test_a_channel_planned_in_january_is_not_overdue_when_activated_in_march(
    planned_in_january, alice, bob, ingrid, travel
):
    channel, plan = planned_in_january
    travel("2026-03-10 14:00")  # a Tuesday

    _approve(plan, alice=alice, bob=bob, ingrid=ingrid)

    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE
    assert channel.activated_at == at("2026-03-10 14:00")
    assert not supervision.is_review_overdue(channel)


def test_the_first_review_is_due_by_the_end_of_the_next_named_day_after_activation(
    planned_in_january, alice, bob, ingrid, travel
):
    channel, plan = planned_in_january
    travel("2026-03-10 14:00")
    _approve(plan, alice=alice, bob=bob, ingrid=ingrid)
    channel.refresh_from_db()

    [row] = supervision.supervision_of(Channel.objects.filter(pk=channel.pk))

    assert row.due_at == at("2026-03-11 12:00")
    travel("2026-03-11 12:00")
    assert not supervision.is_review_overdue(channel)
    travel("2026-03-11 12:01")
    assert supervision.is_review_overdue(channel)


def test_a_review_on_a_named_day_makes_the_next_named_day_due(
    planned_in_january, alice, bob, dora, ingrid, travel
):
    channel, plan = planned_in_january
    travel("2026-03-10 14:00")
    _approve(plan, alice=alice, bob=bob, ingrid=ingrid)
    travel("2026-03-13 10:00")  # Friday
    supervision.mark_channel_reviewed(channel, by=dora)

    [row] = supervision.supervision_of(Channel.objects.filter(pk=channel.pk))

    assert row.due_at == at("2026-03-16 12:00")  # Monday's hours


def test_saving_an_active_channel_again_keeps_when_it_became_active(
    planned_in_january, alice, bob, ingrid, travel
):
    channel, plan = planned_in_january
    travel("2026-03-10 14:00")
    _approve(plan, alice=alice, bob=bob, ingrid=ingrid)
    channel.refresh_from_db()
    travel("2026-04-01 09:00")

    channel.description = "Bibliotekets nyheter."
    channel_services.save_channel(channel, by=ingrid, changed=["description"])

    channel.refresh_from_db()
    assert channel.activated_at == at("2026-03-10 14:00")


@pytest.mark.each_database
def test_the_data_migration_takes_the_activation_from_the_audit_log(
    planned_in_january, alice, bob, ingrid, library, travel
):
    channel, plan = planned_in_january
    travel("2026-03-10 14:00")
    _approve(plan, alice=alice, bob=bob, ingrid=ingrid)
    older = ChannelFactory(unit=library)  # active before the tool kept any trace of it
    Channel.objects.update(activated_at=None)  # as the rows were before the field

    import_module("channels.migrations.0008_activated_at_from_history").fill(apps, None)

    channel.refresh_from_db()
    older.refresh_from_db()
    assert channel.activated_at == at("2026-03-10 14:00")
    assert older.activated_at == older.created_at
