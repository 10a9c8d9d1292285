"""Carrying out decisions on the platform (Gallring av inlägg och kommentarer: "ska omedelbart
tas bort"; Hur man svarar): each decision with an effect there (`workflow.actions_for`) gets
a `PlatformAction` per effect in the decision's own transaction, handed to the outbox; the
task calls the channel's connector and records what the platform did only after it
answered. A failure never changes or undoes the decision: the action shows it, is tried
again after a back-off, and a person may ask for another try ("Försök igen").
"""

import dataclasses
import datetime
import logging
import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.outbox.services import enqueue

from .. import selectors
from ..models import (
    Item,
    PlatformAction,
    PlatformActionKind,
    PlatformActionState,
    PlatformConnection,
)
from ..platforms import base
from ..workflow import DecisionKind, ItemKind, actions_for
from . import secrecy, statistics

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
FIRST_RETRY = datetime.timedelta(minutes=1)
# An action not done by then (its hand-over lost) is taken by the job.
HAND_OVER_GRACE = datetime.timedelta(minutes=2)
DUE_PER_RUN = 200
JOB_SECONDS = 40


def broken_message() -> str:
    # The reason only: platform_state shows it as "Misslyckades: … – gör det på plattformen".
    return _("åtkomsten har gått ut")


def request_platform_actions(item: Item, decision) -> list[PlatformAction]:
    """In the decision's transaction: the decision's platform actions, once each, handed to
    the outbox. A channel without a platform connection gets none (its items show nothing)."""
    from ..tasks import carry_out_platform_action as carry_out_task

    kinds = actions_for(decision)
    if not kinds or not PlatformConnection.objects.filter(channel_id=item.channel_id).exists():
        return []
    now = timezone.now()
    actions = []
    for kind in kinds:
        action, created = PlatformAction.objects.get_or_create(
            decision=decision,
            kind=kind,
            defaults={"item": item, "next_attempt_at": now + HAND_OVER_GRACE},
        )
        if created:
            enqueue(carry_out_task, action.pk)
        actions.append(action)
    statistics.record_platform_outcome(item.pk)
    return actions


def _target(item: Item) -> base.ActionTarget:
    parent = item.parent.external_id if item.parent_id else None
    return base.ActionTarget(
        external_id=item.external_id,
        kind=item.kind,
        parent=parent,
        url=item.url,
        received_at=item.received_at,
    )


def carry_out_platform_action(
    action_id: int, *, now=None, transport=None, due_only: bool = False
) -> str:
    """Call the platform for one action, once: the row stays locked until the answer is
    recorded, so that a second delivery meanwhile finds it locked and does nothing. A reply,
    which the platform would post twice, first commits that its attempt began
    (`_claim_reply`); an attempt that finds an earlier one begun and not done asks the
    platform whether the reply is there before posting it. Returns the action's state
    afterwards."""
    now = now or timezone.now()
    claim = None
    if PlatformAction.objects.filter(pk=action_id, kind=PlatformActionKind.REPLY).exists():
        claim = _claim_reply(action_id, now=now, due_only=due_only)
        if isinstance(claim, str):
            return claim
    broken_reason = None
    with transaction.atomic():
        action = (
            PlatformAction.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("item__channel", "item__parent", "decision")
            .filter(pk=action_id)
            .first()
        )
        if action is None:
            return "locked"
        if action.state != PlatformActionState.PENDING:
            return action.state
        if claim is not None and action.reply_started_at != claim.started_at:
            # Another delivery claimed the reply since: it posts it (or finds it), not this one.
            return "locked"
        if due_only and claim is None and action.next_attempt_at and action.next_attempt_at > now:
            return action.state
        connection = PlatformConnection.objects.filter(channel=action.item.channel_id).first()
        if connection is None:
            _finish(action, PlatformActionState.FAILED, _("Kanalen är inte ansluten."), now)
            return action.state
        if connection.is_broken:
            _finish(action, PlatformActionState.FAILED, broken_message(), now)
            return action.state
        if connection.backoff_until and connection.backoff_until > now:
            action.next_attempt_at = connection.backoff_until
            action.save(update_fields=["next_attempt_at"])
            return action.state
        action.attempts += 1
        action.last_attempt_at = now
        connector = None
        # Imported here: pulls imports the ingest service, which imports this module.
        from .pulls import build_connector, keep_connector_state

        try:
            connector = build_connector(connection, transport=transport)
            outcome = _call(connector, action, look_first=claim is not None and claim.earlier)
        except base.AccessExpired as error:
            broken_reason = error.message
            _finish(action, PlatformActionState.FAILED, broken_message(), now)
        except base.RateLimited as error:
            # The limit is no failure of this action: it waits, its attempt not counted.
            action.attempts -= 1
            action.next_attempt_at = error.retry_at
            action.message = error.message
            action.save(update_fields=["next_attempt_at", "message", "last_attempt_at"])
        except (base.PlatformError, ValueError, TypeError) as error:
            message = getattr(error, "message", "") or _("Anslutningens uppgifter är ogiltiga.")
            if action.attempts >= MAX_ATTEMPTS:
                _finish(action, PlatformActionState.FAILED, message, now)
            else:
                action.next_attempt_at = now + FIRST_RETRY * 2 ** (action.attempts - 1)
                action.message = message
                action.save(
                    update_fields=["attempts", "last_attempt_at", "next_attempt_at", "message"]
                )
        else:
            state = {
                base.ActionResult.DONE: PlatformActionState.DONE,
                base.ActionResult.NEAREST: PlatformActionState.NEAREST,
            }.get(outcome.state, PlatformActionState.NOT_POSSIBLE)
            if outcome.reply is not None:
                action.reply_item = _store_reply(action.item, outcome.reply)
            _finish(action, state, outcome.message, now)
            if _removes_secret(action, state):
                secrecy.record_secret_removed(action.item, now=now)
        if connector is not None:
            keep_connector_state(connection, connector)
    if broken_reason is not None:
        from .pulls import mark_connection_broken

        mark_connection_broken(connection, reason=broken_reason, now=now)
    return action.state


