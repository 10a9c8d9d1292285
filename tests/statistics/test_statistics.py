"""The figures of moderation.statistics against the hand computation in conftest.py.

percentile_cont interpolates at position fraction × (n − 1) of the sorted values, the same on
PostgreSQL (in the database) and SQLite (in Python); the suite runs on both.
"""

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from moderation.models import Item, ItemFact, MonthlyStatistics
from moderation.services import statistics
from moderation.views import statistics_table

from .conftest import REFRESHED_AT

# The percentiles are computed in PostgreSQL there and in Python elsewhere.
pytestmark = [pytest.mark.django_db, pytest.mark.each_database]


def _row(*, month, unit=None, channel=None):
    return MonthlyStatistics.objects.get(year=2026, month=month, unit=unit, channel=channel)


@pytest.fixture
def refreshed(known_items):
    statistics.refresh_statistics(2026, now=REFRESHED_AT)
    return known_items


def test_response_time_counts_working_hours_only_across_a_weekend_and_easter(known_items):
    # Fri 16-17 + Mon 8-9; Thu 15-17 + (Good Friday, the weekend, Easter Monday) + Tue 8-9.
    assert known_items["2"].response_seconds == 7200
    assert known_items["5"].response_seconds == 10800
    assert known_items["3"].response_seconds == 64800


def test_a_forwarded_item_keeps_its_clock_running_until_it_is_settled(channel, ingrid, alice):
    from moderation import services

    item, _ = services.register_item(
        channel,
        {
            "external_id": "fw",
            "kind": "question",
            "text": "Vem ansvarar?",
            "received_at": "2026-03-02T09:00+01:00",
        },
    )
    services.decide_item(
        item, by=ingrid, kind="forward", forwarded_to=alice,
        now=datetime.datetime.fromisoformat("2026-03-02T10:00+01:00"),
    )  # fmt: skip
    assert Item.objects.get(pk=item.pk).response_seconds is None

    services.decide_item(
        item, by=ingrid, kind="answer", reply_text="Biblioteket.",
        now=datetime.datetime.fromisoformat("2026-03-02T13:00+01:00"),
    )  # fmt: skip

    assert Item.objects.get(pk=item.pk).response_seconds == 4 * 3600


def test_a_channels_month_matches_the_hand_computation(refreshed, channel):
    march = _row(month=3, unit=channel.unit, channel=channel)

    assert march.items == 4
    assert march.by_kind == {"question": 1, "comment": 1, "message": 1, "post": 1}
    assert march.by_category == {"fortal": 1}
    # Responses 7200, 9000, 64800: the middle one; p90 at 0.9 × 2 = 1.8, so
    # 9000 + 0.8 × (64800 − 9000) = 53640. Items 1 and 2 in time, 3 late.
    assert (march.responded, march.median_seconds, march.p90_seconds) == pytest.approx(
        (3, 9000, 53640)
    )
    assert (march.due, march.in_time) == (3, 2)


def test_an_open_item_past_its_deadline_counts_as_not_in_time(refreshed, channel):
    april = _row(month=4, unit=channel.unit, channel=channel)

    # Item 5 (10800 s, in time) and item 6, open and past due: judged, not answered.
    assert (april.items, april.responded, april.median_seconds) == (2, 1, 10800)
    assert (april.due, april.in_time) == (2, 1)


def test_a_channels_year_takes_percentiles_over_all_its_months(refreshed, channel):
    year = _row(month=0, unit=channel.unit, channel=channel)

    # 7200, 9000, 10800, 64800: median (9000 + 10800) / 2 = 9900; p90 at 2.7:
    # 10800 + 0.7 × 54000 = 48600. Due 5 (1, 2, 3, 5, 6), in time 3 (1, 2, 5).
    assert (year.items, year.responded) == (6, 4)
    assert (year.median_seconds, year.p90_seconds) == pytest.approx((9900, 48600))
    assert (year.due, year.in_time) == (5, 3)
    assert statistics_table.share(year) == "60 %"
    assert statistics_table.hours(year.p90_seconds) == "13,5"


def test_a_unit_sums_its_channels(refreshed, channel):
    unit_year = _row(month=0, unit=channel.unit)
    channel_year = _row(month=0, unit=channel.unit, channel=channel)

    fields = ["items", "by_kind", "by_category", "responded", "median_seconds", "due", "in_time"]
    assert [getattr(unit_year, f) for f in fields] == [getattr(channel_year, f) for f in fields]


