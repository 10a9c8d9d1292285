"""Supervision of the channels: how often each must be reviewed, whether a review is overdue,
who stands in for an absent operator, and the warnings mailed to them.

Lagen (1998:112) om ansvar för elektroniska anslagstavlor (Bilaga 1) asks for supervision at
least once a week; the current plan's monitoring ("bevakning") may ask for more often.

How the interval is counted:
- weekly, daily and "N times a week" are calendar time: 7 days, 1 day, 7/N days;
- "every working day" is one working day of working time (the plan's monitoring hours, or
  MODERATION_WORKING_HOURS), so a review on Friday afternoon is next due on Monday afternoon,
  and one before Easter on the Tuesday after;
- whatever the plan says, never more than seven calendar days (the legal maximum).
A channel never reviewed counts from its registration in the register.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activityplans.models import MonitoringFrequency, describe_monitoring
from activityplans.selectors import current_plan, current_plans
from activityplans.workflow import PlanStatus
from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.roles import Role, has_role, is_information_unit
from channels.models import Channel, ChannelStatus

from .calendar import WorkingCalendar, clock_start, due_at
from .deadlines import working_calendar
from .models import Absence, ChannelReview, Item, SupervisionNotice
from .workflow import OPEN

LEGAL_MAXIMUM = datetime.timedelta(days=7)
# An absence is planned within a year; the bounds keep every date storable.
MAX_ABSENCE = datetime.timedelta(days=366)
EARLIEST_YEAR, LATEST_YEAR = 2000, 2999


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
    """Weekly, the legal maximum, for a channel without a plan in force."""
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


def last_review_at(channel) -> datetime.datetime | None:
    return channel.reviews.aggregate(last=Max("reviewed_at"))["last"]


def review_due_at(channel, interval: ReviewInterval, last: datetime.datetime | None):
    return interval.next_due(last or channel.created_at)


def is_review_overdue(channel, *, now=None) -> bool:
    """now > last review + interval (from the registration when never reviewed)."""
    now = now or timezone.now()
    return now > review_due_at(channel, review_interval(channel), last_review_at(channel))


@dataclass(frozen=True)
class ChannelSupervision:
    channel: Channel
    interval: ReviewInterval
    last_reviewed_at: datetime.datetime | None
    due_at: datetime.datetime
    is_overdue: bool
    operators: list  # the current plan's daily operators


def supervision_of(channels, *, now=None) -> list[ChannelSupervision]:
    """Each channel's interval, last review and due moment, in a constant number of queries."""
    now = now or timezone.now()
    rows = list(
        channels.annotate(last_reviewed_at=Max("reviews__reviewed_at"))
        .select_related("unit")
        .order_by("account_name", "pk")
    )
    plans = current_plans(row.pk for row in rows)
    result = []
    for channel in rows:
        plan = plans.get(channel.pk)
        interval = interval_of_plan(plan)
        due = review_due_at(channel, interval, channel.last_reviewed_at)
        result.append(
            ChannelSupervision(
                channel=channel,
                interval=interval,
                last_reviewed_at=channel.last_reviewed_at,
                due_at=due,
                is_overdue=now > due,
                operators=list(plan.daily_operators.all()) if plan else [],
            )
        )
    return result


def supervised_channels(user):
    """The active channels a user looks after: all for Informationsenheten; otherwise those
    whose current plan names the user, or someone the user substitutes for now."""
    active = Channel.objects.filter(status=ChannelStatus.ACTIVE)
    if is_information_unit(user):
        return active
    people = [user.pk, *substituted_by(user)]
    plans = Q(
        activity_plans__status=PlanStatus.APPROVED,
        activity_plans__daily_operators__in=people,
    ) | Q(
        activity_plans__status=PlanStatus.APPROVED,
        activity_plans__administrators__in=people,
    )
    return active.filter(pk__in=Channel.objects.filter(plans).values("pk"))


@transaction.atomic
def mark_channel_reviewed(channel, *, by, now=None, decision=None) -> ChannelReview:
    """Record a review of the channel, append-only. A decision on one of its items records
    one too (moderation.services), in the decision's transaction."""
    from . import selectors

    if decision is None and not selectors.may_moderate(by, channel):
        raise PermissionDeniedError
    review = ChannelReview.objects.create(
        channel=channel, reviewed_at=now or timezone.now(), reviewed_by=by, decision=decision
    )
    if decision is None:
        record_audit("channel_reviewed", by=by, obj=channel, details={"review": review.pk})
    return review


# --- Absences and substitutes ------------------------------------------------------------


def _active(at) -> Q:
    return Q(starts_at__lte=at, ends_at__gt=at)


def absences_at(at=None) -> dict[int, Absence]:
    """Who is away at `at`, by operator id, with the substitute: one query."""
    at = at or timezone.now()
    return {
        absence.operator_id: absence
        for absence in Absence.objects.filter(_active(at)).select_related("substitute")
    }