@dataclasses.dataclass(frozen=True)
class ReplyClaim:
    """A reply attempt committed as begun: `started_at` marks this attempt (the next one
    finds another value); `earlier` says an attempt began before and never finished."""

    started_at: datetime.datetime
    earlier: bool


def _claim_reply(action_id: int, *, now, due_only: bool) -> ReplyClaim | str:
    """Commit, before the platform is called, that a reply attempt begins (Hur man svarar: one
    answer, posted once). Returns the claim, or the state to return without a call."""
    with transaction.atomic():
        action = (
            PlatformAction.objects.select_for_update(skip_locked=True).filter(pk=action_id).first()
        )
        if action is None:
            return "locked"
        if action.state != PlatformActionState.PENDING:
            return action.state
        if due_only and action.next_attempt_at and action.next_attempt_at > now:
            return action.state
        earlier = action.reply_started_at
        # The real clock, never before the last mark: each attempt's mark is its own.
        started_at = timezone.now()
        if earlier is not None and started_at <= earlier:
            started_at = earlier + datetime.timedelta(microseconds=1)
        action.reply_started_at = started_at
        action.save(update_fields=["reply_started_at"])
    return ReplyClaim(started_at=started_at, earlier=earlier is not None)


def _removes_secret(action: PlatformAction, state: str) -> bool:
    """A secrecy decision's removal that the platform carried out (or its nearest thing, which
    takes the text out of public view): the item may leave the queue."""
    return (
        action.kind == PlatformActionKind.DELETE
        and action.decision_id is not None
        and action.decision.kind == DecisionKind.SECRECY
        and state in (PlatformActionState.DONE, PlatformActionState.NEAREST)
    )


def _call(connector, action: PlatformAction, *, look_first: bool = False) -> base.ActionOutcome:
    target = _target(action.item)
    if action.kind == PlatformActionKind.REPLY:
        text = action.decision.reply_text if action.decision_id else ""
        if look_first and text.strip():
            # An earlier attempt may have posted it and died before recording it.
            found = connector.find_reply(target, text)
            if found is not None:
                return base.ActionOutcome(
                    base.ActionResult.DONE,
                    _("Besvarad på %(label)s (svaret fanns redan där och publicerades inte igen)")
                    % {"label": connector.label},
                    found,
                )
        return connector.reply(target, text)
    return getattr(connector, action.kind)(target)


def _finish(action: PlatformAction, state: str, message: str, now) -> None:
    action.state = state
    action.message = message[:2000]
    action.next_attempt_at = None
    fields = ["state", "message", "next_attempt_at", "attempts", "last_attempt_at"]
    if state != PlatformActionState.FAILED:
        action.done_at = now
        fields += ["done_at", "reply_item"]
    action.save(update_fields=fields)
    statistics.record_platform_outcome(action.item_id)


def _store_reply(item: Item, reply: base.PlatformItem) -> Item:
    """The answer as the municipality's own item in the thread, with its platform id, through
    the ingest service (as any item arrives)."""
    from .ingest import BatchError, ingest_items

    data = reply.as_item_data() | {"kind": ItemKind.POST, "parent": item.external_id}
    # Some platforms do not name the author of what the account posts: it is the channel.
    data["author"] = data["author"] or item.channel.account_name[:200]
    try:
        return ingest_items(item.channel, [data])[0][0]
    except BatchError:
        # The reply is on the platform already: it is kept even if it cannot be threaded
        # (the item culled meanwhile), never lost to a retry that would post it again.
        return ingest_items(item.channel, [data | {"parent": None}])[0][0]


@transaction.atomic
def retry_platform_action(action: PlatformAction, *, by) -> PlatformAction:
    """ "Försök igen": a failed action is pending again and handed to the outbox."""
    from ..tasks import carry_out_platform_action as carry_out_task

    if not selectors.may_handle(by, action.item):
        raise PermissionDeniedError
    locked = PlatformAction.objects.select_for_update().get(pk=action.pk)
    if locked.state != PlatformActionState.FAILED:
        raise ValidationError(_("Bara en misslyckad åtgärd kan försökas igen."))
    locked.state = PlatformActionState.PENDING
    locked.attempts = 0
    locked.message = ""
    locked.next_attempt_at = timezone.now() + HAND_OVER_GRACE
    locked.save(update_fields=["state", "attempts", "message", "next_attempt_at"])
    statistics.record_platform_outcome(locked.item_id)
    enqueue(carry_out_task, locked.pk)
    record_audit("platform_action_retried", by=by, obj=locked.item, details={"action": locked.pk})
    return locked


def carry_out_due_actions(now=None) -> int:
    """The job every minute: the pending actions whose next attempt is due (a back-off passed,
    a rate limit lifted, a hand-over lost), oldest first, within JOB_SECONDS."""
    now = now or timezone.now()
    started = time.monotonic()
    due = (
        PlatformAction.objects.filter(state=PlatformActionState.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:DUE_PER_RUN]
    )
    done = 0
    for pk in list(due):
        if time.monotonic() - started > JOB_SECONDS:
            break
        try:
            carry_out_platform_action(pk, now=now, due_only=True)
        except Exception:
            logger.exception("Platform action %s could not be carried out.", pk)
        done += 1
    return done
