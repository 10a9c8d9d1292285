"""Overdue reviews in the statistics: each lapse of a channel's weekly supervision (lagen om
elektroniska anslagstavlor, Bilaga 1), counted once, in the month its deadline passed.

Biblioteket's Facebook page, weekly review (its plan's default), registered Mon 5 Jan 2026
10:00, worked out by hand:
- reviewed Fri 9 Jan 10:00: due Mon 12 Jan 10:00, in time;
- reviewed Tue 20 Jan 10:00: due Fri 16 Jan 10:00, late: a lapse in January;
- reviewed Fri 30 Jan 10:00: due Tue 27 Jan 10:00, late: a second lapse in January;
- no review since: due Fri 6 Feb 10:00, passed by Tue 10 Feb: a lapse in February.
January 2, February 1, the year 3.
"""

import datetime

import pytest

from channels.models import Channel
from moderation.models import MonthlyStatistics
from moderation.services import statistics, supervision

pytestmark = pytest.mark.django_db


def at(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)


def _registered(channel, when: str):
    Channel.objects.filter(pk=channel.pk).update(created_at=at(when))
    channel.refresh_from_db()


def _overdue(channel, month: int) -> int:
    row = MonthlyStatistics.objects.filter(year=2026, month=month, channel=channel).first()
    return row.overdue_reviews if row else 0


def test_each_lapse_counts_once_in_the_month_its_deadline_passed(channel, ingrid):
    _registered(channel, "2026-01-05T10:00+01:00")
    for when in ("2026-01-09T10:00+01:00", "2026-01-20T10:00+01:00", "2026-01-30T10:00+01:00"):
        supervision.mark_channel_reviewed(channel, by=ingrid, now=at(when))

    statistics.refresh_statistics(2026, now=at("2026-02-10T12:00+01:00"))

    assert [_overdue(channel, month) for month in (1, 2, 3)] == [2, 1, 0]
    assert _overdue(channel, statistics.WHOLE_YEAR) == 3
    unit_year = MonthlyStatistics.objects.get(
        year=2026, month=0, unit=channel.unit, channel__isnull=True
    )
    assert unit_year.overdue_reviews >= 3  # the unit sums its channels


def test_a_channel_never_reviewed_lapses_a_week_after_registration(channel):
    _registered(channel, "2026-03-02T09:00+01:00")

    statistics.refresh_statistics(2026, now=at("2026-03-09T08:59+01:00"))
    assert _overdue(channel, 3) == 0  # a minute before the week is out

    statistics.refresh_statistics(2026, now=at("2026-03-31T12:00+02:00"))
    assert _overdue(channel, 3) == 1  # three weeks without a review: one lapse


def test_overdue_reviews_are_a_column_of_the_table_and_the_csv(channel, ingrid, client):
    _registered(channel, "2026-01-05T10:00+01:00")
    statistics.refresh_statistics(2026, now=at("2026-02-10T12:00+01:00"))
    client.force_login(ingrid)

    csv = client.get("/moderering/statistik.csv?year=2026").content.decode("utf-8-sig")

    assert "Försenad tillsyn" in csv.splitlines()[0]


def test_a_channel_is_counted_from_its_activation_not_its_registration(
    channel, ingrid, time_machine
):
    from channels import services as channel_services

    _registered(channel, "2026-01-05T10:00+01:00")
    Channel.objects.filter(pk=channel.pk).update(status="planerad")
    channel.refresh_from_db()
    time_machine.move_to(at("2026-03-02T09:00+01:00"), tick=False)
    channel.status = "aktiv"
    channel_services.save_channel(
        channel, by=ingrid, changed=["status"], exception_reason="Fanns före verktyget."
    )

    statistics.refresh_statistics(2026, now=at("2026-03-09T08:59+01:00"))

    assert [_overdue(channel, month) for month in (1, 2, 3)] == [0, 0, 0]