def substituted_by(user, at=None) -> list[int]:
    """The ids of the people `user` stands in for at `at`."""
    at = at or timezone.now()
    return list(
        Absence.objects.filter(_active(at), substitute=user).values_list("operator_id", flat=True)
    )


def stand_in_for(user, at=None, *, absences: dict | None = None):
    """Who acts for `user` at `at`: the user; the substitute while the user is away; None
    while the user is away without one."""
    if user is None:
        return None
    absences = absences_at(at) if absences is None else absences
    absence = absences.get(user.pk)
    if absence is None:
        return user
    return absence.substitute


def absences_for_viewer(user, *, now=None):
    """Absences not yet over: all for Informationsenheten, the unit's own for its staff."""
    now = now or timezone.now()
    absences = Absence.objects.filter(ends_at__gt=now).select_related(
        "operator__unit", "substitute"
    )
    if is_information_unit(user):
        return absences
    if user.unit_id is None:
        return absences.filter(operator=user)
    return absences.filter(operator__unit_id=user.unit_id)


def may_register_absence_for(by, operator) -> bool:
    """The operator, the operator's manager (Ansvarig chef of the unit) or Informationsenheten."""
    if not getattr(by, "is_authenticated", False) or not by.is_active:
        return False
    if is_information_unit(by) or by.pk == operator.pk:
        return True
    return has_role(by, Role.MANAGER) and by.unit_id is not None and by.unit_id == operator.unit_id


