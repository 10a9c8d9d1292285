"""Who may see which plan: the unit's staff, everyone named in it, and Informationsenheten."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from atvida_social.organisation.roles import is_information_unit

from .models import ActivityPlan
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
