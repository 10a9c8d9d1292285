"""The working-day calendar behind response times (DOMAIN.md §4, "Rimliga svarstider")."""

import time as time_module
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.calendar import (
    CalendarError,
    WorkingCalendar,
    after_working_time,
    clock_start,
    due_at,
    due_at_for_policy,
    is_working_day,
    is_working_time,
    parse_working_hours,
    working_time_between,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(year, month, day, hour=0, minute=0, *, fold=0):
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM, fold=fold)


def in_stockholm(moment):
    # Through UTC: astimezone() to a datetime's own zone would keep a skipped wall time as is.
    return moment.astimezone(UTC).astimezone(STOCKHOLM)


def reference_cap(received_at):
    """The same local time five calendar days later, read independently of the module."""
    wall = in_stockholm(received_at).replace(tzinfo=None) + timedelta(days=5)
    readings = (wall.replace(tzinfo=STOCKHOLM, fold=0), wall.replace(tzinfo=STOCKHOLM, fold=1))
    return max(reading.astimezone(UTC) for reading in readings)


# ---------------------------------------------------------------------------------------------
# Properties

# received_at may be written with any offset; only the instant counts.
INPUT_ZONES = [UTC, STOCKHOLM, ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")]
any_moments = st.datetimes(
    min_value=datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive by contract
    max_value=datetime(2031, 12, 31),  # noqa: DTZ001
    timezones=st.sampled_from(INPUT_ZONES),
)
# The daylight-saving changes of 2026 and 2027 (01:00 UTC) and the free days around Easter,
# midsommar and Christmas, approached from up to six days before.
AWKWARD_MOMENTS = [
    datetime(2026, 3, 29, 1, tzinfo=UTC),
    datetime(2026, 10, 25, 1, tzinfo=UTC),
    datetime(2027, 3, 28, 1, tzinfo=UTC),
    datetime(2027, 10, 31, 1, tzinfo=UTC),
    local(2026, 4, 3),  # långfredagen
    local(2026, 6, 19),  # midsommarafton
    local(2026, 12, 24),  # julafton
    local(2026, 12, 31),  # nyårsafton
    local(2027, 6, 25),
    local(2027, 12, 24),
    local(2027, 12, 31),
]
moments_near_awkward_days = st.builds(
    lambda anchor, offset: anchor.astimezone(UTC) + offset,
    st.sampled_from(AWKWARD_MOMENTS),
    st.timedeltas(min_value=timedelta(days=-6), max_value=timedelta(days=2)),
)
received_moments = st.one_of(any_moments, moments_near_awkward_days)
policies = st.one_of(
    st.tuples(st.just("hours"), st.floats(min_value=0.01, max_value=80)),
    # Quarter days: whole microseconds in any computation, so the comparisons below can be exact.
    st.tuples(st.just("days"), st.integers(min_value=1, max_value=32).map(lambda n: n / 4)),
)
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)


def deadline(received_at, policy):
    unit, amount = policy
    if unit == "hours":
        return due_at(received_at, working_hours=amount)
    return due_at(received_at, working_days=amount)


def policy_length(policy):
    unit, amount = policy
    return timedelta(hours=amount * (9 if unit == "days" else 1))


def is_capped(received_at, due, policy):
    """The five-day cap ended the clock before the policy's working time was spent."""
    return working_time_between(received_at, due) < policy_length(policy)


@PROPERTY_SETTINGS
@given(received_moments, policies)
def test_deadline_falls_within_working_hours_unless_capped(received_at, policy):
    due = deadline(received_at, policy)
    if is_capped(received_at, due, policy):
        return
    due_local = in_stockholm(due)
    assert time(8) <= due_local.time() <= time(17), due_local


@PROPERTY_SETTINGS
@given(received_moments, policies)
def test_deadline_never_falls_on_a_weekend_or_holiday_unless_capped(received_at, policy):
    due = deadline(received_at, policy)
    if is_capped(received_at, due, policy):
        return
    due_on = in_stockholm(due).date()
    assert due_on.weekday() < 5, due_on
    assert is_working_day(due_on), due_on


