"""The archive: snapshots of the channels (ögonblicksbilder, "minst en gång varje halvår eller
vid större förändringar"), the files they consist of, and the checks that they are unchanged.

A `SnapshotRun` is the making of one snapshot: it shows progress and failure on the archive
page. Only when every file of it is written is a `Snapshot` recorded, with its `ArchiveFile`
rows, in one transaction: a run that fails leaves no snapshot and no file. Snapshots, their
files and every verification are append-only (model, queryset and a PostgreSQL trigger).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from activityplans.models import ActivityPlan
from atvida_social.organisation.append_only import AppendOnlyModel, AppendOnlyQuerySet
from channels.models import Channel, RegisterVersion

from .exceptions import ArchiveRecordImmutable
from .storage import archive_storage


class SnapshotReason(models.TextChoices):
    SCHEDULE = "halvar", _("Halvårsvis enligt schema")
    ON_DEMAND = "forandring", _("Större förändring")
    REGISTER_CHANGE = "register", _("Ändring i kanalregistret")
    CLOSING = "avslut", _("Kanalen avslutas")


class RunStatus(models.TextChoices):
    QUEUED = "koad", _("Väntar")
    RENDERING = "pagar", _("Skapas")
    DONE = "klar", _("Klar")
    FAILED = "misslyckad", _("Misslyckades")


def new_token() -> str:
    """A random part of every stored name, so that no file name can be guessed."""
    return secrets.token_urlsafe(24)


class SnapshotRun(models.Model):
    """The making of one snapshot of one channel and period; mutable while it runs.

    ``key`` makes a request idempotent: the schedule's key is channel and period, so the same
    half-year asked for twice gives one snapshot; a register change's key names the version,
    closing's the channel; a request by a person gets a fresh key.
    """

    key = models.CharField(max_length=200, unique=True)
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="snapshot_runs", verbose_name=_("kanal")
    )
    # The period is half-open: received_at >= period_start and < period_end.
    period_start = models.DateTimeField(_("period från"))
    period_end = models.DateTimeField(_("period till"))
    reason = models.CharField(_("anledning"), max_length=20, choices=SnapshotReason.choices)
    note = models.TextField(_("motivering"), blank=True, max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beställd av"),
        help_text=_("Tom när schemat tog ögonblicksbilden."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    token = models.CharField(max_length=64, default=new_token, editable=False)
    volumes_total = models.PositiveSmallIntegerField(_("antal delar"), default=0)
    volumes_done = models.PositiveSmallIntegerField(_("klara delar"), default=0)
    items_total = models.PositiveIntegerField(_("antal inlägg"), default=0)
    error = models.TextField(_("fel"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    created_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("avslutad"), null=True, blank=True)

    class Meta:
        verbose_name = _("arkivering pågår")
        verbose_name_plural = _("arkiveringar")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lt=models.F("period_end")),
                name="snapshotrun_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(volumes_done__lte=models.F("volumes_total")),
                name="snapshotrun_volumes_done_le_total",
            ),
        ]

    def __str__(self) -> str:
        start, end = localtime(self.period_start), localtime(self.period_end)
        return f"{self.channel} {start:%Y-%m-%d}–{end:%Y-%m-%d}"


class SnapshotVolume(models.Model):
    """One part ("del N av M") of a run: the items it holds, in the order they are shown, and
    its two files once written. A part is counted done once, under the run's row lock, so
    that a render delivered twice (acks_late after a lost worker) does not count twice."""

    run = models.ForeignKey(SnapshotRun, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveSmallIntegerField(_("del"))
    # The ids of the part's items in the order they are shown: threads whole, in time order.
    item_ids = models.JSONField(default=list)
    items = models.PositiveIntegerField(_("antal inlägg"), default=0)
    pages = models.PositiveIntegerField(_("antal sidor"), null=True, blank=True)
    pdf_name = models.CharField(max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_size = models.PositiveBigIntegerField(null=True, blank=True)
    json_name = models.CharField(max_length=300, blank=True)
    json_sha256 = models.CharField(max_length=64, blank=True)
    json_size = models.PositiveBigIntegerField(null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("del av ögonblicksbild")
        verbose_name_plural = _("delar av ögonblicksbilder")
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="snapshotvolume_one_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.run} del {self.number}"

    @property
    def is_done(self) -> bool:
        return self.finished_at is not None


class ArchiveQuerySet(AppendOnlyQuerySet):
    immutable_error = ArchiveRecordImmutable


class Snapshot(AppendOnlyModel):
    """A finished snapshot: recorded once, with all its files, and never changed."""

    immutable_error = ArchiveRecordImmutable

    run = models.OneToOneField(SnapshotRun, on_delete=models.PROTECT, related_name="snapshot")
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="snapshots", verbose_name=_("kanal")
    )
    period_start = models.DateTimeField(_("period från"))
    period_end = models.DateTimeField(_("period till"))
    reason = models.CharField(_("anledning"), max_length=20, choices=SnapshotReason.choices)
    note = models.TextField(_("motivering"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av"),
        help_text=_("Tom när schemat tog ögonblicksbilden."),
    )
    items = models.PositiveIntegerField(_("antal inlägg"))
    pages = models.PositiveIntegerField(_("antal sidor"))
    volumes = models.PositiveSmallIntegerField(_("antal delar"))
    started_at = models.DateTimeField(_("påbörjad"))
    finished_at = models.DateTimeField(_("klar"))

    objects = ArchiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("ögonblicksbild")
        verbose_name_plural = _("ögonblicksbilder")
        ordering = ["channel_id", "-period_end", "-pk"]
        indexes = [models.Index(fields=["channel", "period_end"], name="snapshot_channel_period")]

    def __str__(self) -> str:
        start, end = localtime(self.period_start), localtime(self.period_end)
        return f"{self.channel} {start:%Y-%m-%d}–{end:%Y-%m-%d}"


class FileRole(models.TextChoices):
    PDF = "pdf", _("PDF/A")
    JSON = "json", _("JSON")
    MANIFEST = "manifest", _("Manifest")


def archive_path(instance, filename: str) -> str:
    """Stored names hold a random token; downloads go through a permission-checked view."""
    return f"arkiv/{new_token()}/{filename}"


def run_directory(run: SnapshotRun) -> str:
    """Where a run's files are written: under its own random token, so that the names cannot
    be guessed and a failed run's files are found (and removed) together."""
    return f"arkiv/{run.token}"


