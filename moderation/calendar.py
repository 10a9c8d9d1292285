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

import bisect
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


# Free days per year, filled for many years in one call of the holidays package (it answers
# for the years it knows; earlier years simply have none). At most 9999 small sets.
_FREE_DAYS: dict[int, frozenset[date]] = {}


def _free_days(year: int) -> frozenset[date]:
    days = _FREE_DAYS.get(year)
    return days if days is not None else _free_days_of_years(year, year)[0]


def _free_days_of_years(first: int, last: int) -> list[frozenset[date]]:
    """The free days of each year from `first` to `last`, computing the missing ones in bulk."""
    missing = [year for year in range(first, last + 1) if year not in _FREE_DAYS]
    if missing:
        # The default categories leave julafton, nyårsafton and midsommarafton out; DE_FACTO
        # adds them. Some versions also list every Sunday; weekends are excluded separately.
        swedish = holidays.country_holidays(
            "SE", years=missing, categories=(holidays.PUBLIC, holidays.DE_FACTO)
        )
        by_year: dict[int, set[date]] = {year: set() for year in missing}
        for day in swedish:
            if day.year in by_year:
                by_year[day.year].add(day)
        for year, days in by_year.items():
            _FREE_DAYS[year] = frozenset(days)
    return [_FREE_DAYS[year] for year in range(first, last + 1)]


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
    return min(after_working_time(received, remaining, calendar), cap)


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
    day = start.astimezone(calendar.zone).date()
    if is_working_day(day):
        opens, closes = calendar.window(day)
        if start < closes:
            begins = max(start, opens)
            if remaining <= closes - begins:
                return begins + remaining
            remaining -= closes - begins
    # Whole working days from the next day on: find, a year at a time, the day on which the
    # rest runs out, without stepping through the days before it.
    day, remaining = _day_spending(calendar, _next_day(day), remaining)
    return calendar.window(day)[0] + remaining


def working_time_between(
    start: datetime, end: datetime, calendar: WorkingCalendar = DEFAULT_CALENDAR
) -> timedelta:
    """Working time from start to end; negative when end is before start.

    The first and the last local day are measured against their windows; every day between
    counts whole, by arithmetic over weeks, the year's free days and the few days whose
    window a daylight-saving change shortens or lengthens: the cost grows with the number
    of years spanned, not of days.
    """
    start = _require_aware(start, "start")
    end = _require_aware(end, "end")
    if end < start:
        return -working_time_between(end, start, calendar)
    zone = calendar.zone
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    total = _overlap(calendar, first, start, end)
    if last > first:
        total += _overlap(calendar, last, start, end)
        if (last - first).days > 1:
            total += _whole_days(calendar, _next_day(first), last - timedelta(days=1))
    return total


# ---------------------------------------------------------------------------------------------
# Internals: whole working days counted, not stepped through. A span's cost grows with the
# years it covers (each year's free days and odd windows are worked out once, then cached),
# never with its days, so a received_at decades back costs as little as yesterday's.

# How often a year's UTC offsets are sampled to find its daylight-saving changes; a zone
# changing its offset and back within one sample step would go unnoticed (none does).
_OFFSET_SAMPLE = timedelta(days=7)
# The first and last instants whose local time is a valid datetime in every zone.
_EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
_LATEST = datetime(9999, 12, 30, tzinfo=UTC)


@dataclass(frozen=True)
class _YearOfWork:
    """What a year adds to plain weekday arithmetic: its free weekdays (sorted), and its
    working days whose window a daylight-saving change made longer or shorter (sorted, with
    the difference from the calendar's day length)."""

    free_weekdays: tuple[date, ...]
    odd_days: tuple[date, ...]
    odd_differences: tuple[timedelta, ...]


