"""Items and their classification (Hur hanteras inkomna synpunkter; Rimliga svarstider):
validating what arrives by any way in (the staff form, the API, the webhook, a file import,
a citizen's report), storing it with its response deadline (`moderation.deadlines`), its
rule matches (`moderation.classification`), the automatic hiding a hiding rule asks for and
the audit entry; and Informationsenheten's keeping of the rules themselves.

`register_item` and `register_items` are one implementation: a single item is a batch of one.
"""

import datetime
import re
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError

from .. import classification, deadlines, selectors
from ..categories import RuleAction
from ..models import TEXT_MAX_BYTES, Decision, Item, Rule, RuleMatch
from ..workflow import DecisionKind, ItemKind, ItemStatus, target_status
from . import platform_actions, secrecy, statistics
from .culling import culled_external_ids

# No platform the municipality uses sent anything before 2000; an earlier received_at is a
# fault in the sender, and far enough back it cannot even be turned into UTC (year 1 with a
# positive offset) or be counted in working time at a sensible cost.
RECEIVED_AT_FLOOR = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
# A little leeway for a sender's clock running ahead.
RECEIVED_AT_LEEWAY = datetime.timedelta(minutes=5)

_LINK = re.compile(r"""(?:https?://|www\.)[^\s<>"'()]+""", re.IGNORECASE)


def extract_links(text: str) -> list[str]:
    return [match.group(0).rstrip(".,;:!?") for match in _LINK.finditer(text or "")]


@contextmanager
def batch_caches():
    """Read the response policies and the rules once for a whole batch of items (the API,
    an import, a webhook delivery) instead of once per item."""
    with deadlines.pinned_policies(), classification.pinned_matcher():
        yield


# --- Registering what arrives ----------------------------------------------------------


