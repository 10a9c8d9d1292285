"""Who may do what in moderation, and what each person sees: the one place these questions
are answered. Views, services and templates ask here and never repeat a rule.

- channels and units: `channels_for_viewer`, `units_for_viewer`;
- an item: `may_moderate` (its channel), `may_handle` (decide on it), `items_for_viewer`,
  `item_for_viewer`, `queue`, `may_read_removed_text`, `text_visible_to`,
  `versions_visible_to`, `highlighted`;
- supervision: `supervised_channels`, `substituted_by`, `absences_for_viewer`,
  `may_register_absence_for`, `absence_people`;
- the rules and the machine ways in: `may_keep_rules`, `may_manage_ways_in`;
- statistics: `statistics_units` and `statistics_channels` (whose figures the user may
  see; the page's filters offer only these), `statistics_scope`.
"""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from activityplans.selectors import current_plan
from activityplans.workflow import PlanStatus
from atvida_social.organisation.models import Unit
from atvida_social.organisation.roles import Role, has_role, is_information_unit
from channels.models import Channel, ChannelStatus

from .models import Absence, Item, RuleMatch
from .workflow import OPEN, ItemStatus

# --- Channels and items ---------------------------------------------------------------------


def channels_for_viewer(user):
    """The channels a person sees: their unit's; Informationsenheten's, all."""
    return Channel.objects.visible_to(user)


def units_for_viewer(user):
    """The units a person sees: their own; Informationsenheten's, all."""
    return Unit.objects.visible_to(user)


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
    now = timezone.now()
    return Absence.objects.filter(
        Q(operator__operated_plans=plan) | Q(operator__administered_plans=plan),
        starts_at__lte=now,
        ends_at__gt=now,
    )


def moderators_of(channel):
    """The people an item of the channel can be assigned to: its current plan's daily
    operators and administrators, and the substitutes of those of them who are away."""
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
    return get_object_or_404(items_for_viewer(user).select_related("channel__unit"), pk=pk)


def queue(user):
    """What needs handling, due first, loaded for the list in a constant number of queries;
    ``item.acting_matches`` are its matches outside test mode, by category (the list shows
    each category once)."""
    acting = (
        RuleMatch.objects.filter(test_mode=False)
        .only("pk", "item_id", "category")
        .order_by("category", "pk")
    )
    return (
        items_for_viewer(user)
        .filter(status__in=OPEN)
        .select_related("channel__unit", "assigned_to", "parent")
        .prefetch_related(Prefetch("matches", queryset=acting, to_attr="acting_matches"))
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


def may_read_removed_text(user) -> bool:
    """A text removed for a breach (or for secrecy) is Informationsenheten's to read."""
    return is_information_unit(user)


def text_visible_to(item: Item, user) -> bool:
    """A text removed for a breach is seen by Informationsenheten only, until it is purged."""
    if item.status in (ItemStatus.REMOVED, ItemStatus.SECRET):
        return may_read_removed_text(user) and item.text_purged_at is None
    return True


def versions_visible_to(item: Item, user) -> list:
    """The item's earlier texts (edits on the platform), newest first, to whoever may read
    its text; empty for anyone else."""
    if not text_visible_to(item, user):
        return []
    return list(item.versions.all())


def highlighted(item: Item, user) -> list[tuple[str, object]]:
    """The text cut into (piece, match or None), so that the template marks each match; empty
    for a viewer who may not read the text."""
    if not text_visible_to(item, user):
        return []
    text = item.text
    pieces, position = [], 0
    for match in sorted(item.matches.all(), key=lambda m: (m.start, -m.end)):
        start, end = max(match.start, position), min(match.end, len(text))
        if start >= end:
            continue
        if start > position:
            pieces.append((text[position:start], None))
        pieces.append((text[start:end], match))
        position = end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


def may_keep_rules(user) -> bool:
    """The rules and the domain lists are Informationsenheten's."""
    return is_information_unit(user)


def may_manage_ways_in(user) -> bool:
    """API tokens and webhook subscriptions are Informationsenheten's."""
    return is_information_unit(user)


# --- Supervision and absences ---------------------------------------------------------------


def substituted_by(user, at=None) -> list[int]:
    """The ids of the people `user` stands in for at `at`."""
    at = at or timezone.now()
    return list(
        Absence.objects.filter(starts_at__lte=at, ends_at__gt=at, substitute=user).values_list(
            "operator_id", flat=True
        )
    )


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


def absence_people(user):
    """Whom the user may register an absence for, and the colleagues offered as substitutes."""
    staff = get_user_model().objects.filter(is_active=True).select_related("unit")
    if is_information_unit(user):
        return staff, staff
    colleagues = staff.filter(unit_id=user.unit_id) if user.unit_id else staff.filter(pk=user.pk)
    if has_role(user, Role.MANAGER):
        return colleagues, colleagues
    return staff.filter(pk=user.pk), colleagues


# --- Statistics -----------------------------------------------------------------------------


def statistics_units(user):
    """The units whose statistics the user may see: those the user sees."""
    return units_for_viewer(user)


def statistics_channels(user):
    """The channels whose statistics the user may see: those the user sees."""
    return channels_for_viewer(user).order_by("account_name", "pk")


def statistics_scope(user, *, unit=None, channel=None):
    """What the statistics page shows: (the rows of the chosen scope, the rows it breaks down
    into, the scope's name). `unit` and `channel` must be among `statistics_units(user)` and
    `statistics_channels(user)`; with neither, Informationsenheten gets the whole
    municipality by unit and a unit's staff their own unit by channel."""
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
