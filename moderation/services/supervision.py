"""Supervision of the channels and absences (Bilaga 1; Rimliga svarstider): recording a
channel's review, whether a review is overdue, the operators' absences and who stands in for
them, and the warning mails about deadlines about to pass and overdue reviews.

How often a channel must be reviewed is `deadlines.review_interval`; who may register an
absence, and which channels a person looks after, are `selectors`.
"""

import datetime
import logging
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

from activityplans.selectors import current_plans
from activityplans.workflow import PlanStatus
from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError
from channels.models import Channel, ChannelStatus

from .. import selectors
from ..calendar import clock_start
from ..deadlines import ReviewInterval, interval_of_plan, review_interval, working_calendar
from ..models import Absence, ChannelReview, Item, SupervisionNotice

logger = logging.getLogger(__name__)

# A warning claimed longer ago than this and still not sent was left by a run that died
# (killed, or past its time limit); the next run mails it. Longer than the task's hard time
# limit, so that a run still mailing is not overtaken.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)

# An absence is planned within a year; the bounds keep every date storable.
MAX_ABSENCE = datetime.timedelta(days=366)
EARLIEST_YEAR, LATEST_YEAR = 2000, 2999


def last_review_at(channel) -> datetime.datetime | None:
    return channel.reviews.aggregate(last=Max("reviewed_at"))["last"]


def counted_from(channel) -> datetime.datetime:
    """When the channel became active; its registration for a channel activated before the
    tool recorded activations (and migrated without a trace of it)."""
    return channel.activated_at or channel.created_at


def review_due_at(channel, interval: ReviewInterval, last: datetime.datetime | None):
    """The next review's deadline, counted from the last review, or from the activation when
    there is no review since (a review before the channel became active does not count)."""
    if last is None or (channel.activated_at is not None and last < channel.activated_at):
        return interval.next_due(counted_from(channel))
    return interval.next_due(last)


def is_review_overdue(channel, *, now=None) -> bool:
    """now past the next review's deadline (`review_due_at`)."""
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


@transaction.atomic
def mark_channel_reviewed(channel, *, by, now=None, decision=None) -> ChannelReview:
    """Record a review of the channel, append-only. A decision on one of its items records
    one too (moderation.services), in the decision's transaction."""
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
    if not selectors.may_register_absence_for(by, operator):
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
    if not selectors.may_register_absence_for(by, absence.operator):
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


def _claim(key: str, *, now, **fields) -> SupervisionNotice | None:
    """Take the event's notice for this run: a new one, or one whose mail failed (released)
    or whose sender died (claimed more than CLAIM_TIMEOUT ago) and that is not yet sent.
    None when it is sent, or another run is sending it at this moment."""
    try:
        with transaction.atomic():
            return SupervisionNotice.objects.create(key=key, claimed_at=now, **fields)
    except IntegrityError:
        pass
    # One conditional UPDATE: of two runs retrying at once, one takes it.
    taken = (
        SupervisionNotice.objects.filter(key=key, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now, recipients=fields["recipients"])
    )
    return SupervisionNotice.objects.get(key=key) if taken else None


def deadline_warnings_due(now) -> list[Item]:
    """Open items that are soon late (`Item.objects.soon_late`: under 25 % of their time
    left). A warning that falls outside working hours waits for the next start of working
    hours (nobody is mailed on Sunday night about Monday afternoon), unless the deadline comes
    first."""
    calendar = working_calendar()
    due = []
    for item in (
        Item.objects.open()
        .soon_late(now)
        .select_related("channel", "assigned_to")
        .order_by("due_at", "pk")
    ):
        send_from = clock_start(item.warn_at, calendar)
        if send_from <= now or send_from >= item.due_at:
            due.append(item)
    return due


def send_supervision_warnings(now=None) -> int:
    """Mail the operators, or their substitutes, once per event: an item's deadline about to
    pass, a channel's review overdue. A warning whose mail fails waits for the next run while
    the others go out (`_notify`). Returns the number of mails sent."""
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
    """Claim the event, mail each recipient not yet mailed, then mark it sent; nothing when
    it was sent before, another run holds it, or there is nobody to mail. A mail that fails
    releases the claim with the error, for the next run to try again, and stops only this
    event's mails. Returns the number of mails sent."""
    now = timezone.now()
    if not recipients:
        return 0
    notice = _claim(
        key, now=now, kind=kind, channel=channel, item=item, recipients=[p.pk for p in recipients]
    )
    if notice is None:
        return 0
    values = {
        "channel": channel,
        "due": f"{timezone.localtime(due):%Y-%m-%d %H:%M}",
        "link": _link(link),
        "municipality": settings.MUNICIPALITY_NAME,
        **extra,
    }
    sent = 0
    for person in recipients:
        if person.pk in notice.mailed:
            continue
        try:
            send_mail(
                subject % values,
                body % values,
                settings.DEFAULT_FROM_EMAIL,
                [person.email],
                fail_silently=False,
            )
        except OSError as error:  # smtplib's errors and a refused connection alike
            notice.claimed_at = None
            notice.attempts += 1
            notice.last_error = f"{type(error).__name__}: {error}"[:2000]
            notice.save(update_fields=["claimed_at", "attempts", "last_error"])
            logger.warning(
                "Supervision warning %s not mailed (attempt %s); the next run tries again.",
                key,
                notice.attempts,
                exc_info=True,
            )
            return sent
        sent += 1
        notice.mailed = [*notice.mailed, person.pk]
        notice.save(update_fields=["mailed"])
    notice.sent_at = timezone.now()
    notice.attempts += 1
    notice.last_error = ""
    notice.save(update_fields=["sent_at", "attempts", "last_error"])
    return sent
