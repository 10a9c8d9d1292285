"""When something is due: an item's response deadline and a channel's next review.

An item's response deadline (Rimliga svarstider) is read from one place: the platform's
`ResponsePolicy` row (the row without a platform is the default, which also covers citizens'
reports; the staff edit the rows), counted in the working hours of MODERATION_WORKING_HOURS
by the working-day calendar (`moderation.calendar`).

Also here: the warning moment (`warn_at`, a quarter of the time left), the queue's SLA state
and the working time an item waited, which the statistics take their percentiles over.

A channel's review interval (`review_interval`): lagen (1998:112) om ansvar för elektroniska
anslagstavlor (Bilaga 1) asks for supervision at least once a week; the current plan's
monitoring ("bevakning") may ask for more often.
- weekly, daily and "N times a week" are calendar time: 7 days, 1 day, 7/N days;
- "every working day" is one working day of working time (the plan's monitoring hours, or
  MODERATION_WORKING_HOURS), so a review on Friday afternoon is next due on Monday afternoon,
  and one before Easter on the Tuesday after;
- whatever the plan says, never more than seven calendar days (the legal maximum).
A channel never reviewed counts from its registration in the register.
"""

import datetime
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings

from activityplans.models import MonitoringFrequency, describe_monitoring
from activityplans.selectors import current_plan

from .calendar import (
    WorkingCalendar,
    due_at,
    due_at_for_policy,
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
    """When a quarter of the time to the deadline is left; None without a deadline."""
    if due_at is None:
        return None
    return received_at + (due_at - received_at) * WARN_AT_SHARE


def sla_state_of(item, now) -> str | None:
    """In time, soon late (under 25 % of the time left) or late; None once settled or for
    the municipality's own posts."""
    if item.due_at is None or item.settled_at is not None:
        return None
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


@dataclass(frozen=True)
class ReviewInterval:
    """How often a channel must be reviewed, from its current plan's structured monitoring."""

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
        """When the next review is due after one at `last`."""
        if self.frequency == MonitoringFrequency.DAILY:
            due = last + datetime.timedelta(days=1)
        elif self.frequency == MonitoringFrequency.WORKING_DAYS:
            due = due_at(last, working_days=1, calendar=self.calendar)
        elif self.frequency == MonitoringFrequency.TIMES_A_WEEK and self.times_per_week:
            due = last + LEGAL_MAXIMUM / self.times_per_week
        else:
            due = last + LEGAL_MAXIMUM
        return min(due, last + LEGAL_MAXIMUM)

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