@PROPERTY_SETTINGS
@given(
    received_moments,
    st.one_of(
        st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=6)),
        st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10)),
    ),
    st.sampled_from(INPUT_ZONES),
    policies,
)
def test_deadline_grows_monotonically_with_received_at(earlier, step, later_zone, policy):
    # In UTC: adding to a datetime in its own zone is wall-clock arithmetic and resets fold.
    later = (earlier.astimezone(UTC) + step).astimezone(later_zone)
    assert deadline(earlier, policy) <= deadline(later, policy)


SPRING_CHANGES = [datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2027, 3, 28, 1, tzinfo=UTC)]
AUTUMN_CHANGES = [datetime(2026, 10, 25, 1, tzinfo=UTC), datetime(2027, 10, 31, 1, tzinfo=UTC)]
# Over 36 working hours: long enough for the five-day cap to bind from a Sunday or a Tuesday.
cap_binding_policies = st.one_of(
    st.tuples(st.just("hours"), st.floats(min_value=37, max_value=80)),
    st.tuples(st.just("days"), st.integers(min_value=17, max_value=32).map(lambda n: n / 4)),
)
within_an_hour = st.timedeltas(min_value=timedelta(hours=-1), max_value=timedelta(hours=1))
up_to_an_hour = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=1))


@PROPERTY_SETTINGS
@given(
    st.sampled_from(AUTUMN_CHANGES), within_an_hour, up_to_an_hour, policies | cap_binding_policies
)
def test_deadline_grows_monotonically_through_the_repeated_autumn_hour(change, at, step, policy):
    earlier = change + at
    assert deadline(earlier, policy) <= deadline(earlier + step, policy)


@PROPERTY_SETTINGS
@given(
    st.sampled_from(SPRING_CHANGES), within_an_hour, up_to_an_hour, policies | cap_binding_policies
)
def test_deadline_grows_monotonically_when_the_cap_falls_in_the_skipped_spring_hour(
    change, at, step, policy
):
    earlier = change - timedelta(days=5) + at
    assert deadline(earlier, policy) <= deadline(earlier + step, policy)


@PROPERTY_SETTINGS
@given(received_moments, policies)
def test_deadline_is_never_later_than_five_calendar_days(received_at, policy):
    due = deadline(received_at, policy)
    assert received_at < due <= reference_cap(received_at)


@PROPERTY_SETTINGS
@given(received_moments, policies)
def test_deadline_never_spends_more_than_the_policy_in_working_time(received_at, policy):
    due = deadline(received_at, policy)
    assert working_time_between(received_at, due) <= policy_length(policy)


@PROPERTY_SETTINGS
@given(received_moments, policies)
def test_deadline_short_of_the_policy_is_the_five_day_cap(received_at, policy):
    due = deadline(received_at, policy)
    if is_capped(received_at, due, policy):
        # An hour's leeway only where the local time five days later is skipped or repeated.
        assert reference_cap(received_at) - timedelta(hours=1) <= due


@PROPERTY_SETTINGS
@given(
    received_moments,
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)),
)
def test_working_time_adds_up_over_consecutive_spans(start, first_span, second_span):
    middle = start + first_span
    end = middle + second_span
    assert working_time_between(start, end) == (
        working_time_between(start, middle) + working_time_between(middle, end)
    )


# ---------------------------------------------------------------------------------------------
# Which days are free


@pytest.mark.parametrize(
    "free_day",
    [
        date(2026, 6, 19),  # midsommarafton
        date(2026, 12, 24),  # julafton
        date(2026, 12, 31),  # nyårsafton
        date(2026, 4, 3),  # långfredagen
        date(2026, 4, 6),  # annandag påsk
        date(2026, 5, 14),  # Kristi himmelsfärds dag
        date(2025, 6, 6),  # nationaldagen
        date(2026, 1, 6),  # trettondedag jul
        date(2026, 5, 1),  # första maj
    ],
)
def test_weekday_holidays_and_eves_are_not_working_days(free_day):
    assert free_day.weekday() < 5
    assert not is_working_day(free_day)


