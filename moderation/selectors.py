"""Who may do what in moderation, and what each person sees: the one place these questions
are answered. Views, services and templates ask here and never repeat a rule.

- channels and units: `channels_for_viewer`, `units_for_viewer`;
- an item: `may_moderate` (its channel), `may_handle` (decide on it), `items_for_viewer`,
  `item_for_viewer`, `queue`, `unregistered_messages`, `may_read_removed_text`,
  `text_visible_to`, `held_by_rule`, `versions_visible_to`, `highlighted`;
- a thread: `thread_items` (the whole thread, each item with its depth, for whatever shows or
  exports it), `thread_for_page` (the same, bounded, for an item's page), `visible_among`,
  `with_ancestors`;
- what may be decided on an item: `judged_categories`, `decisions_open_to` (the table and
  the guideline's duties of `workflow.may_decide`);
- supervision: `supervised_channels`, `substituted_by`, `absences_for_viewer`,
  `may_register_absence_for`, `absence_people`;
- the rules and the machine ways in: `may_keep_rules`, `may_manage_ways_in`;
- platform connections: `may_manage_connection`, `channel_for_connection_manager`,
  `connections_for_list`, `broken_connections_for`, `failed_on_platform`,
  `platform_actions_prefetch`, `rejects_instead_of_removing`;
- the profile on the platform: `profile_for_snapshot` (as last read, with its versions);
- statistics: `statistics_units` and `statistics_channels` (whose figures the user may
  see; the page's filters offer only these), `statistics_scope`.
"""

import dataclasses

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, Prefetch, Q, Value, When
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from activityplans.selectors import current_plan
from activityplans.workflow import PlanStatus
from atvida_social.organisation.models import Unit
from atvida_social.organisation.roles import Role, has_role, is_information_unit
from channels.models import Channel, ChannelStatus

from . import workflow
from .models import (
    Absence,
    ConnectionState,
    Item,
    PlatformAction,
    PlatformActionState,
    PlatformConnection,
    ProfileVersion,
    RuleMatch,
)
from .querysets import UNREGISTERED_MESSAGE
from .workflow import HIDES, OPEN, DecisionKind, ItemStatus

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


# The queue's order: what may hold secret information before everything else (earliest
# flagged first), then due first.
QUEUE_ORDER = (F("secrecy_flagged_at").asc(nulls_last=True), "due_at", "received_at", "pk")


def acting_matches() -> Prefetch:
    """``item.acting_matches``: an item's matches outside test mode, by category, for a list
    that shows each category once."""
    acting = (
        RuleMatch.objects.filter(test_mode=False)
        .only("pk", "item_id", "category")
        .order_by("category", "pk")
    )
    return Prefetch("matches", queryset=acting, to_attr="acting_matches")


def queue(user):
    """What needs handling, secrecy first and then due first, loaded for the list in a
    constant number of queries; ``item.acting_matches`` are its matches outside test mode, by
    category (the list shows each category once). An item marked secret stays until its
    removal from the platform is confirmed (`ItemQuerySet.in_queue`)."""
    return (
        items_for_viewer(user)
        .in_queue()
        .select_related("channel__unit", "assigned_to", "parent")
        .prefetch_related(acting_matches(), platform_actions_prefetch())
        .order_by(*QUEUE_ORDER)
    )


# The most items an item's page lists of its thread; a thread under a busy post can hold
# thousands. The item's own line, what it answers and what answers it come first.
THREAD_SHOWN = 300


@dataclasses.dataclass(frozen=True)
class ThreadEntry:
    """One item of a thread, its depth under the thread's root (the root is 0)."""

    item: Item
    depth: int


