"""Culling (gallring) of trivial items: the decision it rests on, legal holds, proposals,
approval and the deletion itself, each run written to the culling log (Gallring av inlägg
och kommentarer: "ringa eller av tillfällig betydelse … tidigast efter tre månader").

The purge of texts removed for a breach is destruction as well: it rests on the same
decision, obeys the same protections (`selectors.destruction_allowed`) and is written in the
same log (`purge_removed_texts`).

Which items may go is decided in one place, `selectors.cullable_items`; the deletion
asks it again inside every deleting transaction, after locking the rows, so that a hold or
a diarium entry added after the proposal still protects the item. Who may act is decided by
`selectors.may_cull`; moderation's rows are deleted by moderation (`moderation.services.culling`).
"""

import dataclasses
import datetime
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.outbox.services import enqueue
from channels.models import Channel
from moderation.models import Item
from moderation.services.culling import among, erase_items, purge_texts, texts_due_for_purge
from moderation.workflow import ItemStatus

from ..exceptions import CullingNotAllowed, CullingNotConfigured
from .models import (
    CullingProposal,
    CullingProposalItem,
    CullingRecord,
    CullingRecordLine,
    DispositionDecision,
    LegalHold,
    ProposalStatus,
)
from .selectors import (
    CullingSummary,
    cullable_items,
    culling_candidates,
    culling_cutoff,
    culling_summary,
    destruction_allowed,
    may_cull,
)

# How the nightly job signs the culling log.
NIGHTLY_JOB = "Nattlig gallring (archiving.tasks.cull_trivial_items)"
# A proposal whose run has shown no sign of life (a finished batch) for this long was left by
# a run that died; the next delivery or the nightly job takes it over. A batch takes seconds.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)


def _ensure_may_cull(user) -> None:
    """Refuse anyone `selectors.may_cull` refuses."""
    if not may_cull(user):
        raise PermissionDeniedError


# --- The decision culling rests on -------------------------------------------------------


def current_decision() -> DispositionDecision:
    """The newest decision of the dokumenthanteringsplan; culling refuses without one."""
    decision = DispositionDecision.objects.current()
    if decision is None:
        raise CullingNotConfigured
    return decision


@transaction.atomic
def record_disposition_decision(
    *, by, reference: str, description: str, adopted_on: datetime.date
) -> DispositionDecision:
    """Informationsenheten records the decision culling rests on; the newest applies."""
    _ensure_may_cull(by)
    decision = DispositionDecision(
        reference=(reference or "").strip(),
        description=(description or "").strip(),
        adopted_on=adopted_on,
        created_by=by,
    )
    decision.full_clean()
    decision.save()
    record_audit(
        "disposition_decision_recorded",
        by=by,
        obj=decision,
        details={"reference": decision.reference, "adopted_on": adopted_on.isoformat()},
    )
    return decision


# --- Legal holds -------------------------------------------------------------------------


