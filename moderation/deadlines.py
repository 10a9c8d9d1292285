"""When something is due: an item's response deadline and a channel's next review.

An item's response deadline (Rimliga svarstider) is read from one place: the platform's
`ResponsePolicy` row (the row without a platform is the default, which also covers citizens'
reports; the staff edit the rows), counted in the working hours of MODERATION_WORKING_HOURS
by the working-day calendar (`moderation.calendar`).

Also here: the warning moment (`warn_at`: three quarters of the response time gone, counted
in working time like the deadline itself), the Python twin of the queue's SLA state (the
rule itself is `moderation.querysets`) and the working time an item waited, which the
statistics take their percentiles over.

A channel's review interval (`review_interval`): lagen (1998:112) om ansvar för elektroniska
anslagstavlor (Bilaga 1) asks for supervision at least once a week; the current plan's
monitoring ("bevakning") may ask for more often. A review counts for the day it is made on;
the next one is due by the end of the monitoring hours of the next monitoring day after it:
- "several times a day, every day" (the guideline's busy Facebook page, "ett par gånger per
  dag, alla veckans dagar"): within the plan's monitoring hours, which such a plan must name,
  every day of the week: the next review is due when four hours of those hours have passed
  since the last one, or half a day's hours if that is less (so at least twice a day); time
  outside the hours does not count (reviewed at 19:00 with hours 8–20: due 11:00 next day);
- "every day": the next calendar day; "every working day": the next working day (no
  weekends, public holidays or de-facto free eves); "N times a week" or weekly on named
  weekdays: the next of the named weekdays;
- the end of the monitoring hours is the plan's "bevakas till"; without hours in the plan,
  the end of MODERATION_WORKING_HOURS for working days and midnight otherwise;
- "N times a week" without named days is calendar time, 7/N days; weekly without a named day
  is 7 days;
- whatever the plan says, never more than seven calendar days (the legal maximum).
A channel is counted from when it became active (`Channel.activated_at`), as if reviewed then:
a channel planned in January and activated in March is first due after its activation.
"""

import datetime
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from activityplans.models import MonitoringFrequency, describe_monitoring
from activityplans.selectors import current_plan

from .calendar import (
    WorkingCalendar,
    after_working_time,
    due_at_for_policy,
    is_working_day,
    parse_working_hours,
    working_time_between,
)
from .models import ResponsePolicy
from .workflow import FROM_PUBLIC, ItemKind, SlaState

# Without any policy row (the default row deleted): one working day.
NO_POLICY = ("days", 1.0)
# From here a quarter of the time is left: "snart sen" in the queue, and the warning mail.
WARN_AT_SHARE = 0.75

_pinned = threading.local()


@contextmanager
def pinned_policies():
    """Read the policies once for a whole batch of items (the API, an import, a webhook
    delivery) instead of once per item."""
    if getattr(_pinned, "policies", None) is not None:
        yield
        return
    _pinned.policies = _policies()
    try:
        yield
    finally:
        _pinned.policies = None


def _policies() -> dict[str, ResponsePolicy]:
    return {policy.platform: policy for policy in ResponsePolicy.objects.all()}


def policy_for(channel, kind: str) -> ResponsePolicy | None:
    """The platform's policy; citizens' reports and other platforms get the default."""
    policies = getattr(_pinned, "policies", None)
    if policies is None:
        policies = _policies()
    if kind != ItemKind.REPORT and channel.platform in policies:
        return policies[channel.platform]
    return policies.get("")


def working_calendar() -> WorkingCalendar:
    """The working hours of MODERATION_WORKING_HOURS in the municipality's time zone."""
    return parse_working_hours(settings.MODERATION_WORKING_HOURS, tz=settings.TIME_ZONE)


def deadline_for(channel, kind: str, received_at: datetime.datetime):
    """due_at for an item from the public; None for the municipality's own posts."""
    if kind not in FROM_PUBLIC:
        return None
    policy = policy_for(channel, kind)
    pair = NO_POLICY if policy is None else (policy.unit, float(policy.amount))
    return due_at_for_policy(received_at, pair, calendar=working_calendar())


def warn_at_for(received_at: datetime.datetime, due_at: datetime.datetime | None):
    """When three quarters of the response time are gone, in working time (a quarter is
    left); None without a deadline. Received Friday 16:00 with one working day (08-17) to
    answer, due Monday 16:00: the warning is Monday 13:45, not Saturday night."""
    if due_at is None:
        return None
    calendar = working_calendar()
    response = working_time_between(received_at, due_at, calendar)
    return after_working_time(received_at, response * WARN_AT_SHARE, calendar)


def sla_state_of(item, now) -> str | None:
    """The state `Item.objects.with_sla_state(now)` gives, for one loaded item (the rule and
    its reasons are `moderation.querysets`; a test holds the two equal)."""
    if item.due_at is None:
        return None
    if item.settled_at is not None:
        return SlaState.IN_TIME if item.settled_at <= item.due_at else SlaState.LATE
    if now > item.due_at:
        return SlaState.LATE
    if item.warn_at is not None and now >= item.warn_at:
        return SlaState.SOON_LATE
    return SlaState.IN_TIME