def absence_errors(operator, substitute, starts_at, ends_at) -> dict[str, list[str]]:
    """The rules of an absence, as {field: [Swedish messages]}: the form shows them too."""
    errors: dict[str, list[str]] = {}
    for field, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        if moment is None or not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
            errors[field] = [
                _("Ange en tidpunkt mellan år %(first)s och %(last)s.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
            ]
    if errors:
        return errors
    if ends_at <= starts_at:
        errors["ends_at"] = [_("Frånvaron ska sluta efter att den börjar.")]
        return errors
    if ends_at - starts_at > MAX_ABSENCE:
        errors["ends_at"] = [_("En frånvaro kan vara högst ett år; registrera en ny efter det.")]
        return errors
    overlapping = Absence.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    if overlapping.filter(operator=operator).exists():
        errors["starts_at"] = [
            _("%(name)s har redan frånvaro under den tiden.") % {"name": operator}
        ]
    elif overlapping.filter(substitute=operator).exists():
        errors["starts_at"] = [
            _("%(name)s är ersättare för någon annan under den tiden.") % {"name": operator}
        ]
    if substitute is not None:
        if substitute.pk == operator.pk:
            errors["substitute"] = [_("Ersättaren ska vara någon annan.")]
        elif not substitute.is_active or substitute.unit_id != operator.unit_id:
            errors["substitute"] = [
                _("Ersättaren ska arbeta i samma verksamhet som %(name)s.") % {"name": operator}
            ]
        elif overlapping.filter(operator=substitute).exists():
            errors["substitute"] = [
                _("%(name)s är själv frånvarande under den tiden.") % {"name": substitute}
            ]
    return errors


@transaction.atomic
def register_absence(
    operator, *, by, starts_at, ends_at, substitute=None, reason: str = ""
) -> Absence:
    """An operator's absence, with the substitute who takes over assignments and mails."""
    if not may_register_absence_for(by, operator):
        raise PermissionDeniedError
    # One absence at a time per person: lock both people so that two saves cannot overlap.
    people = [operator.pk] + ([substitute.pk] if substitute is not None else [])
    list(get_user_model().objects.select_for_update().filter(pk__in=people))
    errors = absence_errors(operator, substitute, starts_at, ends_at)
    if errors:
        raise ValidationError(errors)
    absence = Absence(
        operator=operator,
        substitute=substitute,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=(reason or "").strip(),
        created_by=by,
    )
    absence.full_clean(exclude=["operator", "substitute", "created_by"])
    absence.save()
    record_audit(
        "absence_registered",
        by=by,
        obj=absence,
        details={
            "operator": operator.pk,
            "substitute": getattr(substitute, "pk", None),
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
        },
    )
    return absence


@transaction.atomic
def end_absence(absence: Absence, *, by, now=None) -> Absence | None:
    """End an absence now: one under way ends at once, one not yet begun is withdrawn (its
    row deleted; the audit log keeps it). An absence already over is left as it was."""
    if not may_register_absence_for(by, absence.operator):
        raise PermissionDeniedError
    now = now or timezone.now()
    locked = Absence.objects.select_for_update().get(pk=absence.pk)
    details = {
        "operator": locked.operator_id,
        "substitute": locked.substitute_id,
        "starts_at": locked.starts_at.isoformat(),
        "ends_at": locked.ends_at.isoformat(),
    }
    if locked.ends_at <= now:
        raise ValidationError({"ends_at": [_("Frånvaron är redan avslutad.")]})
    if locked.starts_at >= now:
        record_audit("absence_withdrawn", by=by, obj=locked, details=details)
        locked.delete()
        return None
    locked.ends_at = now
    locked.save(update_fields=["ends_at"])
    record_audit("absence_ended", by=by, obj=locked, details=details)
    return locked


def channel_unattended() -> Q:
    """The channel flag: active, with a current plan whose daily operators are all away
    without a substitute now; Informationsenheten must step in."""
    now = timezone.now()
    users = get_user_model().objects
    operators = users.filter(
        operated_plans__channel=OuterRef("pk"), operated_plans__status=PlanStatus.APPROVED
    )
    uncovered = Absence.objects.filter(_active(now), operator=OuterRef("pk"), substitute=None)
    return (
        Q(status=ChannelStatus.ACTIVE)
        & Exists(operators)
        & ~Exists(operators.exclude(Exists(uncovered)))
    )


# --- Warnings ------------------------------------------------------------------------------


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _recipients(people, absences) -> list:
    found = {}
    for person in people:
        standing_in = stand_in_for(person, absences=absences)
        if standing_in is not None and standing_in.is_active and standing_in.email:
            found[standing_in.pk] = standing_in
    return list(found.values())


def _claim(key: str, **fields) -> bool:
    """Insert the event's notice; False when it is there already (sent before)."""
    try:
        with transaction.atomic():
            SupervisionNotice.objects.create(key=key, **fields)
    except IntegrityError:
        return False
    return True


def deadline_warnings_due(now) -> list[Item]:
    """Open items with under 25 % of their time left (warn_at passed), not yet late. A warning
    that falls outside working hours waits for the next start of working hours (nobody is
    mailed on Sunday night about Monday afternoon), unless the deadline comes first."""
    calendar = working_calendar()
    due = []
    for item in (
        Item.objects.filter(status__in=OPEN, warn_at__lte=now, due_at__gt=now)
        .select_related("channel", "assigned_to")
        .order_by("due_at", "pk")
    ):
        send_from = clock_start(item.warn_at, calendar)
        if send_from <= now or send_from >= item.due_at:
            due.append(item)
    return due


def send_supervision_warnings(now=None) -> int:
    """Mail the operators, or their substitutes, once per event: an item's deadline about to
    pass, a channel's review overdue. Returns the number of mails sent."""
    now = now or timezone.now()
    absences = absences_at(now)
    items = deadline_warnings_due(now)
    reviews = [
        row
        for row in supervision_of(Channel.objects.filter(status=ChannelStatus.ACTIVE), now=now)
        if row.is_overdue
    ]
    plans = current_plans({item.channel_id for item in items})
    sent = 0
    for item in items:
        plan = plans.get(item.channel_id)
        if item.assigned_to is not None:
            people = [item.assigned_to]
        else:
            people = list(plan.daily_operators.all()) if plan else []
        sent += _notify(
            f"deadline:{item.pk}:{item.due_at.isoformat()}",
            SupervisionNotice.Kind.DEADLINE,
            item.channel,
            _recipients(people, absences),
            subject=_("Svarstiden går snart ut: %(channel)s"),
            body=_(
                "Ett inlägg i %(channel)s ska besvaras eller modereras senast %(due)s. Mindre än "
                "en fjärdedel av svarstiden återstår.\n\n%(link)s\n\n%(municipality)s"
            ),
            due=item.due_at,
            link=item.get_absolute_url(),
            item=item,
        )
    for row in reviews:
        sent += _notify(
            f"review:{row.channel.pk}:{row.due_at.isoformat()}",
            SupervisionNotice.Kind.REVIEW,
            row.channel,
            _recipients(row.operators, absences),
            subject=_("Tillsynen är försenad: %(channel)s"),
            body=_(
                "Kanalen %(channel)s skulle ha setts över senast %(due)s. %(interval)s Gå igenom "
                "kanalen och markera den som granskad:\n\n%(link)s\n\n%(municipality)s"
            ),
            due=row.due_at,
            link=reverse("moderation:supervision"),
            interval=row.interval.description,
        )
    return sent


def _notify(key, kind, channel, recipients, *, subject, body, due, link, item=None, **extra):
    """Claim the event, then mail each recipient; nothing when claimed before or nobody."""
    if not recipients or not _claim(
        key, kind=kind, channel=channel, item=item, recipients=[p.pk for p in recipients]
    ):
        return 0
    values = {
        "channel": channel,
        "due": f"{timezone.localtime(due):%Y-%m-%d %H:%M}",
        "link": _link(link),
        "municipality": settings.MUNICIPALITY_NAME,
        **extra,
    }
    return _send(subject % values, body % values, recipients)


def _send(subject: str, body: str, recipients) -> int:
    return sum(
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email], fail_silently=False)
        for person in recipients
    )
