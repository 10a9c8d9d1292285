"""How often a channel must be reviewed (Bilaga 1: at least once a week; the plan's
"bevakning" may ask for more), and when a review is overdue."""

import datetime

import pytest

from activityplans.models import MonitoringFrequency
from moderation import services
from moderation.deadlines import ReviewInterval, review_interval
from moderation.exceptions import ReviewImmutable
from moderation.models import ChannelReview
from moderation.services import supervision
from tests.factories import ChannelFactory

from .conftest import at, register, set_monitoring

pytestmark = pytest.mark.django_db

WORKING_DAYS_8_17 = ReviewInterval(
    frequency=MonitoringFrequency.WORKING_DAYS,
    starts=datetime.time(8),
    ends=datetime.time(17),
)


def test_a_plan_without_structured_monitoring_is_reviewed_weekly(channel):
    interval = review_interval(channel)

    assert interval.frequency == MonitoringFrequency.WEEKLY
    assert interval.description == "Kanalen bevakas minst en gång i veckan."


def test_a_channel_without_a_plan_is_reviewed_weekly_the_legal_maximum(library):
    interval = review_interval(ChannelFactory(unit=library))

    assert interval.next_due(at("2026-03-02 09:00")) == at("2026-03-09 09:00")


def test_the_interval_is_described_in_swedish(channel):
    set_monitoring(
        channel,
        monitoring_frequency=MonitoringFrequency.WORKING_DAYS,
        monitoring_from=datetime.time(8),
        monitoring_until=datetime.time(17),
    )

    assert review_interval(channel).description == ("Kanalen bevakas varje arbetsdag 8–17.")


def test_a_few_times_a_week_is_due_by_the_end_of_the_next_named_day():
    interval = ReviewInterval(
        frequency=MonitoringFrequency.TIMES_A_WEEK,
        times_per_week=3,
        weekdays="135",
        starts=datetime.time(8, 30),
        ends=datetime.time(15),
    )

    assert interval.description == (
        "Kanalen bevakas 3 gånger i veckan (måndag, onsdag, fredag) 8.30–15."
    )
    # Reviewed Monday: Wednesday's monitoring ends at 15.
    assert interval.next_due(at("2026-03-02 09:00")) == at("2026-03-04 15:00")
    # Reviewed Friday: Monday's.
    assert interval.next_due(at("2026-03-06 14:00")) == at("2026-03-09 15:00")


def test_a_working_day_review_on_friday_afternoon_is_due_by_the_end_of_monday():
    assert WORKING_DAYS_8_17.next_due(at("2026-03-27 16:00")) == at("2026-03-30 17:00")


def test_a_working_day_review_before_easter_is_due_after_annandag_pask():
    # Skärtorsdag 2 April 2026; långfredag, påskafton, påskdagen and annandag påsk are free.
    assert WORKING_DAYS_8_17.next_due(at("2026-04-02 16:00")) == at("2026-04-07 17:00")


def test_a_working_day_review_skips_midsommarafton():
    assert WORKING_DAYS_8_17.next_due(at("2026-06-18 10:00")) == at("2026-06-22 17:00")


def test_a_daily_review_without_hours_is_due_by_the_end_of_the_next_day_holiday_or_not():
    daily = ReviewInterval(frequency=MonitoringFrequency.DAILY)

    assert daily.next_due(at("2026-12-24 10:00")) == at("2026-12-26 00:00")


def test_a_weekly_review_is_calendar_time_over_christmas():
    assert ReviewInterval().next_due(at("2026-12-23 10:00")) == at("2026-12-30 10:00")


def test_a_never_reviewed_channel_counts_from_its_registration(channel, travel):
    created = channel.created_at

    travel(created + datetime.timedelta(days=7))
    assert not supervision.is_review_overdue(channel)
    travel(created + datetime.timedelta(days=7, seconds=1))
    assert supervision.is_review_overdue(channel)


def test_a_review_marked_by_hand_restarts_the_week(channel, dora, travel):
    travel(channel.created_at + datetime.timedelta(days=8))
    assert supervision.is_review_overdue(channel)

    supervision.mark_channel_reviewed(channel, by=dora)

    assert not supervision.is_review_overdue(channel)
    assert ChannelReview.objects.get().reviewed_by == dora


def test_a_working_day_channel_reviewed_on_friday_is_not_overdue_over_the_weekend(
    channel, dora, travel
):
    set_monitoring(channel, monitoring_frequency=MonitoringFrequency.WORKING_DAYS)
    travel("2026-03-27 16:00")
    supervision.mark_channel_reviewed(channel, by=dora)

    travel("2026-03-29 23:00")
    assert not supervision.is_review_overdue(channel)
    travel("2026-03-30 17:00")
    assert not supervision.is_review_overdue(channel)
    travel("2026-03-30 17:01")
    assert supervision.is_review_overdue(channel)


def test_a_decision_on_an_item_counts_as_a_review(channel, dora, travel):
    travel("2026-03-27 16:30")
    item = register(channel, "2026-03-27 16:30", kind="comment")

    decision = services.decide_item(item, by=dora, kind="keep")

    review = ChannelReview.objects.get()
    assert (review.channel, review.reviewed_by, review.decision) == (channel, dora, decision)


def test_someone_who_does_not_moderate_the_channel_cannot_mark_it_reviewed(channel, bob):
    from atvida_social.organisation.exceptions import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        supervision.mark_channel_reviewed(channel, by=bob)
    assert not ChannelReview.objects.exists()


def test_reviews_are_append_only(channel, dora):
    review = supervision.mark_channel_reviewed(channel, by=dora)

    with pytest.raises(ReviewImmutable):
        review.save()
    with pytest.raises(ReviewImmutable):
        ChannelReview.objects.filter(pk=review.pk).update(reviewed_at=at("2030-01-01 00:00"))
    with pytest.raises(ReviewImmutable):
        ChannelReview.objects.filter(pk=review.pk).delete()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE moderation_channelreview SET reviewed_at = now() WHERE id = %s",
        "DELETE FROM moderation_channelreview WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_database_refuses_raw_sql_that_rewrites_a_review(channel, dora, statement):
    from django.db import DatabaseError, connection, transaction

    review = supervision.mark_channel_reviewed(channel, by=dora)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [review.pk])

    assert ChannelReview.objects.get().reviewed_at == review.reviewed_at


def test_culling_an_item_keeps_the_review_its_decision_recorded(channel, dora, travel):
    from django.db import transaction

    from moderation.models import Item, SupervisionNotice
    from moderation.services.culling import erase_items

    travel("2026-03-27 16:30")
    item = register(channel, "2026-03-27 16:30", kind="comment")
    services.decide_item(item, by=dora, kind="trivial")
    SupervisionNotice.objects.create(
        key=f"deadline:{item.pk}:x", kind="deadline", channel=channel, item=item
    )

    with transaction.atomic():
        erase_items([item.pk], parents=set())

    assert not Item.objects.filter(pk=item.pk).exists()
    assert not SupervisionNotice.objects.exists()
    review = ChannelReview.objects.get()
    assert (review.channel, review.reviewed_by) == (channel, dora)