@lru_cache(maxsize=4096)
def _year_of_work(calendar: WorkingCalendar, year: int) -> _YearOfWork:
    free = _free_days(year)
    odd: dict[date, timedelta] = {}
    zone = calendar.zone
    for change in _offset_changes(zone, year):
        for moment in (change - _ONE_MICROSECOND, change):
            day = moment.astimezone(zone).date()
            if day.year != year or day in odd or day.weekday() >= 5 or day in free:
                continue
            opens, closes = calendar.window(day)
            if closes - opens != calendar.day_length:
                odd[day] = closes - opens - calendar.day_length
    days = sorted(odd)
    return _YearOfWork(
        free_weekdays=tuple(sorted(day for day in free if day.weekday() < 5)),
        odd_days=tuple(days),
        odd_differences=tuple(odd[day] for day in days),
    )


def _offset_changes(zone: tzinfo, year: int) -> list[datetime]:
    """The instants (UTC) around `year` at which the zone's UTC offset changes."""
    try:
        low = datetime(year, 1, 1, tzinfo=UTC) - timedelta(days=2)
    except OverflowError:  # pragma: no cover - year 1
        low = _EARLIEST
    low = max(low, _EARLIEST)
    try:
        end = datetime(year + 1, 1, 1, tzinfo=UTC) + timedelta(days=2)
    except (OverflowError, ValueError):  # year 9999
        end = _LATEST
    end = min(end, _LATEST)
    changes = []
    while low < end:
        high = min(low + _OFFSET_SAMPLE, end)
        while low.astimezone(zone).utcoffset() != high.astimezone(zone).utcoffset():
            low = _offset_change_after(low, high, zone)
            changes.append(low)
        low = high
    return changes


def _weekdays_through(ordinal: int) -> int:
    """Mondays to Fridays from 0001-01-01 (a Monday, ordinal 1) to the day of `ordinal`."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _whole_days(calendar: WorkingCalendar, first: date, last: date) -> timedelta:
    """The working time of every working day from `first` to `last`, both whole."""
    if last < first:
        return timedelta(0)
    days = _weekdays_through(last.toordinal()) - _weekdays_through(first.toordinal() - 1)
    extra = timedelta(0)
    _free_days_of_years(first.year, last.year)
    for year in range(first.year, last.year + 1):
        work = _year_of_work(calendar, year)
        free = work.free_weekdays
        days -= bisect.bisect_right(free, last) - bisect.bisect_left(free, first)
        lo = bisect.bisect_left(work.odd_days, first)
        hi = bisect.bisect_right(work.odd_days, last)
        extra += sum(work.odd_differences[lo:hi], timedelta(0))
    return calendar.day_length * days + extra


def _day_spending(
    calendar: WorkingCalendar, first: date, amount: timedelta
) -> tuple[date, timedelta]:
    """The working day, from `first` on, during which `amount` (> 0) of whole days' working
    time runs out, and how much of it is left for that day (> 0, at most its window)."""
    while True:
        year_end = date(first.year, 12, 31)
        whole = _whole_days(calendar, first, year_end)
        if amount <= whole:
            break
        amount -= whole
        first = _next_day(year_end)
    # The earliest day by which the whole days hold the amount: a bisection within the year.
    low, high = first.toordinal(), year_end.toordinal()
    while low < high:
        middle = (low + high) // 2
        if _whole_days(calendar, first, date.fromordinal(middle)) >= amount:
            high = middle
        else:
            low = middle + 1
    day = date.fromordinal(low)
    return day, amount - _whole_days(calendar, first, day - timedelta(days=1))


def _overlap(calendar: WorkingCalendar, day: date, start: datetime, end: datetime) -> timedelta:
    """How much of the day's working hours falls between start and end."""
    if not is_working_day(day):
        return timedelta(0)
    opens, closes = calendar.window(day)
    return max(timedelta(0), min(closes, end) - max(opens, start))


def _next_day(day: date) -> date:
    if day == date.max:
        raise CalendarError("Tidpunkten ligger utanför kalendern.")
    return day + timedelta(days=1)


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
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:  # year 1 east of Greenwich, year 9999 west of it
        raise CalendarError(f"{name} ligger utanför kalendern.") from exc


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