@transaction.atomic
def place_legal_hold(target: Channel | Item, *, by, reason: str) -> LegalHold:
    """Informationsenheten stops culling of a channel or of one item, with a reason.

    The channel's or the item's row is locked first: a culling batch holds the same locks
    while it deletes, so the hold either waits for that batch or protects the item from it.
    """
    _ensure_may_cull(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Ange varför gallringen ska stoppas.")]})
    if isinstance(target, Channel):
        channel = Channel.objects.select_for_update().get(pk=target.pk)
        hold = LegalHold(channel=channel, reason=reason, created_by=by)
    elif isinstance(target, Item):
        item = Item.objects.select_for_update().get(pk=target.pk)
        if item.status == ItemStatus.CULLED:
            raise CullingNotAllowed(_("Inlägget är redan gallrat."))
        hold = LegalHold(
            channel_id=item.channel_id,
            item=item,
            item_external_id=item.external_id,
            reason=reason,
            created_by=by,
        )
    else:
        raise TypeError("A legal hold is placed on a channel or an item.")
    hold.full_clean()
    hold.save()
    record_audit(
        "legal_hold_placed",
        by=by,
        obj=hold,
        details={"channel": hold.channel_id, "item": hold.item_id, "reason": reason},
    )
    return hold


@transaction.atomic
def release_legal_hold(hold: LegalHold, *, by) -> LegalHold:
    """Informationsenheten lifts a hold; the row stays, with who lifted it and when."""
    _ensure_may_cull(by)
    locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if not locked.is_active:
        raise CullingNotAllowed(_("Gallringsstoppet är redan hävt."))
    locked.released_by = by
    locked.released_at = timezone.now()
    locked.save(update_fields=["released_by", "released_at"])
    record_audit("legal_hold_released", by=by, obj=locked)
    return locked


# --- Proposals and their review ----------------------------------------------------------


def _transition(proposal: CullingProposal, to: str, *, by, note: str = "") -> CullingProposal:
    locked = CullingProposal.objects.select_for_update().get(pk=proposal.pk)
    if not locked.can_transition_to(to):
        raise CullingNotAllowed(
            _("Förslaget är %(status)s och kan inte bli %(to)s.")
            % {
                "status": ProposalStatus(locked.status).label.lower(),
                "to": ProposalStatus(to).label.lower(),
            }
        )
    before = locked.status
    locked.status = to
    changed = ["status"]
    now = timezone.now()
    if to == ProposalStatus.APPROVED:
        locked.approved_by, locked.approved_at = by, now
        changed += ["approved_by", "approved_at"]
    if to in (ProposalStatus.EXECUTED, ProposalStatus.DISCARDED):
        locked.finished_at = now
        changed.append("finished_at")
    locked.save(update_fields=changed)
    record_audit(
        f"culling_{ProposalStatus(to).name.lower()}",
        by=by,
        obj=locked,
        details={"from": before, "to": to, "note": note},
    )
    proposal.status = locked.status
    return locked


def _store_items(proposal: CullingProposal, items) -> int:
    """INSERT … SELECT: the ids go from the item table to the proposal's, never through
    Python, however many there are."""
    sql, params = items.values("pk").query.sql_with_params()
    # Only the model's table name is formatted in; every value is a parameter.
    table = CullingProposalItem._meta.db_table
    insert = (
        f"INSERT INTO {table} (proposal_id, item_id) SELECT %s, eligible.* FROM ({sql}) eligible"  # noqa: S608
    )
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(insert, [proposal.pk, *params])
        return cursor.rowcount


@transaction.atomic
def propose_culling(*, by=None, now=None) -> CullingProposal | None:
    """Propose every item that may be culled now, for Informationsenheten to review; None
    when nothing may go. A new proposal replaces the ones still waiting."""
    if by is not None:
        _ensure_may_cull(by)
    decision = current_decision()
    now = now or timezone.now()
    for waiting in CullingProposal.objects.filter(status=ProposalStatus.PROPOSED):
        _transition(waiting, ProposalStatus.DISCARDED, by=by, note="ersatt av ett nytt förslag")
    eligible = cullable_items(now=now)
    if not eligible.exists():
        return None
    proposal = CullingProposal.objects.create(
        created_by=by, decision=decision, cutoff=culling_cutoff(now)
    )
    proposal.item_count = _store_items(proposal, eligible)
    proposal.save(update_fields=["item_count"])
    record_audit(
        "culling_proposed",
        by=by,
        obj=proposal,
        details={"items": proposal.item_count, "decision": decision.reference},
    )
    return proposal


@transaction.atomic
def approve_culling(proposal: CullingProposal, *, by) -> CullingProposal:
    """Informationsenheten approves a proposal with one click; the culling then runs in the
    background (the task `cull_approved_proposal`), each item checked again as it goes."""
    _ensure_may_cull(by)
    if proposal.decision_id != current_decision().pk:
        raise CullingNotAllowed(
            _("Beslutet om gallring har ändrats sedan förslaget gjordes. Gör ett nytt förslag.")
        )
    approved = _transition(proposal, ProposalStatus.APPROVED, by=by)
    from ..tasks import cull_approved_proposal

    enqueue(cull_approved_proposal, approved.pk)
    return approved


@transaction.atomic
def discard_culling(proposal: CullingProposal, *, by, note: str = "") -> CullingProposal:
    """Informationsenheten turns a proposal down; nothing of it is culled."""
    _ensure_may_cull(by)
    return _transition(proposal, ProposalStatus.DISCARDED, by=by, note=note)


# --- The culling itself ------------------------------------------------------------------


@dataclasses.dataclass
class CullingResult:
    """What a run culled (or, for a dry run, would cull)."""

    dry_run: bool
    record: CullingRecord | None = None
    items: int = 0
    markers: int = 0
    per_channel: dict[int, int] = dataclasses.field(default_factory=dict)
    preview: CullingSummary | None = None


def _new_record(*, by, job: str, proposal, decision, purged: int = 0) -> CullingRecord:
    return CullingRecord.objects.create(
        by=by,
        job="" if by is not None else job,
        proposal=proposal,
        decision=decision,
        decision_reference=decision.reference,
        purged_texts=purged,
    )


def cull(
    proposal: CullingProposal | None,
    *,
    by,
    dry_run: bool = False,
    batch_size: int = 1000,
    now=None,
    job: str = NIGHTLY_JOB,
    record: CullingRecord | None = None,
) -> CullingResult:
    """Cull an approved proposal, or (review switched off, or a dry run) everything that
    may go now. `by` is the person, None for the nightly job.

    Batches of `batch_size`, each in its own transaction, newest first so that a reply
    usually goes before what it answers: memory stays constant however many items go.
    A dry run deletes nothing and writes nothing; it returns what would go.

    A proposal is culled by one run at a time: the run claims it (`_claim_proposal`) and
    renews the claim with every batch. A second delivery of its task while the claim is
    fresh does nothing and returns an empty result; after a run that died between batches
    the next run continues what is left, in the same culling record.
    """
    if by is not None:
        _ensure_may_cull(by)
    decision = current_decision()
    now = now or timezone.now()
    if not dry_run:
        if proposal is None and settings.CULLING_REQUIRES_REVIEW:
            raise CullingNotAllowed(
                _(
                    "Gallring kräver granskning (CULLING_REQUIRES_REVIEW): godkänn ett förslag "
                    "i stället."
                )
            )
        if proposal is not None and proposal.status != ProposalStatus.APPROVED:
            raise CullingNotAllowed(_("Förslaget är inte godkänt."))
    scope = cullable_items(now=now)
    # Batches are cut from the cheap part of the rule (trivial and old enough), newest
    # first; the whole rule is asked of each batch under lock, in _cull_batch.
    candidates = culling_candidates(now=now)
    if proposal is not None:
        scope = scope.filter(pk__in=proposal.items.values("item_id"))
        candidates = candidates.filter(pk__in=proposal.items.values("item_id"))
    if dry_run:
        return CullingResult(dry_run=True, preview=culling_summary(scope))
    if proposal is not None:
        if not _claim_proposal(proposal):
            return CullingResult(dry_run=False)  # another run has it, or it is done
        # A run that stopped between batches left its record: this run goes on in it.
        record = record or proposal.records.order_by("pk").first()

    result = CullingResult(dry_run=False, record=record)
    per_channel: dict[int, int] = defaultdict(int)
    below: int | None = None
    try:
        while True:
            with transaction.atomic():
                batch = _cull_batch(
                    candidates, below=below, size=batch_size, now=now, result=result,
                    by=by, job=job, proposal=proposal, decision=decision,
                )  # fmt: skip
                if proposal is not None:
                    _renew_claim(proposal)
            if batch is None:
                break
            below, counts = batch
            for channel_id, count in counts.items():
                per_channel[channel_id] += count
    except Exception:
        # A failure (not a death) gives the proposal back at once for a retry to resume.
        if proposal is not None:
            _release_claim(proposal)
        raise
    with transaction.atomic():
        result.per_channel = dict(per_channel)
        details = {"items": result.items, "markers": result.markers}
        if proposal is not None:
            if CullingProposal.objects.select_for_update().get(pk=proposal.pk).status == (
                ProposalStatus.APPROVED
            ):
                _transition(proposal, ProposalStatus.EXECUTED, by=by, note=str(details))
        elif result.items:
            record_audit("culling_run", by=by, obj=result.record, details=details)
    return result


def _claim_proposal(proposal: CullingProposal) -> bool:
    """Take an approved proposal for this run: one UPDATE, so of two deliveries at once one
    wins. True when it was free (never claimed, released, or its run silent for
    CLAIM_TIMEOUT)."""
    now = timezone.now()
    return bool(
        CullingProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.APPROVED)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now)
    )