class ArchiveFile(AppendOnlyModel):
    """One archived file: a snapshot's volume, JSON or manifest, a published register version
    or an approved activity plan, each with its SHA-256 as written."""

    immutable_error = ArchiveRecordImmutable

    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    register_version = models.ForeignKey(
        RegisterVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="archive_files",
    )
    plan = models.ForeignKey(
        ActivityPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="archive_files"
    )
    role = models.CharField(_("innehåll"), max_length=20, choices=FileRole.choices)
    volume = models.PositiveSmallIntegerField(_("del"), null=True, blank=True)
    file = models.FileField(
        _("fil"), upload_to=archive_path, storage=archive_storage, max_length=300
    )
    filename = models.CharField(_("filnamn"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("storlek (byte)"))
    pages = models.PositiveIntegerField(_("sidor"), null=True, blank=True)
    created_at = models.DateTimeField(_("arkiverad"), auto_now_add=True)

    objects = ArchiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("arkiverad fil")
        verbose_name_plural = _("arkiverade filer")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(snapshot__isnull=False, register_version__isnull=True, plan__isnull=True)
                    | Q(snapshot__isnull=True, register_version__isnull=False, plan__isnull=True)
                    | Q(snapshot__isnull=True, register_version__isnull=True, plan__isnull=False)
                ),
                name="archivefile_belongs_to_one",
            ),
            models.UniqueConstraint(
                fields=["snapshot", "role", "volume"],
                condition=Q(snapshot__isnull=False, volume__isnull=False),
                name="archivefile_one_per_snapshot_volume",
            ),
            models.UniqueConstraint(
                fields=["snapshot", "role"],
                condition=Q(snapshot__isnull=False, volume__isnull=True),
                name="archivefile_one_per_snapshot_role",
            ),
            models.UniqueConstraint(
                fields=["register_version"],
                condition=Q(register_version__isnull=False),
                name="archivefile_one_per_register_version",
            ),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(plan__isnull=False), name="archivefile_one_per_plan"
            ),
        ]

    def __str__(self) -> str:
        return self.filename


class IntegrityCheck(models.Model):
    """One run of the archive's integrity check (monthly by schedule, or by a person)."""

    started_at = models.DateTimeField(_("påbörjad"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beställd av"),
    )
    files_checked = models.PositiveIntegerField(_("kontrollerade filer"), default=0)
    problems = models.PositiveIntegerField(_("avvikelser"), default=0)

    class Meta:
        verbose_name = _("kontroll av arkivet")
        verbose_name_plural = _("kontroller av arkivet")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class VerificationResult(models.TextChoices):
    OK = "ok", _("Oförändrad")
    MISMATCH = "andrad", _("Ändrad: kontrollsumman stämmer inte")
    MISSING = "saknas", _("Saknas")


class Verification(AppendOnlyModel):
    """One file checked against its recorded SHA-256, on request or by the monthly check."""

    immutable_error = ArchiveRecordImmutable

    file = models.ForeignKey(ArchiveFile, on_delete=models.PROTECT, related_name="verifications")
    check_run = models.ForeignKey(
        IntegrityCheck,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verifications",
    )
    checked_at = models.DateTimeField(_("kontrollerad"), auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kontrollerad av"),
    )
    result = models.CharField(_("resultat"), max_length=20, choices=VerificationResult.choices)
    found_sha256 = models.CharField(_("beräknad SHA-256"), max_length=64, blank=True)

    objects = ArchiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("kontroll av fil")
        verbose_name_plural = _("kontroller av filer")
        ordering = ["-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file} {self.result}"


# --- Culling (gallring), issue 10 ---
# Trivial items ("ringa eller av tillfällig betydelse") are culled at the earliest after
# three months, under a decision of the dokumenthanteringsplan, and every culling is logged.
# Services: archiving/culling.py; which items may go: archiving/culling_selectors.py.

from atvida_social.organisation.validators import validate_single_line  # noqa: E402

from .exceptions import CullingRecordImmutable, DispositionDecisionImmutable  # noqa: E402


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

    The items are fixed when it is proposed (`CullingProposalItem`), so an approval covers
    exactly what was shown; each is checked again when it is deleted."""

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