def _thread_sql(item_pk: int) -> RawSQL:
    """The ids of the item's whole thread: up from the item to its root, then down from the
    root to every reply at every depth, walked inside one statement (PostgreSQL and SQLite
    both have WITH RECURSIVE). UNION, not UNION ALL: a loop in the parents ends the walk.
    A chain that loops without a root is walked down from the item itself."""
    # Only the model's own table name is formatted in; the id is a parameter.
    table = Item._meta.db_table
    sql = f"""
        WITH RECURSIVE
        up(id, parent_id) AS (
            SELECT id, parent_id FROM {table} WHERE id = %s
            UNION
            SELECT p.id, p.parent_id FROM {table} p JOIN up ON p.id = up.parent_id
        ),
        down(id) AS (
            SELECT COALESCE((SELECT id FROM up WHERE parent_id IS NULL LIMIT 1), %s)
            UNION
            SELECT c.id FROM {table} c JOIN down ON c.parent_id = down.id
        )
        SELECT id FROM down
    """  # noqa: S608
    return RawSQL(sql, [item_pk, item_pk])  # noqa: S611


def _in_thread_order(rows, current_pk: int) -> list[tuple[int, int]]:
    """(id, depth) in reading order: each item followed by its replies, replies in time order.
    `rows` are (id, parent id, received_at) of one thread."""
    known = {pk for pk, _parent, _at in rows}
    children: dict[int | None, list[tuple]] = {}
    for pk, parent, at in rows:
        children.setdefault(parent if parent in known else None, []).append((at, pk))
    roots = sorted(children.get(None, [])) or [(None, current_pk)]
    ordered, seen = [], set()
    stack = [(pk, 0) for _at, pk in reversed(roots)]
    while stack:
        pk, depth = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        ordered.append((pk, depth))
        stack.extend(
            (child, depth + 1) for _at, child in sorted(children.get(pk, []), reverse=True)
        )
    return ordered


def _shown(ordered: list[tuple[int, int]], parents: dict, current_pk: int, limit: int) -> set:
    """The ids a page shows of a thread larger than `limit`: what the item answers (up to the
    root), the item, what answers it, then the rest in reading order. Each shown item's
    parent is shown too, so that the indentation still says what answers what."""
    path, pk, seen = [], current_pk, set()
    while pk is not None and pk not in seen:
        seen.add(pk)
        path.append(pk)
        pk = parents.get(pk)
    position = next(i for i, (pk, _depth) in enumerate(ordered) if pk == current_pk)
    own_depth = ordered[position][1]
    below = []
    for pk, depth in ordered[position + 1 :]:
        if depth <= own_depth:
            break
        below.append(pk)
    shown: dict[int, None] = {}
    for pk in [*reversed(path), *below, *(pk for pk, _depth in ordered)]:
        if len(shown) >= limit:
            break
        shown[pk] = None
    return set(shown)


def _thread(item: Item, limit: int | None) -> tuple[list[ThreadEntry], int]:
    in_thread = Item.objects.filter(pk__in=_thread_sql(item.pk))
    if limit is None:
        loaded = {i.pk: i for i in in_thread.select_related("channel")}
        ordered = _in_thread_order(
            [(i.pk, i.parent_id, i.received_at) for i in loaded.values()], item.pk
        )
        total = len(ordered)
    else:
        rows = list(in_thread.order_by().values_list("pk", "parent_id", "received_at"))
        ordered = _in_thread_order(rows, item.pk)
        total = len(ordered)
        if total > limit:
            parents = {pk: parent for pk, parent, _at in rows}
            shown = _shown(ordered, parents, item.pk, limit)
            ordered = [(pk, depth) for pk, depth in ordered if pk in shown]
        loaded = Item.objects.select_related("channel").in_bulk([pk for pk, _depth in ordered])
    # The item itself as the caller has it, with whatever the caller loaded for it.
    loaded[item.pk] = item
    return [ThreadEntry(loaded[pk], depth) for pk, depth in ordered if pk in loaded], total


def thread_items(item: Item) -> list[ThreadEntry]:
    """The item's whole thread from its root, every reply at every depth, in reading order
    (each item followed by its replies, in time order), each with its depth: one query
    whatever the depth or the size. For whatever shows or exports a thread whole."""
    return _thread(item, None)[0]


def thread_for_page(item: Item, *, limit: int | None = None) -> tuple[list[ThreadEntry], int]:
    """(the entries an item's page lists, how many items the thread holds): as
    `thread_items`, cut to `limit` items around the item (`_shown`) when the thread is
    larger; two queries whatever the depth or the size."""
    return _thread(item, limit or THREAD_SHOWN)