def _renew_claim(proposal: CullingProposal) -> None:
    CullingProposal.objects.filter(pk=proposal.pk).update(claimed_at=timezone.now())


def _release_claim(proposal: CullingProposal) -> None:
    CullingProposal.objects.filter(pk=proposal.pk).update(claimed_at=None)


def carry_out_culling(proposal_id: int) -> int:
    """The task `cull_approved_proposal`: cull an approved proposal, however often the task
    is delivered. A proposal already carried out, or being carried out by another run, is
    left as it is; returns the number of items this delivery culled."""
    proposal = CullingProposal.objects.get(pk=proposal_id)
    if proposal.status != ProposalStatus.APPROVED:
        return 0
    return cull(proposal, by=proposal.approved_by).items


def resume_approved_cullings() -> list[int]:
    """Hand over again every approved proposal that no run is carrying out: its task was
    lost, or its run died between batches (claimed and silent for CLAIM_TIMEOUT). The
    nightly job asks this first; a proposal whose task is still coming is handed over twice,
    which `carry_out_culling` makes harmless. Returns the proposals' ids."""
    from ..tasks import cull_approved_proposal

    stale = timezone.now() - CLAIM_TIMEOUT
    with transaction.atomic():
        ids = list(
            CullingProposal.objects.filter(status=ProposalStatus.APPROVED, approved_at__lt=stale)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
            .values_list("pk", flat=True)
        )
        for proposal_id in ids:
            enqueue(cull_approved_proposal, proposal_id)
    return ids