def test_ordinary_weekdays_are_working_days_and_weekends_are_not():
    assert is_working_day(date(2026, 3, 9))  # Monday
    assert is_working_day(date(2026, 5, 15))  # klämdag after Kristi himmelsfärd: still a workday
    assert not is_working_day(date(2026, 3, 14))  # Saturday
    assert not is_working_day(date(2026, 3, 15))  # Sunday


def test_working_time_is_start_inclusive_and_end_exclusive_on_working_days_only():
    assert is_working_time(local(2026, 3, 9, 8))
    assert is_working_time(local(2026, 3, 9, 16, 59))
    assert not is_working_time(local(2026, 3, 9, 17))
    assert not is_working_time(local(2026, 3, 9, 7, 59))
    assert not is_working_time(local(2026, 3, 14, 10))  # Saturday
    assert not is_working_time(local(2026, 12, 24, 10))  # julafton


def test_working_time_is_judged_in_local_time_whatever_the_input_zone():
    # 07:30 UTC is 08:30 in Stockholm in winter.
    assert is_working_time(datetime(2026, 3, 9, 7, 30, tzinfo=UTC))
    assert not is_working_time(datetime(2026, 3, 9, 16, 30, tzinfo=UTC))


# ---------------------------------------------------------------------------------------------
# When the clock starts


def test_item_arriving_at_2200_starts_the_clock_at_0800_the_next_working_day():
    assert in_stockholm(clock_start(local(2026, 3, 10, 22))) == local(2026, 3, 11, 8)
    assert in_stockholm(due_at(local(2026, 3, 10, 22), working_hours=6)) == local(2026, 3, 11, 14)


def test_item_arriving_on_friday_evening_starts_the_clock_on_monday():
    assert in_stockholm(clock_start(local(2026, 3, 13, 17))) == local(2026, 3, 16, 8)


def test_item_arriving_before_0800_starts_the_clock_at_0800_the_same_day():
    assert in_stockholm(clock_start(local(2026, 3, 10, 6, 15))) == local(2026, 3, 10, 8)


def test_item_arriving_within_working_hours_starts_the_clock_at_once():
    assert clock_start(local(2026, 3, 10, 10, 20)) == local(2026, 3, 10, 10, 20)


# ---------------------------------------------------------------------------------------------
# Policies


def test_x_six_working_hours_from_friday_1500_end_on_monday_1200():
    assert in_stockholm(due_at(local(2026, 3, 6, 15), working_hours=6)) == local(2026, 3, 9, 12)


def test_one_working_day_is_nine_hours_of_working_time():
    assert in_stockholm(due_at(local(2026, 3, 10, 10), working_days=1)) == local(2026, 3, 11, 10)


def test_working_day_length_follows_configured_hours():
    short_days = WorkingCalendar(start=time(9), end=time(16))
    due = due_at(local(2026, 3, 10, 9), working_days=1, calendar=short_days)
    assert in_stockholm(due) == local(2026, 3, 10, 16)


def test_deadline_is_returned_in_utc():
    assert due_at(local(2026, 3, 10, 10), working_hours=1).tzinfo is UTC


def test_due_at_for_policy_reads_hours_and_days():
    received = local(2026, 3, 6, 15)
    assert in_stockholm(due_at_for_policy(received, ("hours", 6))) == local(2026, 3, 9, 12)
    assert in_stockholm(due_at_for_policy(received, ("days", 1))) == local(2026, 3, 9, 15)


def test_unknown_policy_unit_is_refused():
    with pytest.raises(CalendarError, match="enhet"):
        due_at_for_policy(local(2026, 3, 6, 15), ("weeks", 1))


# ---------------------------------------------------------------------------------------------
# Holidays and eves


def test_deadline_skips_midsommarafton():
    # Thursday 16:00 before midsommarafton (Friday) and midsommardagen: due on Monday.
    assert in_stockholm(due_at(local(2026, 6, 18, 16), working_days=1)) == local(2026, 6, 22, 16)


def test_deadline_skips_julafton():
    # 2027: julafton on Friday.
    assert in_stockholm(due_at(local(2027, 12, 23, 16), working_days=1)) == local(2027, 12, 27, 16)


def test_deadline_skips_nyarsafton():
    # 2027: nyårsafton on Friday, nyårsdagen on Saturday.
    assert in_stockholm(due_at(local(2027, 12, 30, 16), working_days=1)) == local(2028, 1, 3, 16)


