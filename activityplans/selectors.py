"""Who may see and do what with a plan, answered here once for views, templates and services;
and the reads that other apps use ("the current plan of a channel")."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from atvida_social.organisation.roles import Role, has_role, is_information_unit
from channels.models import Channel, ChannelStatus

from .models import ActivityPlan, Credential, GraphicProfile
from .workflow import OPEN, TRANSITIONS, Actor, PlanStatus

# --- The current plan -----------------------------------------------------------------


def current_plan(channel) -> ActivityPlan | None:
    """The approved, not superseded plan in force for a channel: its administrators, daily
    operators and monitoring are the ones that count (at most one, by a database constraint)."""
    if channel is None or channel.pk is None:
        return None
    return (
        ActivityPlan.objects.filter(channel=channel, status=PlanStatus.APPROVED)
        .select_related("unit", "manager")
        .first()
    )


def current_plans(channel_ids) -> dict[int, ActivityPlan]:
    """The plan in force of each channel, by channel id, with its daily operators and
    administrators: two queries whatever the number of channels (start page, task, lists)."""
    plans = ActivityPlan.objects.filter(
        channel_id__in=list(channel_ids), status=PlanStatus.APPROVED
    ).prefetch_related("daily_operators", "administrators")
    return {plan.channel_id: plan for plan in plans}


def is_current(plan: ActivityPlan) -> bool:
    return plan.status == PlanStatus.APPROVED and plan.channel_id is not None


def open_plan_for_channel(channel) -> ActivityPlan | None:
    return ActivityPlan.objects.filter(channel=channel, status__in=OPEN).first()


def replaced_by(plan: ActivityPlan) -> ActivityPlan | None:
    """The approved revision that superseded this plan."""
    if plan.status != PlanStatus.SUPERSEDED:
        return None
    return (
        plan.revisions.filter(status__in=[PlanStatus.APPROVED, PlanStatus.SUPERSEDED])
        .order_by("revision")
        .first()
    )


# --- Who may act ----------------------------------------------------------------------


def may_act_for_unit(user, unit) -> bool:
    """Drafting, editing, submitting and revising: a member of the unit who holds Kontoansvarig
    or Ansvarig chef, or Informationsenheten, at the time of acting. Authorship gives nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or unit is None:
        return False
    if is_information_unit(user):
        return True
    unit_id = getattr(unit, "pk", unit)
    return user.unit_id == unit_id and (
        has_role(user, Role.ACCOUNT_OWNER) or has_role(user, Role.MANAGER)
    )


def may_draw_up(user) -> bool:
    """May start a new plan at all (for their own unit, or any unit for Informationsenheten)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_information_unit(user) or (
        user.unit_id is not None and may_act_for_unit(user, user.unit_id)
    )


def is_signer(user, plan: ActivityPlan) -> bool:
    return any(u.pk == user.pk for u in plan.required_signers())


def may_take(user, plan: ActivityPlan, actor: str) -> bool:
    if actor == Actor.UNIT:
        return may_act_for_unit(user, plan.unit_id)
    if actor == Actor.SIGNER:
        return is_signer(user, plan)
    return is_information_unit(user)


def can_transition_to(user, plan: ActivityPlan, target: str) -> bool:
    actor = TRANSITIONS.get((plan.status, target))
    return actor is not None and may_take(user, plan, actor)


def may_edit(user, plan: ActivityPlan) -> bool:
    return plan.is_editable and may_act_for_unit(user, plan.unit_id)


def may_sign(user, plan: ActivityPlan) -> bool:
    return plan.status == PlanStatus.AWAITING_SIGNATURES and is_signer(user, plan)


def may_revise(user, plan: ActivityPlan) -> bool:
    return is_current(plan) and may_act_for_unit(user, plan.unit_id)


def may_hand_over(user, plan: ActivityPlan) -> bool:
    """The account owners named in the channel's current plan hand the login over; an
    administrator removed in a later revision loses the right at once."""
    return is_current(plan) and any(owner.pk == user.pk for owner in plan.administrators.all())


def allowed_actions(user, plan: ActivityPlan) -> dict[str, bool]:
    """Every action on the plan page, for the template: it repeats no status or role."""
    info = is_information_unit(user)
    in_review = plan.status == PlanStatus.IN_REVIEW
    return {
        "edit": may_edit(user, plan),
        "submit": can_transition_to(user, plan, PlanStatus.AWAITING_SIGNATURES),
        "withdraw": plan.status == PlanStatus.AWAITING_SIGNATURES
        and can_transition_to(user, plan, PlanStatus.DRAFT),
        "sign": may_sign(user, plan) and not plan_signed_by(plan, user),
        "start_review": can_transition_to(user, plan, PlanStatus.IN_REVIEW),
        "decide_graphic_profile": info
        and in_review
        and plan.graphic_profile == GraphicProfile.DEVIATION,
        "decide": info and in_review,
        "publish": info and is_current(plan),
        "hand_over": may_hand_over(user, plan),
        "revise": may_revise(user, plan),
    }


# --- Reads ----------------------------------------------------------------------------


def plans_for_viewer(user):
    """Informationsenheten sees every plan; the unit's staff and anyone named in a plan see it."""
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
        for plan in waiting.select_related("unit__administration", "manager").prefetch_related(
            "administrators", "daily_operators", "signatures"
        )
        if is_signer(user, plan) and not plan_signed_by(plan, user)
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


def graphic_profile_decision(plan: ActivityPlan) -> bool | None:
    """Informationsenheten's decision on a requested deviation, if it was taken on the
    content as it is now (None: undecided, or the plan changed after the decision)."""
    if plan.graphic_profile != GraphicProfile.DEVIATION:
        return None
    if plan.graphic_profile_decided_hash != plan.content_hash():
        return None
    return plan.graphic_profile_approved


# The register's follow-up: the channel list's flags and the daily
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
