"""Who may see and handle what in moderation; the queue's reads."""

from activityplans.selectors import current_plan
from atvida_social.organisation.roles import is_information_unit

from .models import Item
from .workflow import OPEN, ItemStatus


def may_moderate(user, channel) -> bool:
    """Informationsenheten, and the daily operators and administrators of the channel's
    current plan (the plan in force decides who runs the channel), and, while one of them is
    away, the substitute named for the absence."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_information_unit(user):
        return True
    plan = current_plan(channel)
    if plan is None:
        return False
    return (
        plan.daily_operators.filter(pk=user.pk).exists()
        or plan.administrators.filter(pk=user.pk).exists()
        or _standing_in(plan).filter(substitute=user).exists()
    )


def _standing_in(plan):
    """The absences, now, of the plan's operators and administrators."""
    from django.db.models import Q
    from django.utils import timezone

    from .models import Absence

    now = timezone.now()
    return Absence.objects.filter(
        Q(operator__operated_plans=plan) | Q(operator__administered_plans=plan),
        starts_at__lte=now,
        ends_at__gt=now,
    )


def moderators_of(channel):
    """The people an item of the channel can be assigned to: its current plan's daily
    operators and administrators, and the substitutes of those of them who are away."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    plan = current_plan(channel)
    if plan is None:
        return get_user_model().objects.none()
    substitutes = _standing_in(plan).values("substitute")
    return (
        get_user_model()
        .objects.filter(
            Q(operated_plans=plan) | Q(administered_plans=plan) | Q(pk__in=substitutes),
            is_active=True,
        )
        .distinct()
    )


def may_handle(user, item: Item) -> bool:
    """Who may decide on an item: its channel's moderators, and, while it is forwarded, the
    official or the staff of the unit it was forwarded to."""
    if may_moderate(user, item.channel):
        return True
    if item.status != ItemStatus.FORWARDED or not user.is_active:
        return False
    if item.assigned_to_id is not None and item.assigned_to_id == user.pk:
        return True
    return item.forwarded_unit_id is not None and item.forwarded_unit_id == user.unit_id


def items_for_viewer(user):
    """A unit's staff see their unit's channels; Informationsenheten sees all; an item
    forwarded to an official or a unit is seen there too while it is forwarded."""
    from django.db.models import Q

    visible = Item.objects.visible_to(user)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return visible
    if is_information_unit(user):
        return visible
    forwarded = Q(assigned_to=user)
    if user.unit_id is not None:
        forwarded |= Q(forwarded_unit=user.unit_id)
    return visible | Item.objects.filter(forwarded, status=ItemStatus.FORWARDED)


def item_for_viewer(user, pk: int) -> Item:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(items_for_viewer(user).select_related("channel__unit"), pk=pk)


def queue(user):
    """What needs handling, due first, loaded for the list in a constant number of queries."""
    return (
        items_for_viewer(user)
        .filter(status__in=OPEN)
        .select_related("channel__unit", "assigned_to", "parent")
        .prefetch_related("matches")
        .order_by("due_at", "received_at", "pk")
    )


def thread(item: Item) -> list[Item]:
    """The item's thread: its root and every reply under it, in time order."""
    root = item
    seen = {root.pk}
    while root.parent_id and root.parent_id not in seen:
        root = Item.objects.select_related("parent").get(pk=root.parent_id)
        seen.add(root.pk)
    items = [root]
    frontier = [root.pk]
    while frontier:
        children = list(Item.objects.filter(parent_id__in=frontier).order_by("received_at", "pk"))
        items.extend(children)
        frontier = [child.pk for child in children if child.pk not in seen]
        seen.update(frontier)
    return sorted(items, key=lambda i: (i.received_at, i.pk))


def decisions_of(item: Item):
    return item.decisions.select_related("actor", "forwarded_to", "forwarded_to_unit")


def statistics_scope(user, *, unit=None, channel=None):
    """What the statistics page shows: (the rows of the chosen scope, the rows it breaks down
    into, the scope's name). `unit` and `channel` must already be ones the user sees; with
    neither, Informationsenheten gets the whole municipality by unit and a unit's staff their
    own unit by channel."""
    from django.db.models import Q
    from django.utils.translation import gettext as _

    if channel is not None:
        return Q(channel=channel), None, str(channel)
    if unit is None and is_information_unit(user):
        return (
            Q(unit__isnull=True, channel__isnull=True),
            Q(unit__isnull=False, channel__isnull=True),
            _("Hela kommunen"),
        )
    if unit is None:
        unit = user.unit if getattr(user, "unit_id", None) else None
    if unit is None:
        return None, None, ""
    return Q(unit=unit, channel__isnull=True), Q(unit=unit, channel__isnull=False), str(unit)