def visible_among(user, item_ids) -> set[int]:
    """Those of `item_ids` the user may open (`items_for_viewer`): in a thread, an official an
    item was forwarded to sees where it stands, but opens only what was forwarded."""
    return set(items_for_viewer(user).filter(pk__in=list(item_ids)).values_list("pk", flat=True))


def with_ancestors(items) -> dict[int, int | None]:
    """Item → parent for each of `items` (a queryset) and every item above them, in one
    query however long the chains."""
    seed, params = items.order_by().values("pk").query.sql_with_params()
    table = Item._meta.db_table
    sql = f"""
        WITH RECURSIVE up(id, parent_id) AS (
            SELECT id, parent_id FROM {table} WHERE id IN ({seed})
            UNION
            SELECT p.id, p.parent_id FROM {table} p JOIN up ON p.id = up.parent_id
        )
        SELECT id FROM up
    """  # noqa: S608
    return dict(
        Item.objects.filter(pk__in=RawSQL(sql, params))  # noqa: S611
        .order_by()
        .values_list("pk", "parent_id")
    )


def unregistered_messages(user):
    """Direct messages the user sees that still wait to be registered or judged trivial
    ("Meddelanden som skickas direkt … diarieförs"), oldest first, for a list."""
    return (
        items_for_viewer(user)
        .unregistered_messages()
        .select_related("channel__unit", "assigned_to", "parent")
        .prefetch_related(acting_matches(), platform_actions_prefetch())
        .order_by("received_at", "pk")
    )


def decidable_in_bulk(user):
    """The items the queue's bulk decision may name: the queue's, and the unregistered direct
    messages its filter lists."""
    return items_for_viewer(user).filter(Q(status__in=OPEN) | UNREGISTERED_MESSAGE)


def judged_categories(item: Item) -> frozenset[str]:
    """The categories persons judged the item to be in: those their decisions named (a
    removal names what it removed the item for). A rule's automatic hiding is no judgement."""
    return frozenset(
        item.decisions.filter(actor__isnull=False)
        .exclude(category="")
        .values_list("category", flat=True)
        .distinct()
    )


def decisions_open_to(item: Item) -> list[str]:
    """The decisions a person may take on the item now (`workflow.may_decide`), for the form."""
    return workflow.decisions_open_to(item.kind, item.status, judged=judged_categories(item))


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


def held_by_rule(item: Item) -> bool:
    """Hidden (by a rule, or by a person pending review) and not yet judged: hidden, or
    forwarded (once or more) since it was hidden. Forwarding passes an item on without
    judging what it says, so a text a rule hid (a personnummer, say) stays out of the archive
    until a person keeps it, or decides on it in another way that leaves it public
    (Sekretess). Reads the item's
    decisions (prefetch them for many items); `ItemQuerySet.with_held_by_rule` is the same
    rule in SQL, and a test holds them equal."""
    if item.status == ItemStatus.HIDDEN:
        return True
    if item.status != ItemStatus.FORWARDED:
        return False
    judged = [d for d in item.decisions.all() if d.kind != DecisionKind.FORWARD]
    return bool(judged) and max(judged, key=lambda d: d.pk).kind in HIDES


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


# --- Platform connections -------------------------------------------------------------------


