"""Culling (gallring): trivial items ("ringa eller av tillfällig betydelse") are culled at the
earliest after three months, under a decision of the dokumenthanteringsplan, and every culling
is logged. The models are registered under the app label "archiving" (archiving/models.py
imports them); services: archiving/culling/services.py; which items may go:
archiving/culling/selectors.py `cullable_items`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.append_only import AppendOnlyModel, AppendOnlyQuerySet
from atvida_social.organisation.validators import validate_single_line
from channels.models import Channel

from ..exceptions import CullingRecordImmutable, DispositionDecisionImmutable


class LegalHold(models.Model):
    """Informationsenheten stops culling for a whole channel or for one item, with a reason;
    released, it stays as a row (who released it and when).

    A hold on one item names its channel too, and copies the item's platform id: once the
    hold is released the item may be culled, and the row still says which item it held."""

    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="legal_holds", verbose_name=_("kanal")
    )
    # Culling sets this to NULL itself (a released hold never blocks the deletion).
    item = models.ForeignKey(
        "moderation.Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="legal_holds",
        verbose_name=_("inlägg"),
    )
    item_external_id = models.CharField(
        _("inläggets id på plattformen"), max_length=200, blank=True
    )
    reason = models.TextField(_("anledning"), max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("satt av"),
    )
    created_at = models.DateTimeField(_("satt"), auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hävt av"),
    )
    released_at = models.DateTimeField(_("hävt"), null=True, blank=True)

    class Meta:
        verbose_name = _("gallringsstopp")
        verbose_name_plural = _("gallringsstopp")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A channel's hold names no item; an item's hold names it while it is active.
            models.CheckConstraint(
                condition=Q(item_external_id="", item__isnull=True)
                | (
                    ~Q(item_external_id="") & (Q(item__isnull=False) | Q(released_at__isnull=False))
                ),
                name="legalhold_item_named",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="legalhold_reason_given"),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True, released_by__isnull=True)
                | Q(released_at__isnull=False, released_by__isnull=False),
                name="legalhold_released_by_whom",
            ),
        ]
        indexes = [
            models.Index(
                fields=["channel"],
                condition=Q(released_at__isnull=True, item_external_id=""),
                name="legalhold_active_channel",
            ),
            models.Index(
                fields=["item"], condition=Q(released_at__isnull=True), name="legalhold_active_item"
            ),
        ]

    def __str__(self) -> str:
        if self.item_external_id:
            return f"{self.item_external_id} ({self.channel})"
        return str(self.channel)

    @property
    def is_active(self) -> bool:
        return self.released_at is None

    @property
    def is_for_item(self) -> bool:
        return bool(self.item_external_id)


class CullingQuerySet(AppendOnlyQuerySet):
    immutable_error = CullingRecordImmutable


class DispositionQuerySet(AppendOnlyQuerySet):
    immutable_error = DispositionDecisionImmutable

    def current(self):
        """The newest decision applies; None while none is recorded."""
        return self.order_by("-created_at", "-pk").first()


class DispositionDecision(AppendOnlyModel):
    """The decision in the dokumenthanteringsplan that culling rests on. Never changed: a new
    decision is added, and the newest applies."""

    immutable_error = DispositionDecisionImmutable

    reference = models.CharField(_("referens"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("beskrivning"), max_length=4000)
    adopted_on = models.DateField(_("antaget"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("angivet av"),
    )
    created_at = models.DateTimeField(_("angivet"), auto_now_add=True)

    objects = DispositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("beslut om gallring")
        verbose_name_plural = _("beslut om gallring")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.reference


class ProposalStatus(models.TextChoices):
    PROPOSED = "foreslagen", _("Föreslagen")
    APPROVED = "godkand", _("Godkänd")
    EXECUTED = "genomford", _("Genomförd")
    DISCARDED = "avbruten", _("Avbruten")


# status → the statuses it may move to; everything else is refused.
PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ProposalStatus.PROPOSED: frozenset({ProposalStatus.APPROVED, ProposalStatus.DISCARDED}),
    ProposalStatus.APPROVED: frozenset({ProposalStatus.EXECUTED}),
    ProposalStatus.EXECUTED: frozenset(),
    ProposalStatus.DISCARDED: frozenset(),
}


class CullingProposal(models.Model):
    """A batch of items the nightly job found cullable, for Informationsenheten to review.

    The items are fixed when it is proposed (`CullingProposalItem`): an approval covers those
    items and no item found later; each is checked again when it is deleted, and one that may
    no longer go stays."""

    created_at = models.DateTimeField(_("föreslagen"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("föreslagen av"),
        help_text=_("Tom när den nattliga körningen föreslog gallringen."),
    )
    decision = models.ForeignKey(
        DispositionDecision,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("beslut om gallring"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    # Items older than this (received_at) were eligible when the batch was proposed.
    cutoff = models.DateTimeField(_("inkomna före"))
    item_count = models.PositiveIntegerField(_("antal inlägg"), default=0)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkänd av"),
    )
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    # When the run carrying out the approval took it, renewed after every batch: a second
    # delivery of the task leaves a proposal claimed within services.CLAIM_TIMEOUT alone.
    claimed_at = models.DateTimeField(_("gallras sedan"), null=True, blank=True)
    finished_at = models.DateTimeField(_("avslutad"), null=True, blank=True)

    class Meta:
        verbose_name = _("förslag till gallring")
        verbose_name_plural = _("förslag till gallring")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} ({self.item_count})"

    def can_transition_to(self, status: str) -> bool:
        return status in PROPOSAL_TRANSITIONS[self.status]


class CullingProposalItem(models.Model):
    """One item of a proposal. Its id only, not a foreign key: the item is deleted when culled,
    and the proposal keeps showing what it covered."""

    proposal = models.ForeignKey(CullingProposal, on_delete=models.CASCADE, related_name="items")
    item_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "item_id"], name="proposalitem_unique")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.item_id}"


class CullingRecord(AppendOnlyModel):
    """The culling log (gallringslogg): one run, by the nightly job or a person, under which
    decision; never the culled text. What went is in its lines, written in the same
    transaction as each deleted batch, so an interrupted run still shows exactly what went."""

    immutable_error = CullingRecordImmutable

    created_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("av"),
    )
    job = models.CharField(_("körning"), max_length=200, blank=True)
    proposal = models.ForeignKey(
        CullingProposal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("förslag"),
    )
    decision = models.ForeignKey(
        DispositionDecision,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("beslut om gallring"),
    )
    # Copied, so the log reads the same whatever happens to the decision's row.
    decision_reference = models.CharField(_("beslutets referens"), max_length=200)
    dry_run = models.BooleanField(_("provkörning"), default=False)
    purged_texts = models.PositiveIntegerField(_("rensade texter"), default=0)

    objects = CullingQuerySet.as_manager()

    class Meta:
        verbose_name = _("gallringslogg")
        verbose_name_plural = _("gallringsloggar")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(by__isnull=False, job="") | Q(by__isnull=True) & ~Q(job=""),
                name="cullingrecord_by_person_or_job",
            ),
            # A dry run deletes nothing and writes no record.
            models.CheckConstraint(condition=Q(dry_run=False), name="cullingrecord_not_dry_run"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.decision_reference}"


class CullingRecordLine(AppendOnlyModel):
    """What one batch culled on one channel: how many items and the period they span."""

    immutable_error = CullingRecordImmutable

    record = models.ForeignKey(CullingRecord, on_delete=models.PROTECT, related_name="lines")
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="+", verbose_name=_("kanal")
    )
    items = models.PositiveIntegerField(_("gallrade inlägg"))
    # Of those, kept as an empty marker because a reply to them stays.
    markers = models.PositiveIntegerField(_("varav markeringar i tråd"), default=0)
    earliest_received_at = models.DateTimeField(_("tidigast inkommet"))
    latest_received_at = models.DateTimeField(_("senast inkommet"))

    objects = CullingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rad i gallringsloggen")
        verbose_name_plural = _("rader i gallringsloggen")
        ordering = ["record", "pk"]

    def __str__(self) -> str:
        return f"{self.channel}: {self.items}"
