"""The Swedish working-day calendar behind response times ("Rimliga svarstider").

Pure Python, no Django: the models, the ingest API and the statistics call it.

Working days are Monday to Friday except Swedish public holidays and the de-facto free days
julafton, nyårsafton and midsommarafton. Working hours are a daily wall-clock window in one
time zone (08:00-17:00 Europe/Stockholm by default). Working time is real elapsed time inside
those windows; the windows themselves are placed in local wall-clock time, so they move with
daylight saving.

Every datetime taken must be aware; every datetime returned is aware and in UTC.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = [
    "DEFAULT_CALENDAR",
    "MAX_CALENDAR_DAYS",
    "CalendarError",
    "WorkingCalendar",
    "after_working_time",
    "clock_start",
    "due_at",
    "due_at_for_policy",
    "is_working_day",
    "is_working_time",
    "parse_working_hours",
    "working_time_between",
]

# "Allmänna frågor besvaras ... absolut senast efter fem dagar" (Rimliga svarstider).
MAX_CALENDAR_DAYS = 5

# A response time in working hours or working days: ("hours", 6), ("days", 1). Which one a
# platform has is the staff's `ResponsePolicy` table (moderation.deadlines), not this module's.
Policy = tuple[Literal["hours", "days"], float]

_ONE_MICROSECOND = timedelta(microseconds=1)


class CalendarError(ValueError):
    """Bad input to the calendar; the message is Swedish and may be shown to a user."""


@dataclass(frozen=True)
class WorkingCalendar:
    """Daily working hours [start, end) in the wall-clock time of `tz`."""

    start: time = time(8)
    end: time = time(17)
    tz: str = "Europe/Stockholm"

    def __post_init__(self) -> None:
        if not isinstance(self.start, time) or not isinstance(self.end, time):
            raise CalendarError("Arbetstidens början och slut måste vara klockslag.")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise CalendarError(
                "Arbetstidens klockslag anges utan tidszon; ange tidszonen för sig."
            )
        if self.start >= self.end:
            raise CalendarError("Arbetstiden måste sluta senare samma dag än den börjar.")
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise CalendarError(f"Okänd tidszon: {self.tz!r}.") from exc

    @property
    def zone(self) -> ZoneInfo:
        # ZoneInfo caches instances per key, so this is cheap.
        return ZoneInfo(self.tz)

    @property
    def day_length(self) -> timedelta:
        """One working day's length of working time (9 hours for 08:00-17:00)."""
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The working hours of a local date as UTC instants, working day or not."""
        zone = self.zone
        return (
            _first_instant_at(datetime.combine(day, self.start), zone),
            _first_instant_at(datetime.combine(day, self.end), zone),
        )


DEFAULT_CALENDAR = WorkingCalendar()


def parse_working_hours(value: str, *, tz: str = "Europe/Stockholm") -> WorkingCalendar:
    """Read a setting such as "08:00-17:00" into a calendar."""
    try:
        start_text, end_text = (part.strip() for part in value.split("-"))
        start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
    except (ValueError, AttributeError) as exc:
        raise CalendarError(
            f"Arbetstiden ska skrivas som TT:MM-TT:MM, till exempel 08:00-17:00, inte {value!r}."
        ) from exc
    return WorkingCalendar(start=start, end=end, tz=tz)


# ---------------------------------------------------------------------------------------------
# Days


@lru_cache(maxsize=64)
def _free_days(year: int) -> frozenset[date]:
    # The default categories leave julafton, nyårsafton and midsommarafton out; DE_FACTO adds
    # them. Some versions also list every Sunday; weekends are excluded separately anyway.
    swedish = holidays.country_holidays(
        "SE", years=year, categories=(holidays.PUBLIC, holidays.DE_FACTO)
    )
    return frozenset(swedish)


def is_working_day(day: date) -> bool:
    """Monday to Friday, and neither a public holiday nor a de-facto free eve."""
    return day.weekday() < 5 and day not in _free_days(day.year)


def is_working_time(moment: datetime, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> bool:
    """Whether `moment` falls within working hours (start inclusive, end exclusive)."""
    moment = _require_aware(moment, "moment")
    day = moment.astimezone(calendar.zone).date()
    if not is_working_day(day):
        return False
    opens, closes = calendar.window(day)
    return opens <= moment < closes


# ---------------------------------------------------------------------------------------------
# Deadlines


def clock_start(received_at: datetime, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> datetime:
    """When the response clock starts: received_at, or the next start of working hours."""
    received = _require_aware(received_at, "received_at")
    for opens, closes in _windows_from(received, calendar):
        if received < closes:
            return max(received, opens)
    raise AssertionError("unreachable: there is always a next working day")  # pragma: no cover


def due_at(
    received_at: datetime,
    *,
    working_hours: float | None = None,
    working_days: float | None = None,
    calendar: WorkingCalendar = DEFAULT_CALENDAR,
) -> datetime:
    """The response deadline, in UTC, for a policy of N working hours or N working days.

    The clock starts at received_at or at the next start of working hours; the deadline is the
    earliest moment at which that much working time has passed, but never later than the same
    local time five calendar days after received_at. A deadline set by that cap may fall outside
    working hours or on a free day (received Wednesday 10:00, capped Monday 10:00 = annandag påsk).
    """
    received = _require_aware(received_at, "received_at")
    if (working_hours is None) == (working_days is None):
        raise CalendarError("Ange svarstiden antingen i arbetstimmar eller i arbetsdagar.")
    if working_hours is not None:
        hours = _positive_amount(working_hours, "Antalet arbetstimmar")
    else:
        days = _positive_amount(working_days, "Antalet arbetsdagar")
        hours = days * calendar.day_length.total_seconds() / 3600
    cap = _five_day_cap(received, calendar)
    # Seven weeks of working time ends far past the five-day cap; clamp to avoid overflow.
    remaining = timedelta(hours=min(hours, 24 * 7 * (MAX_CALENDAR_DAYS + 2)))
    for opens, closes in _windows_from(received, calendar):
        if opens >= cap:  # the cap ends the walk before the policy is spent
            return cap
        if received >= closes:
            continue
        begins = max(received, opens)
        available = closes - begins
        if remaining <= available:
            return min(begins + remaining, cap)
        remaining -= available
    raise AssertionError("unreachable: the five-day cap ends the walk")  # pragma: no cover


def due_at_for_policy(
    received_at: datetime, policy: Policy, *, calendar: WorkingCalendar = DEFAULT_CALENDAR
) -> datetime:
    """due_at() for a ("hours", n) or ("days", n) pair, as a response policy gives it."""
    unit, amount = policy
    if unit == "hours":
        return due_at(received_at, working_hours=amount, calendar=calendar)
    if unit == "days":
        return due_at(received_at, working_days=amount, calendar=calendar)
    raise CalendarError(f"Okänd enhet för svarstid: {unit!r} (ska vara 'hours' eller 'days').")


def after_working_time(
    start: datetime, amount: timedelta, calendar: WorkingCalendar = DEFAULT_CALENDAR
) -> datetime:
    """The earliest moment at which `amount` of working time has passed since `start`, in UTC.

    Zero (or less) is `start` itself; otherwise the moment falls within working hours, or on
    the end of a working day's hours when the amount runs out exactly there.
    """
    start = _require_aware(start, "start")
    if amount <= timedelta(0):
        return start
    remaining = amount
    for opens, closes in _windows_from(start, calendar):
        if start >= closes:
            continue
        begins = max(start, opens)
        available = closes - begins
        if remaining <= available:
            return begins + remaining
        remaining -= available
    raise AssertionError("unreachable: working days never run out")  # pragma: no cover


def working_time_between(
    start: datetime, end: datetime, calendar: WorkingCalendar = DEFAULT_CALENDAR
) -> timedelta:
    """Working time from start to end; negative when end is before start."""
    start = _require_aware(start, "start")
    end = _require_aware(end, "end")
    if end < start:
        return -working_time_between(end, start, calendar)
    total = timedelta(0)
    for opens, closes in _windows_from(start, calendar):
        if opens >= end:
            break
        overlap = min(closes, end) - max(opens, start)
        if overlap > timedelta(0):
            total += overlap
    return total


# ---------------------------------------------------------------------------------------------
# Internals: all arithmetic on UTC instants, since Python compares and subtracts datetimes of
# the same zone by wall clock and would be an hour off across a daylight-saving change.


def _require_aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise CalendarError(
            f"{name} måste vara en tidpunkt (datetime), inte {type(value).__name__}."
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise CalendarError(
            f"{name} saknar tidszon. Ange tidpunkten med tidszon, till exempel "
            "2026-03-27T16:30:00+01:00."
        )
    return value.astimezone(UTC)


def _positive_amount(value: object, label: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CalendarError(f"{label} måste vara ett tal.")
    if not math.isfinite(value) or value <= 0:
        raise CalendarError(f"{label} måste vara ett positivt tal.")
    return float(value)


def _windows_from(
    moment: datetime, calendar: WorkingCalendar
) -> Iterator[tuple[datetime, datetime]]:
    """The working-hour windows of working days, from the local date of `moment` onwards."""
    day = moment.astimezone(calendar.zone).date()
    while True:
        if is_working_day(day):
            yield calendar.window(day)
        day += timedelta(days=1)


def _first_instant_at(wall: datetime, zone: tzinfo) -> datetime:
    """The earliest instant at which the local clock shows `wall` or later, in UTC.

    That is the first of the two readings of a repeated wall time (autumn) and the moment of the
    change for a wall time skipped in spring; it never decreases as `wall` increases.
    """
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first.astimezone(UTC)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
        # Repeated wall time: fold 0 is the earlier reading.
        return min(first.astimezone(UTC), second.astimezone(UTC))
    # Skipped wall time: the clock jumps past it at the change, between the two readings.
    low, high = sorted((first.astimezone(UTC), second.astimezone(UTC)))
    return _offset_change_after(low, high, zone)


def _offset_change_after(low: datetime, high: datetime, zone: tzinfo) -> datetime:
    """The first instant in (low, high] whose UTC offset differs from low's (UTC in, UTC out)."""
    offset = low.astimezone(zone).utcoffset()
    while high - low > _ONE_MICROSECOND:
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == offset:
            low = middle
        else:
            high = middle
    return high


def _five_day_cap(received: datetime, calendar: WorkingCalendar) -> datetime:
    """The same local time five calendar days after received (UTC in, UTC out).

    In the first pass of a repeated autumn hour the local clock will still fall back, so the
    cap uses the earliest local time still to come; this keeps deadlines from shrinking as
    received_at grows and still never exceeds the same local time five days later.
    """
    zone = calendar.zone
    local = received.astimezone(zone)
    wall = local.replace(tzinfo=None)
    later_reading = wall.replace(tzinfo=zone, fold=1)
    if local.fold == 0 and later_reading.utcoffset() != local.utcoffset():
        # First pass of a repeated hour: the clock falls back to the wall time at the change.
        change = _offset_change_after(received, later_reading.astimezone(UTC), zone)
        wall = min(wall, change.astimezone(zone).replace(tzinfo=None))
    return _first_instant_at(wall + timedelta(days=MAX_CALENDAR_DAYS), zone)