def test_deadline_skips_langfredagen_and_annandag_pask():
    # Skärtorsdagen 16:00, 2026: one hour on Thursday, five on the Tuesday after Easter.
    assert in_stockholm(due_at(local(2026, 4, 2, 16), working_hours=6)) == local(2026, 4, 7, 13)


def test_deadline_skips_kristi_himmelsfard():
    assert in_stockholm(due_at(local(2026, 5, 13, 16), working_days=1)) == local(2026, 5, 15, 16)


def test_deadline_skips_nationaldagen():
    # 2028: nationaldagen on Tuesday.
    assert in_stockholm(due_at(local(2028, 6, 5, 16), working_days=1)) == local(2028, 6, 7, 16)


# ---------------------------------------------------------------------------------------------
# Daylight saving


@pytest.mark.parametrize(
    ("received_at", "expected_local", "expected_utc"),
    [
        # 2026-03-29: Friday in CET (+01), Monday in CEST (+02).
        (local(2026, 3, 27, 16), local(2026, 3, 30, 16), datetime(2026, 3, 30, 14, tzinfo=UTC)),
        # 2026-10-25: Friday in CEST, Monday in CET.
        (local(2026, 10, 23, 16), local(2026, 10, 26, 16), datetime(2026, 10, 26, 15, tzinfo=UTC)),
        # 2027-10-31: Friday in CEST, Monday in CET.
        (local(2027, 10, 29, 16), local(2027, 11, 1, 16), datetime(2027, 11, 1, 15, tzinfo=UTC)),
    ],
)
def test_deadline_keeps_local_working_hours_across_daylight_saving_change(
    received_at, expected_local, expected_utc
):
    due = due_at(received_at, working_days=1)
    assert in_stockholm(due) == expected_local
    assert due == expected_utc


def test_deadline_across_spring_change_2027_on_easter_sunday():
    # 2027-03-28 is both Easter Sunday and the spring change: långfredag to annandag are free.
    due = due_at(local(2027, 3, 25, 16), working_hours=6)
    assert due == datetime(2027, 3, 30, 11, tzinfo=UTC)  # Tuesday 13:00 CEST


def test_x_six_hours_over_the_spring_change_end_at_monday_1200_local():
    due = due_at(local(2026, 3, 27, 15), working_hours=6)
    assert due == datetime(2026, 3, 30, 10, tzinfo=UTC)  # Monday 12:00 CEST


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (local(2026, 3, 27, 8), local(2026, 3, 30, 17)),
        (local(2026, 10, 23, 8), local(2026, 10, 26, 17)),
        (local(2027, 10, 29, 8), local(2027, 11, 1, 17)),
    ],
)
def test_working_time_over_a_daylight_saving_weekend_is_two_full_days(start, end):
    assert working_time_between(start, end) == timedelta(hours=18)


def test_cap_on_a_skipped_spring_hour_is_the_moment_of_the_change():
    # Tuesday 02:30; five days later, 02:30 on 2027-03-28 never shows: the clock jumps to 03:00.
    due = due_at(local(2027, 3, 23, 2, 30), working_days=100)
    assert due == datetime(2027, 3, 28, 1, tzinfo=UTC)
    assert in_stockholm(due) == local(2027, 3, 28, 3)


def test_deadline_does_not_shrink_within_the_repeated_autumn_hour():
    # 02:30 summer time comes before 02:10 winter time on 2026-10-25.
    first_pass = local(2026, 10, 25, 2, 30, fold=0)
    second_pass = local(2026, 10, 25, 2, 10, fold=1)
    assert first_pass.astimezone(UTC) < second_pass.astimezone(UTC)
    assert due_at(first_pass, working_days=10) <= due_at(second_pass, working_days=10)
    assert in_stockholm(due_at(second_pass, working_days=10)) == local(2026, 10, 30, 2, 10)


# ---------------------------------------------------------------------------------------------
# The five-day cap ("absolut senast efter fem dagar")


def test_cap_binds_over_christmas():
    due = due_at(local(2026, 12, 23, 16), working_days=3)
    assert in_stockholm(due) == local(2026, 12, 28, 16)


