"""Who may see which plan: the unit's staff, everyone named in it, and Informationsenheten."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from atvida_social.organisation.roles import is_information_unit
from channels.models import Channel, ChannelStatus

from .models import ActivityPlan, Credential
from .workflow import PlanStatus


def plans_for_viewer(user):
    if not getattr(user, "is_authenticated", False):
        return ActivityPlan.objects.none()
    visible = ActivityPlan.objects.visible_to(user).values("pk")
    involved = ActivityPlan.objects.involving(user).values("pk")
    return ActivityPlan.objects.filter(Q(pk__in=visible) | Q(pk__in=involved)).select_related(
        "unit__administration", "manager", "prepared_by"
    )


def plan_for_viewer(user, pk: int) -> ActivityPlan:
    return get_object_or_404(plans_for_viewer(user), pk=pk)


def plans_to_sign(user):
    """Plans waiting for this user's signature on their current content."""
    waiting = ActivityPlan.objects.filter(status=PlanStatus.AWAITING_SIGNATURES).filter(
        pk__in=ActivityPlan.objects.involving(user).values("pk")
    )
    return [
        plan
        for plan in waiting.select_related("unit", "manager").prefetch_related(
            "administrators", "daily_operators", "signatures"
        )
        if user in plan.required_signers() and not plan_signed_by(plan, user)
    ]


def plans_to_review(user):
    if not is_information_unit(user):
        return ActivityPlan.objects.none()
    return ActivityPlan.objects.filter(
        status__in=[PlanStatus.SIGNED, PlanStatus.IN_REVIEW]
    ).select_related("unit")


def my_plans(user):
    return ActivityPlan.objects.filter(prepared_by=user).select_related("unit")


def valid_signatures(plan: ActivityPlan) -> list:
    current = plan.content_hash()
    return [s for s in plan.signatures.all() if s.content_hash == current]


def plan_signed_by(plan: ActivityPlan, user) -> bool:
    return any(s.signer_id == user.pk for s in valid_signatures(plan))


def missing_signers(plan: ActivityPlan) -> list:
    signed = {s.signer_id for s in valid_signatures(plan)}
    return [user for user in plan.required_signers() if user.pk not in signed]


# The register's follow-up (issue 7, "The register"): the channel list's flags and the daily
# reminder. "Current plan" is the channel's plan with status APPROVED (a later approved
# revision supersedes the earlier one); it entered that status when it was approved, so its
# status_changed_at is the approval time.

HANDOVER_DAYS = 14


def handover_cutoff(today: datetime.date | None = None) -> datetime.datetime:
    """Plans approved before this instant have had their 14 days to hand over the login
    (Aktivitetsplan: after the start the login goes to Informationsenheten)."""
    today = today or timezone.localdate()
    start = datetime.datetime.combine(
        today - datetime.timedelta(days=HANDOVER_DAYS), datetime.time.min
    )
    return timezone.make_aware(start)


def _current_plans_of_outer_channel():
    return ActivityPlan.objects.filter(channel=OuterRef("pk"), status=PlanStatus.APPROVED)


def channel_lacks_current_plan() -> Q:
    """A condition on Channel rows: in use or planned, but no approved plan (a closed channel
    needs none)."""
    return ~Q(status=ChannelStatus.CLOSED) & ~Exists(_current_plans_of_outer_channel())


def channel_login_overdue(today: datetime.date | None = None) -> Q:
    """A condition on Channel rows: active, its current plan approved more than 14 days ago,
    and no login handed over."""
    approved_long_ago = _current_plans_of_outer_channel().filter(
        status_changed_at__lt=handover_cutoff(today)
    )
    handed_over = Credential.objects.filter(channel=OuterRef("pk"))
    return Q(status=ChannelStatus.ACTIVE) & Exists(approved_long_ago) & ~Exists(handed_over)


def plans_with_overdue_login(today: datetime.date | None = None) -> list[ActivityPlan]:
    """The current plans of channels whose login is overdue, one per channel (the latest
    revision), with the administrators who should hand it over."""
    plans = (
        ActivityPlan.objects.filter(
            status=PlanStatus.APPROVED,
            channel__in=Channel.objects.filter(channel_login_overdue(today)),
        )
        .select_related("channel")
        .prefetch_related("administrators")
        .order_by("channel__account_name", "channel_id", "-revision")
    )
    by_channel: dict[int, ActivityPlan] = {}
    for plan in plans:
        by_channel.setdefault(plan.channel_id, plan)
    return list(by_channel.values())