def response_seconds(received_at: datetime.datetime, settled_at: datetime.datetime) -> int:
    """The working time an item waited for its settling decision, in whole seconds (what the
    statistics' medians and percentiles are taken over)."""
    waited = working_time_between(received_at, settled_at, working_calendar())
    return max(0, int(waited.total_seconds()))


# --- A channel's review interval ------------------------------------------------------------


LEGAL_MAXIMUM = datetime.timedelta(days=7)
# "Several times a day, every day": at most this much of the plan's monitoring hours between
# two reviews (and at most half of a day's hours; `ReviewInterval.gap`).
SEVERAL_A_DAY_GAP = datetime.timedelta(hours=4)


@dataclass(frozen=True)
class ReviewInterval:
    """How often a channel must be reviewed, from its current plan's structured monitoring
    (the rule is the module's docstring)."""

    frequency: str = MonitoringFrequency.WEEKLY
    times_per_week: int | None = None
    weekdays: str = ""
    starts: datetime.time | None = None
    ends: datetime.time | None = None

    @property
    def description(self) -> str:
        """ "Kanalen bevakas varje arbetsdag 8–17." """
        return describe_monitoring(
            self.frequency, self.times_per_week, self.weekdays, self.starts, self.ends
        )

    def next_due(self, last: datetime.datetime) -> datetime.datetime:
        """When the next review is due after one at `last` (or the activation at `last`)."""
        if self.frequency == MonitoringFrequency.SEVERAL_A_DAY:
            return min(self._after_monitoring_time(last, self.gap), last + LEGAL_MAXIMUM)
        is_monitoring_day = self._monitoring_days()
        if is_monitoring_day is not None:
            day = last.astimezone(self.calendar.zone).date() + datetime.timedelta(days=1)
            while not is_monitoring_day(day):
                day += datetime.timedelta(days=1)
            due = self._end_of_monitoring(day)
        elif self.frequency == MonitoringFrequency.TIMES_A_WEEK and self.times_per_week:
            due = last + LEGAL_MAXIMUM / self.times_per_week
        else:
            due = last + LEGAL_MAXIMUM
        return min(due, last + LEGAL_MAXIMUM)

    @property
    def gap(self) -> datetime.timedelta:
        """For "several times a day": the monitoring time allowed between two reviews, at most
        SEVERAL_A_DAY_GAP and at most half the day's monitoring hours, so that a day's hours
        always hold at least two reviews ("ett par gånger per dag")."""
        return min(SEVERAL_A_DAY_GAP, self.calendar.day_length / 2)

    def _after_monitoring_time(
        self, last: datetime.datetime, amount: datetime.timedelta
    ) -> datetime.datetime:
        """The moment `amount` of monitoring time (the plan's hours, every day of the week)
        has passed since `last`. The amount is at most half a day's hours, so the walk ends by
        the day after `last`'s own (a week bounds it whatever a clock change does)."""
        calendar = self.calendar
        day = last.astimezone(calendar.zone).date()
        remaining = amount
        for offset in range(7):
            opens, closes = calendar.window(day + datetime.timedelta(days=offset))
            if last >= closes:
                continue
            begins = max(last, opens)
            if remaining <= closes - begins:
                return begins + remaining
            remaining -= closes - begins
        return last + amount  # pragma: no cover - unreachable, but never an error

    def _monitoring_days(self) -> Callable[[datetime.date], bool] | None:
        """Which days the plan names; None when it names none (calendar time)."""
        if self.frequency == MonitoringFrequency.DAILY:
            return lambda day: True
        if self.frequency == MonitoringFrequency.WORKING_DAYS:
            return is_working_day
        named = {int(day) for day in self.weekdays or "" if day.isdigit()}
        if named and self.frequency in (
            MonitoringFrequency.TIMES_A_WEEK,
            MonitoringFrequency.WEEKLY,
        ):
            return lambda day: day.isoweekday() in named
        return None

    def _end_of_monitoring(self, day: datetime.date) -> datetime.datetime:
        """The end of a monitoring day: the plan's hours, the working hours for "every
        working day", else midnight."""
        if self.ends is not None or self.frequency == MonitoringFrequency.WORKING_DAYS:
            return self.calendar.window(day)[1]
        midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
        return midnight.replace(tzinfo=ZoneInfo(settings.TIME_ZONE)).astimezone(datetime.UTC)

    @property
    def calendar(self) -> WorkingCalendar:
        if self.starts is not None and self.ends is not None:
            return WorkingCalendar(start=self.starts, end=self.ends, tz=settings.TIME_ZONE)
        return working_calendar()


def interval_of_plan(plan) -> ReviewInterval:
    """The plan's interval; weekly, the legal maximum, for a channel without a plan in force."""
    if plan is None:
        return ReviewInterval()
    return ReviewInterval(
        frequency=plan.monitoring_frequency,
        times_per_week=plan.monitoring_times_per_week,
        weekdays=plan.monitoring_weekdays,
        starts=plan.monitoring_from,
        ends=plan.monitoring_until,
    )


def review_interval(channel) -> ReviewInterval:
    """The one answer to "how often is this channel watched": for statistics, public pages
    and the warnings. `.description` is the Swedish sentence."""
    return interval_of_plan(current_plan(channel))