def test_cap_binds_over_easter_even_on_annandag_pask():
    due = due_at(local(2026, 4, 1, 10), working_days=3)
    assert in_stockholm(due) == local(2026, 4, 6, 10)


def test_cap_is_the_same_local_time_across_the_spring_change():
    # Wednesday 10:00 CET; five days later is Monday 10:00 CEST, only 119 hours on.
    due = due_at(local(2026, 3, 25, 10), working_days=5)
    assert due == datetime(2026, 3, 30, 8, tzinfo=UTC)


def test_cap_is_the_same_local_time_across_the_autumn_change():
    # Wednesday 10:00 CEST; five days later is Monday 10:00 CET, 121 hours on.
    due = due_at(local(2026, 10, 21, 10), working_days=5)
    assert due == datetime(2026, 10, 26, 9, tzinfo=UTC)


def test_cap_binds_within_working_hours():
    # Wednesday 10:00 with 28 working hours: 25 by Friday 17:00, but the cap is Monday 10:00.
    due = due_at(local(2026, 3, 11, 10), working_hours=28)
    assert in_stockholm(due) == local(2026, 3, 16, 10)


def test_cap_does_not_bind_a_short_policy():
    due = due_at(local(2026, 3, 9, 10), working_days=2)
    assert in_stockholm(due) == local(2026, 3, 11, 10)


def test_absurdly_long_policy_is_capped_not_an_overflow():
    due = due_at(local(2026, 3, 9, 10), working_hours=1e300)
    assert in_stockholm(due) == local(2026, 3, 14, 10)


# ---------------------------------------------------------------------------------------------
# A moment a given working time after another (the warning moment)


def test_working_time_after_friday_afternoon_runs_on_monday_not_over_the_weekend():
    # One hour on Friday 16-17, the remaining 5 h 45 min from Monday 08:00.
    moment = after_working_time(local(2026, 3, 6, 16), timedelta(hours=6, minutes=45))
    assert in_stockholm(moment) == local(2026, 3, 9, 13, 45)


def test_working_time_after_skips_easter():
    # Skärtorsdag 16:00: one hour that day, then nothing until Tuesday after annandag påsk.
    moment = after_working_time(local(2026, 4, 2, 16), timedelta(hours=2))
    assert in_stockholm(moment) == local(2026, 4, 7, 9)


def test_working_time_after_ends_at_closing_when_it_runs_out_there():
    moment = after_working_time(local(2026, 3, 9, 8), timedelta(hours=9))
    assert in_stockholm(moment) == local(2026, 3, 9, 17)


def test_no_working_time_after_a_moment_is_the_moment_itself():
    saturday = local(2026, 3, 7, 12)
    assert after_working_time(saturday, timedelta(0)) == saturday


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2026, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
        max_value=datetime(2027, 12, 31),  # noqa: DTZ001
        timezones=st.just(STOCKHOLM),
    ),
    minutes=st.integers(min_value=1, max_value=60 * 60),
)
def test_the_working_time_after_a_moment_is_exactly_that_much_working_time(start, minutes):
    amount = timedelta(minutes=minutes)
    moment = after_working_time(start, amount)
    assert working_time_between(start, moment) == amount
    # And no earlier moment has that much: it is the earliest.
    assert working_time_between(start, moment - timedelta(microseconds=1)) < amount


# ---------------------------------------------------------------------------------------------
# Working time for statistics


def test_working_time_between_counts_only_working_hours():
    start, end = local(2026, 3, 6, 16), local(2026, 3, 9, 10)
    assert working_time_between(start, end) == timedelta(hours=3)


def test_working_time_between_is_negative_when_reversed():
    start, end = local(2026, 3, 6, 16), local(2026, 3, 9, 10)
    assert working_time_between(end, start) == -timedelta(hours=3)


def test_working_time_over_christmas_week_skips_the_free_days():
    # Monday 21 to Sunday 27 December 2026: Monday to Wednesday only.
    assert working_time_between(local(2026, 12, 21), local(2026, 12, 28)) == timedelta(hours=27)


# ---------------------------------------------------------------------------------------------
# Refused input


