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
from django.db.models import Q, Transform
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from activityplans.models import ActivityPlan
from atvida_social.organisation.append_only import AppendOnlyModel, AppendOnlyQuerySet
from channels.models import Channel, RegisterVersion

# Culling's models, imported here so that the app registry finds them under "archiving".
from .culling.models import (  # noqa: F401
    PROPOSAL_TRANSITIONS,
    CullingProposal,
    CullingProposalItem,
    CullingQuerySet,
    CullingRecord,
    CullingRecordLine,
    DispositionDecision,
    DispositionQuerySet,
    LegalHold,
    ProposalStatus,
)
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
    # The channel's profile on its platform as the run found it when it started
    # (moderation's `profile_for_snapshot`): every part and the manifest show the same.
    profile = models.JSONField(_("profil på plattformen"), default=dict, blank=True)
    # When the run was last handed to the workers: started, restarted, or handed over again by
    # the reconciler (services/snapshots/reconcile.py), which counts its hand-overs.
    handed_over_at = models.DateTimeField(_("lämnad till arbetarna"), null=True, blank=True)
    handovers = models.PositiveSmallIntegerField(_("lämnad igen"), default=0)
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


class SnapshotCapture(models.Model):
    """What a run archived of one item: whether its text was withheld (`rendering.is_withheld`)
    and, when it was not, the SHA-256 of the text as the part's PDF and JSON hold it.

    Written for every item when the run is planned and set, when its part is rendered, to
    what the part's files actually hold: an item hidden, removed or edited in between is
    recorded as it was archived. It counts only once the run is done (culling's "captured").
    The item is a plain id, not a foreign key: culling deletes items, and this record of what
    the archive holds of them stays."""

    part = models.ForeignKey(SnapshotVolume, on_delete=models.CASCADE, related_name="captures")
    item_id = models.BigIntegerField(_("inlägg"))
    external_id = models.CharField(_("id på plattformen"), max_length=200)
    is_withheld = models.BooleanField(_("texten undanhållen"))
    # Empty when the text was withheld: no text reached the archive.
    text_sha256 = models.CharField(_("textens SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("arkiverat inlägg")
        verbose_name_plural = _("arkiverade inlägg")
        constraints = [
            models.UniqueConstraint(fields=["part", "item_id"], name="snapshotcapture_once"),
            models.CheckConstraint(
                condition=Q(is_withheld=True, text_sha256="")
                | (Q(is_withheld=False) & ~Q(text_sha256="")),
                name="snapshotcapture_hash_unless_withheld",
            ),
        ]
        indexes = [models.Index(fields=["item_id"], name="snapshotcapture_item")]

    def __str__(self) -> str:
        return f"{self.part} {self.external_id}"


class TextSHA256(Transform):
    """The SHA-256 of a text's UTF-8 bytes as 64 lower-case hex digits, computed by the
    database: PostgreSQL's own sha256() (no extension needed), and on SQLite the SHA256
    function Django registers on every connection. Equal to `rendering.text_sha256`."""

    function = "SHA256"
    lookup_name = "text_sha256"
    output_field = models.CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="encode(sha256(convert_to(%(expressions)s, 'UTF8')), 'hex')",
            **extra_context,
        )


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
    """One archived file: a snapshot's volume, JSON or manifest, a published register version,
    an approved activity plan or the diarium's copy of a registered item, each with its
    SHA-256 as written."""

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
    # The diarium's copy of an item ("registreras i förvaltningens diarium"): one per decision
    # that registered it or marked it secret. Plain ids, not foreign keys, as culling deletes
    # items with plain statements and this record of what the archive holds stays.
    diarium_decision_id = models.BigIntegerField(_("diarieförande beslut"), null=True, blank=True)
    diarium_item_id = models.BigIntegerField(_("diariefört inlägg"), null=True, blank=True)
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
                )
                & Q(diarium_decision_id__isnull=True, diarium_item_id__isnull=True)
                | Q(
                    snapshot__isnull=True,
                    register_version__isnull=True,
                    plan__isnull=True,
                    diarium_decision_id__isnull=False,
                    diarium_item_id__isnull=False,
                ),
                name="archivefile_belongs_to_one",
            ),
            models.UniqueConstraint(
                fields=["diarium_decision_id"],
                condition=Q(diarium_decision_id__isnull=False),
                name="archivefile_one_per_diarium_decision",
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
        indexes = [
            models.Index(
                fields=["diarium_item_id"],
                condition=Q(diarium_item_id__isnull=False),
                name="archivefile_diarium_item",
            )
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


class ProblemMail(models.Model):
    """Informationsenheten was mailed about a check's problems, or about one file found
    changed or missing: at most once each. The row is written in the transaction that
    sends the mail, so a second delivery of the task finds it and sends nothing, and a
    failed send leaves no row for its retry to find."""

    check_run = models.OneToOneField(
        IntegrityCheck,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problem_mail",
        verbose_name=_("kontroll av arkivet"),
    )
    verification = models.OneToOneField(
        Verification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problem_mail",
        verbose_name=_("kontroll av fil"),
    )
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-post om avvikelser")
        verbose_name_plural = _("e-post om avvikelser")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(check_run__isnull=True) ^ models.Q(verification__isnull=True),
                name="problemmail_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.check_run_id or ''}{self.verification_id or ''} {self.sent_at:%Y-%m-%d}"