def clean_item_data(channel, data: dict) -> dict:
    """Validate one incoming item as every way in (form, API, webhook, import) must; raises
    ValidationError({field: [Swedish message]})."""
    errors: dict[str, list[str]] = {}
    kind = data.get("kind")
    if kind not in ItemKind.values:
        errors["kind"] = [
            _("Ange en av typerna: %(kinds)s.") % {"kinds": ", ".join(ItemKind.values)}
        ]
    text = data.get("text") or ""
    if not isinstance(text, str):
        errors["text"] = [_("Texten ska vara en sträng.")]
        text = ""
    elif len(text.encode("utf-8")) > TEXT_MAX_BYTES:
        errors["text"] = [_("Texten får vara högst 64 kB.")]
    if "\x00" in text:
        errors["text"] = [_("Texten innehåller otillåtna tecken.")]
    received_at = data.get("received_at")
    if isinstance(received_at, str):
        from django.utils.dateparse import parse_datetime

        try:
            received_at = parse_datetime(received_at)
        except ValueError:
            received_at = None
    if not isinstance(received_at, datetime.datetime) or timezone.is_naive(received_at):
        errors["received_at"] = [
            _("Ange tidpunkten i ISO 8601 med tidszon, t.ex. 2026-03-27T16:30:00+01:00.")
        ]
    elif received_at < RECEIVED_AT_FLOOR:
        errors["received_at"] = [
            _("Tidpunkten ligger för långt tillbaka: tidigast %(floor)s.")
            % {"floor": RECEIVED_AT_FLOOR.date().isoformat()}
        ]
    elif received_at > timezone.now() + RECEIVED_AT_LEEWAY:
        errors["received_at"] = [_("Tidpunkten ligger i framtiden.")]
    item = Item(
        channel=channel,
        kind=kind or "",
        external_id=str(data.get("external_id") or "").strip(),
        author=str(data.get("author") or "").strip(),
        text=text,
        url=str(data.get("url") or "").strip(),
        received_at=received_at if isinstance(received_at, datetime.datetime) else None,
    )
    try:
        item.full_clean(
            # The channel is a stored object already: checking that it exists costs a query.
            exclude=["status", "links", "received_at", "kind", "text", "channel"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if not item.external_id:
        errors.setdefault("external_id", [_("Ange inläggets id på plattformen.")])
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "external_id": item.external_id,
        "author": item.author,
        "text": text,
        "url": item.url,
        "received_at": received_at,
        "parent": data.get("parent") or None,
    }


@transaction.atomic
def register_item(channel, data: dict, *, by=None) -> tuple[Item, bool]:
    """Store one item, classified and with its deadline. An external id already stored for the
    channel gives the stored item back (created False): nothing is duplicated; with another
    text it is an edit, kept as a new version (`_apply_edit`). One culled before gives
    `culled_item` back (created False, not stored)."""
    _ensure_may_register(by, channel)
    return _register(channel, [clean_item_data(channel, data)], by=by)[0]


def register_items(channel, batch: list[dict], *, by=None) -> list[tuple[Item, bool]]:
    """Store many items cleaned by `clean_item_data` as `register_item` stores each one, in
    a handful of queries whatever the batch's size: the API's 500-item batches, imports,
    webhook deliveries. An external id already stored, or earlier in the batch, answers that
    item (created False); a parent must be stored already or come earlier in the batch.

    An item culled before (`CulledItem`) is never stored again: it is answered as
    `culled_item` (created False, no id, status CULLED); a reply to a culled item is stored
    without its parent."""
    _ensure_may_register(by, channel)
    return _register(channel, batch, by=by)


def _ensure_may_register(by, channel) -> None:
    """A person registers items on the channels they moderate; `by` None is a machine way
    in (the API's token, the webhook, an import command, a citizen's report)."""
    if by is not None and not selectors.may_moderate(by, channel):
        raise PermissionDeniedError


def _register(channel, batch: list[dict], *, by) -> list[tuple[Item, bool]]:
    """The one way items are stored: each with its deadline and warning moment, its rule
    matches, a hiding rule's automatic hide (status and decision) and its audit entry.

    A stored external id arriving with another text is an edit on the platform: the item
    gets the new text as a new version (`_apply_edit`) and is answered not created, with
    `item.edited` True."""
    with transaction.atomic(), batch_caches():
        wanted = {data["external_id"] for data in batch}
        wanted |= {str(data["parent"]) for data in batch if data["parent"]}
        stored = {
            item.external_id: item
            for item in Item.objects.filter(channel=channel, external_id__in=wanted)
        }
        # Asked after `stored`: an item culled meanwhile is found in one or the other.
        culled = culled_external_ids(channel, wanted - set(stored))
        stored |= _locked_for_edit(stored, batch)
        new: dict[str, Item] = {}
        results: list[tuple[Item, bool]] = []
        found: dict[str, list] = {}
        replies: list[tuple[Item, str]] = []
        for data in batch:
            external_id = data["external_id"]
            if external_id in stored or external_id in new:
                item = stored.get(external_id) or new[external_id]
                if external_id in stored and _is_edit(item, data["text"]):
                    _apply_edit(item, data["text"], channel=channel, by=by)
                results.append((item, False))
                continue
            if external_id in culled:
                results.append((culled_item(channel, external_id), False))
                continue
            parent_id = str(data["parent"]) if data["parent"] else None
            if parent_id in culled:
                # What it answers was culled: it is stored outside any thread.
                parent_id = None
            if parent_id and parent_id not in stored and parent_id not in new:
                raise ValidationError(
                    {"parent": [_("Det finns inget inlägg med det id:t i kanalen.")]}
                )
            item = _new_item(channel, data, parent=stored.get(parent_id) if parent_id else None)
            if parent_id in new:
                replies.append((item, parent_id))
            found[external_id] = matches = classification.classify(item.text)
            if _hiding_match(matches) is not None and item.status == ItemStatus.NEW:
                item.status = ItemStatus.HIDDEN
                if secrecy.hides_personnummer(matches):
                    item.secrecy_flagged_at = timezone.now()
            new[external_id] = item
            results.append((item, True))
        try:
            with transaction.atomic():
                # In the order of the external ids, whatever the batch's order: two batches
                # with the same new ids wait for each other instead of deadlocking.
                Item.objects.bulk_create(sorted(new.values(), key=_by_external_id))
        except IntegrityError:
            # An external id arrived at the same moment through another way in: one at a
            # time, each finds the stored item if it is the one that arrived twice.
            if len(batch) == 1:
                twin = Item.objects.get(channel=channel, external_id=batch[0]["external_id"])
                return [(twin, False)]
            return [result for data in batch for result in _register(channel, [data], by=by)]
        # What the statistics count of each item, kept when culling takes the item.
        statistics.record_item_facts(new.values())
        for item, parent_id in replies:
            item.parent = new[parent_id]
        if replies:
            Item.objects.bulk_update([item for item, _parent in replies], ["parent"])
        RuleMatch.objects.bulk_create(
            _match_row(item, match) for item in new.values() for match in found[item.external_id]
        )
        hidden = Decision.objects.bulk_create(
            _auto_hide_decision(item, _hiding_match(found[item.external_id]))
            for item in new.values()
            if item.status == ItemStatus.HIDDEN
        )
        # A rule's hiding is carried out on the platform too, without waiting for a person.
        for decision in hidden:
            platform_actions.request_platform_actions(decision.item, decision)
        _audit_registered(channel, list(new.values()), found, by=by)
        for item in new.values():
            if item.secrecy_flagged_at is not None:
                secrecy.request_secrecy_alert(item, reason=secrecy.Reason.PERSONNUMMER)
    return results


def mark_deleted_on_platform(channel, deletions: dict[str, datetime.datetime]) -> int:
    """Items their authors deleted on the platform ({external id: when}), marked so with the
    time and their text kept, in the caller's transaction: the pull's deletion check and
    the webhook's removals both land here. Only `Item.objects.deletable_by_author()` is
    marked, so an item marked before keeps its first time (a second report does nothing),
    and an item never stored is no error. Returns how many were marked."""
    by_time: dict[datetime.datetime, list[str]] = {}
    for external_id, at in deletions.items():
        by_time.setdefault(at, []).append(external_id)
    return sum(
        Item.objects.deletable_by_author()
        .filter(channel=channel, external_id__in=external_ids)
        .update(deleted_on_platform_at=at)
        for at, external_ids in by_time.items()
    )


def culled_item(channel, external_id: str) -> Item:
    """What the ways in answer for an item culled before: never stored (no id), status
    CULLED, nothing of what was sent."""
    return Item(channel=channel, external_id=external_id, status=ItemStatus.CULLED)


def _is_edit(item: Item, text: str) -> bool:
    """Another text for a stored item whose text is still kept (not purged, not culled)."""
    return text != item.text and item.text_purged_at is None and item.status != ItemStatus.CULLED


def _locked_for_edit(stored: dict[str, Item], batch: list[dict]) -> dict[str, Item]:
    """The stored items this batch edits, locked in the order of their external ids (the
    order every batch takes its locks in), read again under the lock."""
    edited = {
        data["external_id"]
        for data in batch
        if data["external_id"] in stored and _is_edit(stored[data["external_id"]], data["text"])
    }
    if not edited:
        return {}
    return {
        item.external_id: item
        for item in Item.objects.select_for_update()
        .filter(pk__in=[stored[external_id].pk for external_id in edited])
        .order_by("external_id")
    }


def _apply_edit(item: Item, text: str, *, channel, by) -> None:
    """The platform's edit of a stored item: the earlier text is kept as an ItemVersion, the
    new one is classified again (its matches replace the earlier text's; the decisions keep
    what was decided on that). An open item a hiding rule now matches is hidden; a settled
    item still public (kept, answered, needing no answer, trivial) that any acting rule now
    matches is opened again with a new deadline counted from the edit, so that a moderator
    looks at what it says now. When it was first settled, and in time or not, stay as they
    were: the statistics count the first response."""
    from ..models import ItemVersion

    now = timezone.now()
    ItemVersion.objects.create(
        item=item, text=item.text, links=item.links, received_at=item.text_since, replaced_at=now
    )
    before = item.status
    item.text, item.links, item.edited_at = text, extract_links(text), now
    changed = ["text", "links", "edited_at"]
    matches = classification.classify(text)
    item.matches.all().delete()
    RuleMatch.objects.bulk_create(_match_row(item, match) for match in matches)
    acting = next((m for m in matches if not m.test_mode), None)
    if acting is not None and target_status(item.status, DecisionKind.REOPEN):
        Decision.objects.create(
            item=item,
            kind=DecisionKind.REOPEN,
            from_status=item.status,
            to_status=ItemStatus.NEW,
            category=acting.category,
            rule_name=acting.rule_name[:200],
        )
        item.status = ItemStatus.NEW
        item.due_at = deadlines.deadline_for(channel, item.kind, now)
        item.warn_at = deadlines.warn_at_for(now, item.due_at)
        changed += ["status", "due_at", "warn_at"]
    hiding = _hiding_match(matches)
    if hiding is not None and item.status == ItemStatus.NEW:
        decision = _auto_hide_decision(item, hiding)
        decision.save()
        platform_actions.request_platform_actions(item, decision)
        item.status = ItemStatus.HIDDEN
        if "status" not in changed:
            changed.append("status")
        if secrecy.hides_personnummer(matches):
            item.secrecy_flagged_at = now
            changed.append("secrecy_flagged_at")
    item.save(update_fields=changed)
    if "secrecy_flagged_at" in changed:
        secrecy.request_secrecy_alert(item, reason=secrecy.Reason.PERSONNUMMER)
    item.edited = True
    record_audit(
        "item_edited",
        by=by,
        obj=item,
        details={
            "from_status": before,
            "status": item.status,
            "matches": len(matches),
            "versions": item.versions.count(),
        },
    )


def _by_external_id(item: Item) -> str:
    return item.external_id


def _new_item(channel, cleaned: dict, *, parent: Item | None) -> Item:
    item = Item(
        channel=channel,
        kind=cleaned["kind"],
        external_id=cleaned["external_id"],
        author=cleaned["author"],
        text=cleaned["text"],
        url=cleaned["url"],
        received_at=cleaned["received_at"],
        parent=parent,
        links=extract_links(cleaned["text"]),
        status=ItemStatus.PUBLISHED if cleaned["kind"] == ItemKind.POST else ItemStatus.NEW,
        due_at=deadlines.deadline_for(channel, cleaned["kind"], cleaned["received_at"]),
    )
    item.warn_at = deadlines.warn_at_for(item.received_at, item.due_at)
    return item


def _audit_registered(channel, items: list[Item], found: dict[str, list], *, by) -> None:
    """record_audit's "item_registered" entry for each item, written in one query."""
    from django.contrib.contenttypes.models import ContentType

    from atvida_social.organisation.audit import current_ip
    from atvida_social.organisation.models import AuditLogEntry

    actor = by if getattr(by, "is_authenticated", False) else None
    content_type = ContentType.objects.get_for_model(Item)
    ip = current_ip.get()
    # str(item) for each, with the translated labels looked up once for the whole batch.
    kinds = {value: str(label) for value, label in ItemKind.choices}
    where = str(channel)
    AuditLogEntry.objects.bulk_create(
        AuditLogEntry(
            actor=actor,
            actor_name=actor.get_username()[:150] if actor else "",
            action="item_registered",
            content_type=content_type,
            object_id=str(item.pk),
            object_repr=f"{kinds[item.kind]} {item.external_id} ({where})"[:300],
            ip_address=ip,
            details={
                "kind": item.kind,
                "status": item.status,
                "matches": len(found[item.external_id]),
            },
        )
        for item in items
    )


def _match_row(item: Item, match) -> RuleMatch:
    return RuleMatch(
        item=item,
        # The built-in detectors (personnummer, links ...) have no row of their own.
        rule_id=match.rule_id if isinstance(match.rule_id, int) else None,
        rule_name=match.rule_name[:200],
        category=match.category,
        action=match.action,
        test_mode=match.test_mode,
        start=match.start,
        end=match.end,
    )


def _hiding_match(matches):
    """The first acting (not test-mode) match whose rule hides: the item is hidden for it."""
    return next((m for m in matches if m.action == RuleAction.HIDE and not m.test_mode), None)


def _auto_hide_decision(item: Item, hiding) -> Decision:
    return Decision(
        item=item,
        kind=DecisionKind.AUTO_HIDE,
        from_status=ItemStatus.NEW,
        to_status=ItemStatus.HIDDEN,
        category=hiding.category,
        rule_name=hiding.rule_name[:200],
    )


# --- Rules ------------------------------------------------------------------------------


@transaction.atomic
def save_rule(rule: Rule, *, by) -> Rule:
    """Informationsenheten keeps the rules; a pattern that cannot be used is refused."""
    if not selectors.may_keep_rules(by):
        raise PermissionDeniedError
    rule.full_clean()
    from ..matching import RuleError, validate_rule

    try:
        validate_rule(classification.rule_spec(rule))
    except RuleError as error:
        raise ValidationError({error.field: [error.message]}) from error
    adding = rule._state.adding
    rule.save()
    record_audit(
        "rule_created" if adding else "rule_changed",
        by=by,
        obj=rule,
        details={"kind": rule.kind, "category": rule.category, "action": rule.action},
    )
    return rule