NAIVE = datetime(2026, 3, 9, 10)  # noqa: DTZ001 - the point of the tests below


@pytest.mark.parametrize(
    "call",
    [
        lambda: due_at(NAIVE, working_hours=6),
        lambda: clock_start(NAIVE),
        lambda: is_working_time(NAIVE),
        lambda: working_time_between(NAIVE, local(2026, 3, 10)),
        lambda: after_working_time(NAIVE, timedelta(hours=1)),
    ],
    ids=[
        "due_at",
        "clock_start",
        "is_working_time",
        "working_time_between",
        "after_working_time",
    ],
)
def test_naive_datetimes_are_refused_with_a_clear_error(call):
    with pytest.raises(CalendarError, match="saknar tidszon"):
        call()


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, tzinfo=ZoneInfo("Asia/Tokyo")),
        datetime(9999, 12, 31, 23, tzinfo=ZoneInfo("America/New_York")),
    ],
)
def test_a_moment_that_cannot_be_told_in_utc_is_a_calendar_error_not_an_overflow(moment):
    with pytest.raises(CalendarError, match="utanför kalendern"):
        due_at(moment, working_hours=6)


def test_calendar_error_is_a_value_error():
    assert issubclass(CalendarError, ValueError)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"working_hours": 6, "working_days": 1},
        {"working_hours": 0},
        {"working_days": -1},
        {"working_hours": float("nan")},
        {"working_hours": float("inf")},
        {"working_hours": "6"},
        {"working_days": True},
    ],
)
def test_policy_must_be_one_positive_amount(kwargs):
    with pytest.raises(CalendarError):
        due_at(local(2026, 3, 9, 10), **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"start": time(17), "end": time(8)},
        {"start": time(8), "end": time(8)},
        {"tz": "Europe/Atvidaberg"},
        {"start": time(8, tzinfo=UTC)},
    ],
)
def test_calendar_refuses_impossible_working_hours(kwargs):
    with pytest.raises(CalendarError):
        WorkingCalendar(**kwargs)


def test_working_hours_setting_is_parsed():
    assert parse_working_hours("07:30-16:00") == WorkingCalendar(start=time(7, 30), end=time(16))


@pytest.mark.parametrize(
    "value", ["", "08:00", "8-17-20", "åtta-fem", "17:00-08:00", "25:00-26:00"]
)
def test_bad_working_hours_setting_gets_a_swedish_error(value):
    with pytest.raises(CalendarError, match="Arbetstid"):
        parse_working_hours(value)


# ---------------------------------------------------------------------------------------------
# Counting, not stepping: the same answers as walking day by day, at any distance


def stepping_windows(moment, calendar):
    """The working-hour windows from the local date of `moment` on, one day at a time."""
    day = moment.astimezone(calendar.zone).date()
    while True:
        if is_working_day(day):
            yield calendar.window(day)
        day += timedelta(days=1)


def stepping_working_time_between(start, end, calendar):
    """The reference: every day's window visited in turn."""
    if end < start:
        return -stepping_working_time_between(end, start, calendar)
    total = timedelta(0)
    for opens, closes in stepping_windows(start, calendar):
        if opens >= end:
            return total
        total += max(timedelta(0), min(closes, end) - max(opens, start))
    raise AssertionError("unreachable")


def stepping_after_working_time(start, amount, calendar):
    if amount <= timedelta(0):
        return start
    remaining = amount
    for opens, closes in stepping_windows(start, calendar):
        if start >= closes:
            continue
        begins = max(start, opens)
        if remaining <= closes - begins:
            return begins + remaining
        remaining -= closes - begins
    raise AssertionError("unreachable")