def _cull_batch(candidates, *, below, size, now, result, by, job, proposal, decision):
    """One transaction: take up to `size` candidates, lock them, ask the whole rule of each,
    delete those it allows."""
    candidates = candidates.order_by("-pk")
    if below is not None:
        candidates = candidates.filter(pk__lt=below)
    # Take and lock the candidates in one statement (a decision or a hold on one of them
    # waits), then their channels (a hold on one waits): items before channels, the order
    # in which deciding on an item locks them too. Then ask the whole rule in a fresh
    # statement: it sees everything committed before the locks were taken, and nothing can
    # change after.
    found = list(candidates.select_for_update(of=("self",)).values_list("pk", "channel_id")[:size])
    if not found:
        return None
    ids = [pk for pk, _channel in found]
    channel_ids = {channel_id for _pk, channel_id in found}
    list(Channel.objects.select_for_update(no_key=True).filter(pk__in=channel_ids).values("pk"))
    rows = list(cullable_items(now=now).filter(among("pk", ids)).values_list("pk", "parent_id"))
    counts: dict[int, int] = {}
    if rows:
        going = [pk for pk, _parent in rows]
        parents = {parent for _pk, parent in rows if parent is not None}
        # A released hold on an item does not keep it; the hold's row keeps its platform id.
        LegalHold.objects.filter(among("item_id", going)).update(item=None)
        if result.record is None:
            result.record = _new_record(by=by, job=job, proposal=proposal, decision=decision)
        erased = erase_items(going, parents=parents, record_id=result.record.pk)
        CullingRecordLine.objects.bulk_create(
            CullingRecordLine(
                record=result.record,
                channel_id=line.channel_id,
                items=line.items,
                markers=line.markers,
                earliest_received_at=line.earliest,
                latest_received_at=line.latest,
            )
            for line in erased.values()
        )
        for line in erased.values():
            counts[line.channel_id] = line.items
            result.items += line.items
            result.markers += line.markers
    return min(ids), counts


# --- The purge of texts removed for a breach ---------------------------------------------


def purge_removed_texts(*, now=None, by=None, job: str = NIGHTLY_JOB) -> CullingRecord | None:
    """Purge the texts removed for a breach whose retention period is over: destruction, so
    it rests on the recorded decision (CullingNotConfigured without one) and spares every
    item `selectors.destruction_allowed` protects, whose text stays until the protection
    ends and the next run purges it. Written in the culling log under the decision; None
    when nothing was purged.

    One transaction: the due items are locked, then their channels (a decision or a hold
    on one of them waits), in the order culling takes them, then the protections are asked
    in a fresh statement."""
    if by is not None:
        _ensure_may_cull(by)
    decision = current_decision()
    now = now or timezone.now()
    with transaction.atomic():
        found = list(
            texts_due_for_purge(now)
            .order_by("pk")
            .select_for_update(of=("self",))
            .values_list("pk", "channel_id")
        )
        if not found:
            return None
        channel_ids = {channel_id for _pk, channel_id in found}
        list(Channel.objects.select_for_update(no_key=True).filter(pk__in=channel_ids).values("pk"))
        allowed = list(
            destruction_allowed(Item.objects.filter(among("pk", [pk for pk, _ch in found])))
            .order_by()
            .values_list("pk", flat=True)
        )
        purged = purge_texts(allowed, now=now)
        if not purged:
            return None
        record = _new_record(by=by, job=job, proposal=None, decision=decision, purged=purged)
        record_audit("removed_texts_purged", by=by, obj=record, details={"count": purged})
        return record


# --- The nightly job ---------------------------------------------------------------------


def run_culling_job(*, now=None, batch_size: int = 1000) -> CullingProposal | CullingResult | None:
    """Nightly: continue the approved cullings no run is carrying out; purge the texts
    removed for a breach whose time is up (`purge_removed_texts`, in the log); then propose a
    culling for review, or (CULLING_REQUIRES_REVIEW off) cull at once. Without a recorded
    decision nothing is destroyed: CullingNotConfigured."""
    now = now or timezone.now()
    current_decision()
    resume_approved_cullings()
    record = purge_removed_texts(now=now)
    if settings.CULLING_REQUIRES_REVIEW:
        return propose_culling(now=now)
    return cull(None, by=None, now=now, batch_size=batch_size, record=record)
