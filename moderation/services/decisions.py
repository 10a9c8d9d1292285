"""Decisions on items: the decision itself, checked against the transitions table of
`moderation.workflow` and appended, never changed (Hur hanteras inkomna synpunkter; Hur man
svarar); and assigning an item. A decision that removes an item for a breach sets when its
text is due for purging; the purge itself is destruction and archiving's
(`archiving.culling.services.purge_removed_texts`).

Who may decide is `selectors.may_handle`; who may assign is `selectors.may_moderate`. What
may be decided is the table and, on top of it, the guideline's duties by kind of item
(`workflow.duty_refusal`): an unanswered question is not kept, judged trivial or left
without an answer; a direct message is registered or judged trivial with a reason; an item
a person judged a personal attack or a privacy intrusion is not answered. A
decision that settles an item stops its response clock (forwarding keeps it running); every
decision counts as a review of its channel (`supervision.mark_channel_reviewed`).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError

from .. import deadlines, selectors, signals
from ..categories import Category
from ..exceptions import DecisionNotAllowed
from ..models import Decision, Item
from ..workflow import (
    KEEPS_CLOCK_RUNNING,
    MANUAL,
    REMOVES_FOR_BREACH,
    DecisionKind,
    ItemKind,
    ItemStatus,
    SlaState,
    duty_refusal,
    target_status,
)
from . import platform_actions, secrecy, statistics, supervision


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
    # The guideline's duties first: they say why, where the table only says "not now".
    judged = selectors.judged_categories(locked) if kind == DecisionKind.ANSWER else frozenset()
    refusal = duty_refusal(locked.kind, locked.status, kind, judged=judged)
    if refusal is not None:
        raise DecisionNotAllowed(f"{locked.external_id}: {refusal}")
    if (
        locked.kind == ItemKind.MESSAGE
        and kind == DecisionKind.TRIVIAL
        and not (fields.get("reason") or "").strip()
    ):
        # Not registering an incoming public record is a judgement that must say why.
        raise ValidationError(
            {
                "reason": [
                    _(
                        "%(item)s: ange varför direktmeddelandet är av ringa eller tillfällig "
                        "betydelse och inte diarieförs."
                    )
                    % {"item": locked.external_id}
                ]
            }
        )
    target = target_status(locked.status, kind)
    if target is None:
        raise DecisionNotAllowed(
            # The status is quoted as labelled: a sentence built around a lower-cased label
            # read "fb-101 är behålls".
            _("%(item)s har redan status ”%(status)s”: beslutet ”%(decision)s” kan inte fattas nu.")
            % {
                "item": locked.external_id,
                "status": ItemStatus(locked.status).label,
                "decision": DecisionKind(kind).label,
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
        # In time or late as the queue's rule has it once settled (querysets; None for a post).
        state = deadlines.sla_state_of(locked, now)
        locked.sla_met = None if state is None else state == SlaState.IN_TIME
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
    if kind == DecisionKind.SECRECY:
        locked.secrecy_flagged_at = now
        changed.append("secrecy_flagged_at")
    if forwarding:
        # To a person: it is theirs; to a unit: its staff share it until someone takes it.
        locked.assigned_to = forwarded_to
        locked.forwarded_unit = forwarded_to_unit
        changed += ["assigned_to", "forwarded_unit"]
    locked.save(update_fields=changed)
    if "settled_at" in changed or "removed_category" in changed:
        # The statistics' copy, which culling leaves (services.statistics).
        statistics.record_settlement(locked)
    # Any decision on an item counts as a review of its channel (Bilaga 1: weekly supervision).
    supervision.mark_channel_reviewed(locked.channel, by=by, now=now, decision=decision)
    if kind == DecisionKind.SECRECY:
        secrecy.request_secrecy_alert(locked, reason=secrecy.Reason.PERSON)
    # Carried out on the platform too, through the outbox, once this transaction commits.
    platform_actions.request_platform_actions(locked, decision)
    if kind in (DecisionKind.REGISTER, DecisionKind.SECRECY):
        # The diarium's copy of the item (archiving listens; moderation does not know it).
        signals.item_registered.send(sender=Item, item=locked, decision=decision)
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