# Office hours, and night hours that a daylight-saving change cuts into or lengthens. Europe
# and America change on Sundays; Israel (Fridays), Egypt (Fridays and Thursdays) and Iran
# (until 2022, any weekday) and Jordan (until 2022, on a Friday night) change on working
# days, so their windows there are odd lengths.
CALENDARS = [
    WorkingCalendar(),
    WorkingCalendar(start=time(1, 30), end=time(4)),
    WorkingCalendar(start=time(0), end=time(23, 59)),
    WorkingCalendar(start=time(9), end=time(15), tz="America/New_York"),
    WorkingCalendar(start=time(1), end=time(4), tz="Asia/Jerusalem"),
    WorkingCalendar(start=time(2, 15), end=time(2, 45), tz="Asia/Jerusalem"),
    WorkingCalendar(start=time(0), end=time(2), tz="Africa/Cairo"),
    WorkingCalendar(start=time(22), end=time(23, 59), tz="Africa/Cairo"),
    WorkingCalendar(start=time(0), end=time(1, 30), tz="Asia/Tehran"),
    WorkingCalendar(start=time(0), end=time(2), tz="Asia/Amman"),
]
wide_moments = st.one_of(
    st.datetimes(
        min_value=datetime(2019, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
        max_value=datetime(2031, 12, 31),  # noqa: DTZ001
        timezones=st.sampled_from(INPUT_ZONES),
    ),
    moments_near_awkward_days,
)
spans = st.one_of(
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=800)),
)


@settings(max_examples=300, deadline=None)
@given(wide_moments, spans, st.sampled_from(CALENDARS), st.booleans())
def test_working_time_between_equals_stepping_day_by_day(start, span, calendar, reverse):
    end = start.astimezone(UTC) + span
    if reverse:
        start, end = end, start
    assert working_time_between(start, end, calendar) == stepping_working_time_between(
        start.astimezone(UTC), end.astimezone(UTC), calendar
    )


@settings(max_examples=300, deadline=None)
@given(
    wide_moments,
    st.one_of(
        st.timedeltas(min_value=timedelta(hours=-1), max_value=timedelta(hours=30)),
        st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=300)),
    ),
    st.sampled_from(CALENDARS),
)
def test_after_working_time_equals_stepping_day_by_day(start, amount, calendar):
    assert after_working_time(start, amount, calendar) == stepping_after_working_time(
        start.astimezone(UTC), amount, calendar
    )


def stepping_due_at(received_at, hours, cap, calendar):
    """The walk due_at did before, window by window up to the five-day cap."""
    remaining = timedelta(hours=hours)
    for opens, closes in stepping_windows(received_at, calendar):
        if opens >= cap:
            return cap
        if received_at >= closes:
            continue
        begins = max(received_at, opens)
        if remaining <= closes - begins:
            return min(begins + remaining, cap)
        remaining -= closes - begins
    raise AssertionError("unreachable")


@settings(max_examples=150, deadline=None)
@given(wide_moments, policies, st.sampled_from(CALENDARS))
def test_due_at_equals_the_day_by_day_walk(received_at, policy, calendar):
    unit, amount = policy
    hours = amount * calendar.day_length.total_seconds() / 3600 if unit == "days" else amount
    # An absurd policy ends at the cap, whatever the calendar.
    cap = due_at(received_at, working_hours=1e300, calendar=calendar)
    expected = stepping_due_at(received_at.astimezone(UTC), hours, cap, calendar)
    assert due_at_for_policy(received_at, policy, calendar=calendar) == expected


def test_a_span_of_decades_is_counted_not_stepped(monkeypatch):
    windows = []
    window = WorkingCalendar.window
    monkeypatch.setattr(
        WorkingCalendar, "window", lambda self, day: windows.append(day) or window(self, day)
    )
    started = time_module.process_time()
    waited = working_time_between(local(2041, 1, 1), local(2070, 1, 1))
    moment = after_working_time(local(2041, 1, 1), waited)
    elapsed = time_module.process_time() - started
    assert moment == local(2069, 12, 30, 17)  # the last working day of 2069, at closing
    # A window per year's daylight-saving change at most, not one per working day (7,300).
    assert len(windows) < 300, len(windows)
    assert elapsed < 3.0, elapsed


def test_received_at_in_year_one_is_counted_fast_not_in_row_locking_seconds():
    started = time_module.process_time()
    for _ in range(5):
        working_time_between(datetime(1, 1, 2, tzinfo=UTC), local(2026, 3, 9, 10))
    assert time_module.process_time() - started < 3.0
    assert working_time_between(datetime(1, 1, 2, tzinfo=UTC), local(2026, 3, 9, 10)) > timedelta(
        days=100_000
    )