def may_manage_connection(user, channel) -> bool:
    """A channel's platform access is entered, tested and removed by Informationsenheten and by
    the account owners (administratörer) named on the channel's current plan, who hand the
    login over (Roller och ansvar)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_information_unit(user):
        return True
    plan = current_plan(channel)
    return plan is not None and plan.administrators.filter(pk=user.pk).exists()


def channel_for_connection_manager(user, pk: int) -> Channel:
    """The channel whose connection the user manages: 404 for a channel the user does not
    see, PermissionDenied for one seen but not managed."""
    channel = get_object_or_404(channels_for_viewer(user).select_related("unit"), pk=pk)
    if not may_manage_connection(user, channel):
        raise PermissionDenied
    return channel


def connection_for_viewer(user, pk: int) -> PlatformConnection:
    """The connection of a channel the user sees, 404 otherwise (and for an unconnected
    channel). Who may test, pull or remove it is the services' rule (`may_manage_connection`),
    so that their refusal is the one answer, a 403."""
    channel = get_object_or_404(channels_for_viewer(user), pk=pk)
    return get_object_or_404(
        PlatformConnection.objects.select_related("channel__unit"), channel=channel
    )


def connections_for_list():
    """Every connection, the broken ones first, then those whose last pull failed, then by
    channel: Informationsenheten's overview."""
    return (
        PlatformConnection.objects.select_related("channel__unit")
        .annotate(
            is_broken_first=Case(
                When(state=ConnectionState.BROKEN, then=Value(0)), default=Value(1)
            ),
            pull_failed_first=Case(When(last_pull_error="", then=Value(1)), default=Value(0)),
        )
        .order_by("is_broken_first", "pull_failed_first", "channel__account_name", "pk")
    )


def channel_connection_broken() -> Q:
    """The channel flag: the platform refused the channel's access."""
    return Q(platform_connection__state=ConnectionState.BROKEN)


def broken_connections_for(user):
    """The broken connections the user may mend: all for Informationsenheten, those of the
    channels whose current plan names the user an administrator otherwise."""
    broken = PlatformConnection.objects.filter(state=ConnectionState.BROKEN).select_related(
        "channel"
    )
    if is_information_unit(user):
        return broken
    return broken.filter(
        channel__activity_plans__status=PlanStatus.APPROVED,
        channel__activity_plans__administrators=user,
    ).distinct()


def failed_on_platform(items):
    """Those of `items` with an action that failed on the platform (the decision stands; a
    person retries it or does it on the platform)."""
    return items.filter(
        pk__in=PlatformAction.objects.filter(state=PlatformActionState.FAILED).values("item_id")
    )


def platform_actions_prefetch() -> Prefetch:
    """``item.platform_actions.all()`` in request order, for a list of items."""
    return Prefetch(
        "platform_actions", queryset=PlatformAction.objects.order_by("requested_at", "pk")
    )


def rejects_instead_of_removing(item: Item) -> bool:
    """YouTube cannot remove another person's comment, only reject it, and a rejected comment
    can never be published again: the decision form asks before a removal there."""
    return (
        item.channel.platform == "youtube"
        and PlatformConnection.objects.filter(channel_id=item.channel_id).exists()
    )


def rejected_instead_of_removed(items) -> bool:
    """Whether any of `items` (a queryset) would be rejected on YouTube, not removed
    (`rejects_instead_of_removing`), for a decision on many items at once."""
    return items.filter(
        channel__platform="youtube", channel__platform_connection__isnull=False
    ).exists()


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


# --- The profile on the platform ----------------------------------------------------------

# Versions of a profile a snapshot lists at most (the latest kept when there are more).
PROFILE_VERSIONS_MAX = 100


def profile_for_snapshot(channel, *, period_start, period_end) -> dict:
    """The channel's profile on its platform for a snapshot of the half-open period: as last
    read ({"read": True, "name", "description", "url", "read_at"}), and "versions": the one in
    effect when the period began and each read within it, oldest first. {"read": False} when
    the channel has no connection or its profile was never read."""
    connection = PlatformConnection.objects.filter(channel=channel).first()
    current = connection.profile if connection is not None else {}
    if not isinstance(current, dict) or not current.get("read_at"):
        return {"read": False, "versions": []}
    versions = ProfileVersion.objects.filter(channel=channel)
    before = versions.filter(read_at__lt=period_start).order_by("-read_at", "-pk")[:1]
    within = versions.filter(read_at__gte=period_start, read_at__lt=period_end).order_by(
        "-read_at", "-pk"
    )[:PROFILE_VERSIONS_MAX]
    rows = sorted([*before, *within], key=lambda version: (version.read_at, version.pk))
    return {
        "read": True,
        "name": current.get("name", ""),
        "description": current.get("description", ""),
        "url": current.get("url", ""),
        "read_at": current["read_at"],
        "versions": [version.as_dict() for version in rows],
    }
