"""Every write in moderation: registering what arrives, classifying it against the rules,
its response deadline, and the decisions taken on it (Hur hanteras inkomna synpunkter;
Rimliga svarstider; Gallring av inlägg och kommentarer)."""

import datetime
import re
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.roles import is_information_unit

from . import classification, deadlines, selectors, supervision
from .categories import Category, RuleAction
from .exceptions import DecisionNotAllowed
from .models import TEXT_MAX_BYTES, Decision, Item, Rule, RuleMatch
from .workflow import (
    KEEPS_CLOCK_RUNNING,
    MANUAL,
    REMOVES_FOR_BREACH,
    DecisionKind,
    ItemKind,
    ItemStatus,
    target_status,
)

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
    elif received_at > timezone.now() + datetime.timedelta(minutes=5):
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
    channel gives the stored item back (created False): nothing is duplicated."""
    if by is not None and not selectors.may_moderate(by, channel):
        raise PermissionDeniedError
    cleaned = clean_item_data(channel, data)
    existing = Item.objects.filter(channel=channel, external_id=cleaned["external_id"]).first()
    if existing is not None:
        return existing, False
    parent = None
    if cleaned["parent"]:
        parent = Item.objects.filter(channel=channel, external_id=str(cleaned["parent"])).first()
        if parent is None:
            raise ValidationError({"parent": [_("Det finns inget inlägg med det id:t i kanalen.")]})
    item = _new_item(channel, cleaned, parent=parent)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # The same external id arrived at the same moment through another way in.
        return Item.objects.get(channel=channel, external_id=item.external_id), False
    _apply_matches(item, classification.classify(item.text))
    record_audit(
        "item_registered",
        by=by,
        obj=item,
        details={"kind": item.kind, "status": item.status, "matches": item.matches.count()},
    )
    return item, True


def register_items(channel, batch: list[dict], *, by=None) -> list[tuple[Item, bool]]:
    """Store many items cleaned by `clean_item_data` as `register_item` stores each one (the
    same classification, deadline, automatic hiding and audit entry), in a handful of queries
    instead of some ten per item: the API's 500-item batches, imports, webhook deliveries.
    An external id already stored, or earlier in the batch, answers that item (created
    False); a parent must be stored already or come earlier in the batch."""
    if by is not None and not selectors.may_moderate(by, channel):
        raise PermissionDeniedError
    with transaction.atomic(), batch_caches():
        wanted = {data["external_id"] for data in batch}
        wanted |= {str(data["parent"]) for data in batch if data["parent"]}
        stored = {
            item.external_id: item
            for item in Item.objects.filter(channel=channel, external_id__in=wanted)
        }
        new: dict[str, Item] = {}
        results: list[tuple[Item, bool]] = []
        found: dict[str, list] = {}
        replies: list[tuple[Item, str]] = []
        for data in batch:
            external_id = data["external_id"]
            if external_id in stored or external_id in new:
                results.append((stored.get(external_id) or new[external_id], False))
                continue
            parent_id = str(data["parent"]) if data["parent"] else None
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
            new[external_id] = item
            results.append((item, True))
        try:
            with transaction.atomic():
                Item.objects.bulk_create(new.values())
        except IntegrityError:
            # An external id arrived at the same moment through another way in.
            return [register_item(channel, data, by=by) for data in batch]
        for item, parent_id in replies:
            item.parent = new[parent_id]
        if replies:
            Item.objects.bulk_update([item for item, _parent in replies], ["parent"])
        RuleMatch.objects.bulk_create(
            _match_row(item, match) for item in new.values() for match in found[item.external_id]
        )
        Decision.objects.bulk_create(
            _auto_hide_decision(item, _hiding_match(found[item.external_id]))
            for item in new.values()
            if item.status == ItemStatus.HIDDEN
        )
        _audit_registered(channel, list(new.values()), found, by=by)
    return results


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


def _apply_matches(item: Item, matches) -> None:
    RuleMatch.objects.bulk_create(
        RuleMatch(
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
        for match in matches
    )
    hiding = next(
        (m for m in matches if m.action == RuleAction.HIDE and not m.test_mode),
        None,
    )
    if hiding is not None and item.status == ItemStatus.NEW:
        Decision.objects.create(
            item=item,
            kind=DecisionKind.AUTO_HIDE,
            from_status=item.status,
            to_status=ItemStatus.HIDDEN,
            category=hiding.category,
            rule_name=hiding.rule_name[:200],
        )
        item.status = ItemStatus.HIDDEN
        item.save(update_fields=["status"])


# --- Decisions --------------------------------------------------------------------------


def _decision_errors(kind: str, fields: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind == DecisionKind.REMOVE and fields.get("category") not in set(Category):
        errors["category"] = [_("Ange vilken kategori inlägget bryter mot.")]
    if kind == DecisionKind.ANSWER and not (fields.get("reply_text") or "").strip():
        errors["reply_text"] = [_("Skriv svaret.")]
    if kind == DecisionKind.FORWARD:
        person, unit = fields.get("forwarded_to"), fields.get("forwarded_to_unit")
        if person is None and unit is None:
            errors["forwarded_to"] = [
                _("Ange vem eller vilken verksamhet inlägget vidarebefordras till.")
            ]
        elif person is not None and unit is not None:
            errors["forwarded_to_unit"] = [
                _("Vidarebefordra till en person eller till en verksamhet, inte till båda.")
            ]
    if (
        kind in (DecisionKind.REGISTER, DecisionKind.SECRECY)
        and not (fields.get("diarienummer") or "").strip()
    ):
        errors["diarienummer"] = [_("Ange diarienumret.")]
    if kind == DecisionKind.NO_ANSWER and not (fields.get("reason") or "").strip():
        errors["reason"] = [_("Ange varför inget svar behövs.")]
    if fields.get("police_report") and kind != DecisionKind.REMOVE:
        errors["police_report"] = [_("Bara ett borttaget inlägg kan polisanmälas.")]
    return errors


def _decide_one(item: Item, *, by, kind: str, fields: dict, now) -> Decision:
    locked = Item.objects.select_for_update().select_related("channel").get(pk=item.pk)
    if not selectors.may_handle(by, locked):
        raise PermissionDeniedError
    target = target_status(locked.status, kind)
    if target is None:
        raise DecisionNotAllowed(
            _("%(item)s är %(status)s: beslutet ”%(decision)s” kan inte fattas nu.")
            % {
                "item": locked.external_id,
                "status": ItemStatus(locked.status).label.lower(),
                "decision": DecisionKind(kind).label.lower(),
            }
        )
    category = Category.SEKRETESS if kind == DecisionKind.SECRECY else fields.get("category", "")
    forwarding = kind == DecisionKind.FORWARD
    forwarded_to = fields.get("forwarded_to") if forwarding else None
    forwarded_to_unit = fields.get("forwarded_to_unit") if forwarding else None
    decision = Decision.objects.create(
        item=locked,
        kind=kind,
        from_status=locked.status,
        to_status=target,
        actor=by,
        reason=(fields.get("reason") or "").strip(),
        category=category or "",
        reply_text=(fields.get("reply_text") or "").strip() if kind == DecisionKind.ANSWER else "",
        replied_at=now if kind == DecisionKind.ANSWER else None,
        forwarded_to=forwarded_to,
        forwarded_to_unit=forwarded_to_unit,
        diarienummer=(fields.get("diarienummer") or "").strip(),
        police_report=bool(fields.get("police_report")),
        police_reference=(fields.get("police_reference") or "").strip(),
    )
    changed = ["status"]
    before = locked.status
    locked.status = target
    if kind not in KEEPS_CLOCK_RUNNING and locked.settled_at is None:
        locked.settled_at = now
        locked.sla_met = None if locked.due_at is None else now <= locked.due_at
        locked.response_seconds = deadlines.response_seconds(locked.received_at, now)
        changed += ["settled_at", "sla_met", "response_seconds"]
    if kind in REMOVES_FOR_BREACH:
        locked.removed_category = category
        locked.text_purge_after = now + datetime.timedelta(
            days=settings.REMOVED_TEXT_RETENTION_DAYS
        )
        changed += ["removed_category", "text_purge_after"]
    if kind in (DecisionKind.REGISTER, DecisionKind.SECRECY):
        locked.diarienummer = decision.diarienummer
        changed.append("diarienummer")
    if forwarding:
        # To a person: it is theirs; to a unit: its staff share it until someone takes it.
        locked.assigned_to = forwarded_to
        locked.forwarded_unit = forwarded_to_unit
        changed += ["assigned_to", "forwarded_unit"]
    locked.save(update_fields=changed)
    # Any decision on an item counts as a review of its channel (Bilaga 1: weekly supervision).
    supervision.mark_channel_reviewed(locked.channel, by=by, now=now, decision=decision)
    record_audit(
        "item_decided",
        by=by,
        obj=locked,
        details={"decision": kind, "from": before, "to": target, "category": category or ""},
    )
    item.status = locked.status
    return decision


@transaction.atomic
def decide_item(item: Item, *, by, kind: str, now=None, **fields) -> Decision:
    """One decision on one item, checked against the transitions table; append-only."""
    return decide_items([item], by=by, kind=kind, now=now, **fields)[0]


@transaction.atomic
def decide_items(items, *, by, kind: str, now=None, **fields) -> list[Decision]:
    """The same decision on several items at once: all of them, or none."""
    if kind not in MANUAL:
        raise DecisionNotAllowed
    errors = _decision_errors(kind, fields)
    if errors:
        raise ValidationError(errors)
    forwarded_to = fields.get("forwarded_to")
    if forwarded_to is not None and not forwarded_to.is_active:
        raise ValidationError({"forwarded_to": [_("Personen har inget aktivt konto.")]})
    now = now or timezone.now()
    if forwarded_to is not None:
        # To someone away: to the substitute, who handles it during the absence.
        fields["forwarded_to"] = _stand_in(forwarded_to, now, field="forwarded_to")
    return [_decide_one(item, by=by, kind=kind, fields=fields, now=now) for item in items]


@transaction.atomic
def assign_item(item: Item, *, by, to) -> Item:
    locked = Item.objects.select_for_update().select_related("channel").get(pk=item.pk)
    if not selectors.may_moderate(by, locked.channel):
        raise PermissionDeniedError
    if to is not None:
        # To someone away: to the substitute, who may moderate the channel meanwhile.
        to = _stand_in(to, timezone.now(), field="assigned_to")
    if to is not None and not selectors.may_moderate(to, locked.channel):
        raise ValidationError({"assigned_to": [_("Personen modererar inte den här kanalen.")]})
    locked.assigned_to = to
    locked.save(update_fields=["assigned_to"])
    record_audit("item_assigned", by=by, obj=locked, details={"to": getattr(to, "pk", None)})
    return locked


def _stand_in(person, now, *, field: str):
    standing_in = supervision.stand_in_for(person, now)
    if standing_in is None:
        raise ValidationError(
            {field: [_("%(name)s är frånvarande och har ingen ersättare.") % {"name": person}]}
        )
    return standing_in


@transaction.atomic
def purge_removed_texts(now=None) -> int:
    """Texts removed for a breach are purged after their retention period; the decisions keep
    the category and the rule, never the text."""
    now = now or timezone.now()
    due = Item.objects.select_for_update().filter(
        text_purge_after__lte=now, text_purged_at__isnull=True
    )
    count = due.update(text="", links=[], text_purged_at=now)
    if count:
        record_audit("removed_texts_purged", details={"count": count})
    return count


# --- Rules ------------------------------------------------------------------------------


@transaction.atomic
def save_rule(rule: Rule, *, by) -> Rule:
    """Informationsenheten keeps the rules; a pattern that cannot be used is refused."""
    if not is_information_unit(by):
        raise PermissionDeniedError
    rule.full_clean()
    from .matching import RuleError, RuleSpec, validate_rule

    try:
        validate_rule(
            RuleSpec(
                id=rule.pk or 0,
                name=rule.name,
                kind=rule.kind,
                pattern=rule.pattern,
                category=rule.category,
                action=rule.action,
                test_mode=rule.test_mode,
            )
        )
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


def may_read_removed_text(user) -> bool:
    return is_information_unit(user)


# --- Reading an item ---------------------------------------------------------------------


def text_visible_to(item: Item, user) -> bool:
    """A text removed for a breach is seen by Informationsenheten only, until it is purged."""
    if item.status in (ItemStatus.REMOVED, ItemStatus.SECRET):
        return may_read_removed_text(user) and item.text_purged_at is None
    return True


def highlighted(item: Item, user) -> list[tuple[str, object]]:
    """The text cut into (piece, match or None), so that the template marks each match."""
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