def test_the_municipality_takes_its_own_percentiles(refreshed):
    march = _row(month=3)
    year = _row(month=0)

    # March: 1800, 7200, 9000, 18000, 64800: median 9000; p90 at 3.6:
    # 18000 + 0.6 × 46800 = 46080; in time 4 of 5 (item 3 late).
    assert (march.items, march.responded, march.median_seconds, march.p90_seconds) == (
        pytest.approx((6, 5, 9000, 46080))
    )
    assert (march.due, march.in_time) == (5, 4)
    assert march.by_category == {"fortal": 1, "hets": 1}
    # The year: 1800, 7200, 9000, 10800, 18000, 64800: median (9000 + 10800) / 2 = 9900,
    # p90 at 4.5: (18000 + 64800) / 2 = 41400; in time 5 of 7.
    assert (year.items, year.responded, year.median_seconds, year.p90_seconds) == (
        pytest.approx((8, 6, 9900, 41400))
    )
    assert (year.due, year.in_time) == (7, 5)
    assert statistics_table.share(year) == "71 %"


def test_another_units_channel_has_its_own_percentiles(refreshed, school_channel):
    march = _row(month=3, unit=school_channel.unit, channel=school_channel)

    # 1800 and 18000: median 9900, p90 at 0.9: 1800 + 0.9 × 16200 = 16380.
    assert (march.median_seconds, march.p90_seconds) == pytest.approx((9900, 16380))
    assert (march.due, march.in_time) == (2, 2)


def test_refreshing_again_replaces_the_years_rows(refreshed):
    before = MonthlyStatistics.objects.count()

    statistics.refresh_statistics(2026, now=REFRESHED_AT)

    assert MonthlyStatistics.objects.count() == before
    assert MonthlyStatistics.objects.filter(year=2026, month=0, unit=None).count() == 1


def test_a_settled_item_without_a_response_time_is_filled_in_by_the_refresh(known_items):
    ItemFact.objects.filter(item_id=known_items["5"].pk).update(response_seconds=None)

    call_command("refresh_statistics", "2026")

    assert ItemFact.objects.get(item_id=known_items["5"].pk).response_seconds == 10800


def test_percentile_cont_interpolates_between_the_closest_ranks():
    assert statistics.percentile_cont([], 0.5) is None
    assert statistics.percentile_cont([5.0], 0.9) == 5.0
    assert statistics.percentile_cont([1, 2, 3, 4], 0.5) == 2.5
    assert statistics.percentile_cont([0, 10], 0.9) == 9


def test_january_refreshes_last_year_too():
    stockholm = datetime.timezone(datetime.timedelta(hours=1))
    january = datetime.datetime(2027, 1, 10, 12, tzinfo=stockholm)
    february = datetime.datetime(2027, 2, 10, 12, tzinfo=stockholm)

    assert statistics.years_to_refresh(january) == [2026, 2027]
    assert statistics.years_to_refresh(february) == [2027]


def test_the_hourly_task_refreshes_this_year(known_items):
    from moderation.tasks import refresh_statistics

    with time_machine.travel(REFRESHED_AT, tick=False):
        stored = refresh_statistics.delay().get()

    assert stored == MonthlyStatistics.objects.filter(year=2026).count() > 0


def test_the_command_refuses_a_year_out_of_range():
    with pytest.raises(CommandError, match="Ange år mellan 2000 och 2100"):
        call_command("refresh_statistics", "1999")


def test_an_item_counts_in_its_stockholm_month(channel, ingrid):
    from moderation import services

    # 23:30 on 31 January in Stockholm is still January (22:30 UTC); 00:30 on 1 March is
    # March, though in UTC it is 28 February.
    for external_id, received, settled in [
        ("jan", "2026-01-31T23:30+01:00", "2026-02-02T09:00+01:00"),
        ("mar", "2026-03-01T00:30+01:00", "2026-03-02T10:00+01:00"),
    ]:
        item, _ = services.register_item(
            channel,
            {"external_id": external_id, "kind": "comment", "text": "Hej",
             "received_at": received},
        )  # fmt: skip
        services.decide_item(
            item, by=ingrid, kind="no_answer", reason="Hälsning.",
            now=datetime.datetime.fromisoformat(settled),
        )  # fmt: skip

    statistics.refresh_statistics(2026, now=REFRESHED_AT)

    by_month = {
        row.month: (row.items, row.median_seconds)
        for row in MonthlyStatistics.objects.filter(unit=None, month__gt=0)
    }
    # Saturday 31 January: the clock starts Monday 2 February 08:00 (1 h); Sunday 1 March:
    # Monday 2 March 08:00-10:00 (2 h).
    assert by_month == {1: (1, 3600), 3: (1, 7200)}
