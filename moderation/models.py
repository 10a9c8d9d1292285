"""Moderation: what arrives on the municipality's channels, the rules it is checked against,
the matches, the decisions taken on it and the response-time policies (Rimliga svarstider)."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.append_only import AppendOnlyModel, AppendOnlyQuerySet
from atvida_social.organisation.encryption import EncryptedTextField
from atvida_social.organisation.models import Unit
from atvida_social.organisation.validators import validate_single_line
from channels.models import Channel, Platform

from .categories import Category, RuleAction
from .exceptions import DecisionImmutable, ReviewImmutable
from .querysets import ItemQuerySet
from .workflow import OPEN, DecisionKind, ItemKind, ItemStatus

# "up to 64 KB" of text: counted in characters here, in bytes by the service.
TEXT_MAX_BYTES = 64 * 1024


class Item(models.Model):
    """A comment, question, direct message, report or the municipality's own post."""

    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="items", verbose_name=_("kanal")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=ItemKind.choices)
    external_id = models.CharField(
        _("id på plattformen"), max_length=200, validators=[validate_single_line]
    )
    author = models.CharField(
        _("avsändare"), max_length=200, blank=True, validators=[validate_single_line]
    )
    text = models.TextField(
        _("text"),
        blank=True,
        max_length=TEXT_MAX_BYTES,
        validators=[MaxLengthValidator(TEXT_MAX_BYTES)],
    )
    links = models.JSONField(_("länkar"), default=list, blank=True)
    url = models.URLField(_("adress på plattformen"), max_length=1000, blank=True)
    received_at = models.DateTimeField(_("inkom"), db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("svar på"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.NEW
    )
    due_at = models.DateTimeField(_("ska besvaras senast"), null=True, blank=True)
    # From here under 25 % of the time is left: "snart sen" in the queue, and the warning.
    warn_at = models.DateTimeField(_("snart sen från"), null=True, blank=True)
    settled_at = models.DateTimeField(_("hanterad"), null=True, blank=True)
    sla_met = models.BooleanField(_("i tid"), null=True, blank=True)
    # Working time from received_at to settled_at (calendar.working_time_between), in seconds:
    # written with settled_at, so that the statistics take percentiles in the database.
    response_seconds = models.PositiveIntegerField(
        _("svarstid i arbetstid (sekunder)"), null=True, blank=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_items",
        verbose_name=_("tilldelad"),
    )
    # While forwarded to a unit, that unit's staff see and handle the item too.
    forwarded_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forwarded_items",
        verbose_name=_("vidarebefordrad till verksamhet"),
    )
    removed_category = models.CharField(
        _("borttagen för"), max_length=30, choices=Category.choices, blank=True
    )
    diarienummer = models.CharField(
        _("diarienummer"), max_length=100, blank=True, validators=[validate_single_line]
    )
    # A text removed for a breach is seen by Informationsenheten only until this moment.
    text_purge_after = models.DateTimeField(_("texten rensas efter"), null=True, blank=True)
    text_purged_at = models.DateTimeField(_("texten rensad"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("inlägg")
        verbose_name_plural = _("inlägg")
        ordering = ["due_at", "received_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                name="item_external_id_unique_per_channel",
                violation_error_message=_("Kanalen har redan ett inlägg med det id:t."),
            ),
        ]
        indexes = [
            # The queue: open items, due first; counted and paged from this index alone.
            models.Index(
                fields=["due_at", "received_at", "id"],
                name="item_open_queue_idx",
                condition=models.Q(status__in=sorted(OPEN)),
            ),
            # Culling's "part of a case" starts from these few rows (archiving's selectors).
            models.Index(
                fields=["parent"],
                name="item_in_case_idx",
                condition=~models.Q(diarienummer="")
                | models.Q(status__in=[ItemStatus.REGISTERED, ItemStatus.SECRET]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.external_id} ({self.channel})"

    def get_absolute_url(self) -> str:
        return reverse("moderation:item-detail", args=[self.pk])


class Rule(models.Model):
    """A rule of the guideline's prohibited content, kept by Informationsenheten."""

    class Kind(models.TextChoices):
        WORD = "word", _("Ord eller fras")
        REGEX = "regex", _("Reguljärt uttryck")
        DOMAIN = "domain", _("Domän")

    name = models.CharField(_("namn"), max_length=200, validators=[validate_single_line])
    kind = models.CharField(_("slag"), max_length=10, choices=Kind.choices)
    pattern = models.CharField(_("mönster"), max_length=500)
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices)
    action = models.CharField(
        _("åtgärd"), max_length=10, choices=RuleAction.choices, default=RuleAction.FLAG
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    test_mode = models.BooleanField(
        _("testläge"),
        default=False,
        help_text=_("I testläge registreras träffar men inget döljs eller flaggas."),
    )
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("regel")
        verbose_name_plural = _("regler")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "pattern", "category"],
                name="rule_pattern_unique_per_category",
                violation_error_message=_("Regeln finns redan."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class DomainEntry(models.Model):
    """A domain whose links are allowed (public bodies) or blocked (hidden at once)."""

    class List(models.TextChoices):
        ALLOW = "allow", _("Tillåten")
        BLOCK = "block", _("Blockerad")

    domain = models.CharField(_("domän"), max_length=253, unique=True)
    list = models.CharField(_("lista"), max_length=10, choices=List.choices)
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("domän")
        verbose_name_plural = _("domäner")
        ordering = ["list", "domain"]

    def __str__(self) -> str:
        return self.domain


class RuleMatch(models.Model):
    """Where a rule (or a built-in detector) matched an item's text."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="matches")
    rule = models.ForeignKey(Rule, on_delete=models.SET_NULL, null=True, blank=True)
    rule_name = models.CharField(_("regel"), max_length=200)
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices)
    action = models.CharField(_("åtgärd"), max_length=10, choices=RuleAction.choices)
    test_mode = models.BooleanField(_("testläge"), default=False)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("träff")
        verbose_name_plural = _("träffar")
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return f"{self.rule_name} ({self.category})"


class DecisionQuerySet(AppendOnlyQuerySet):
    immutable_error = DecisionImmutable


class Decision(AppendOnlyModel):
    """One decision on an item: who, when, what and why. Never the removed text."""

    immutable_error = DecisionImmutable

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("beslut"), max_length=20, choices=DecisionKind.choices)
    from_status = models.CharField(_("från"), max_length=20, choices=ItemStatus.choices)
    to_status = models.CharField(_("till"), max_length=20, choices=ItemStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("av"),
    )
    reason = models.TextField(_("motivering"), blank=True, max_length=2000)
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices, blank=True)
    rule_name = models.CharField(_("regel"), max_length=200, blank=True)
    reply_text = models.TextField(_("svar"), blank=True, max_length=10000)
    replied_at = models.DateTimeField(_("besvarad"), null=True, blank=True)
    forwarded_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vidarebefordrad till"),
    )
    forwarded_to_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vidarebefordrad till verksamhet"),
    )
    diarienummer = models.CharField(_("diarienummer"), max_length=100, blank=True)
    police_report = models.BooleanField(_("polisanmäls"), default=False)
    police_reference = models.CharField(_("polisens diarienummer"), max_length=100, blank=True)
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["at", "pk"]
        constraints = [
            # Forwarded to a person or to a unit, never both.
            models.CheckConstraint(
                condition=models.Q(forwarded_to__isnull=True)
                | models.Q(forwarded_to_unit__isnull=True),
                name="decision_forwarded_to_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.get_kind_display()}"


class ResponsePolicy(models.Model):
    """How soon the public gets an answer (Rimliga svarstider), per platform; the row without
    a platform is the default, which also covers citizens' reports."""

    class Unit(models.TextChoices):
        HOURS = "hours", _("arbetstimmar")
        DAYS = "days", _("arbetsdagar")

    platform = models.CharField(
        _("socialt medium"), max_length=20, choices=Platform.choices, blank=True, unique=True
    )
    amount = models.DecimalField(
        _("antal"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0.25)]
    )
    unit = models.CharField(_("enhet"), max_length=10, choices=Unit.choices)

    class Meta:
        verbose_name = _("svarstid")
        verbose_name_plural = _("svarstider")
        ordering = ["platform"]

    def __str__(self) -> str:
        platform = self.get_platform_display() if self.platform else _("övriga")
        return f"{platform}: {self.amount} {self.get_unit_display()}"


# --- The ways in: API tokens and the webhook's inbox -------------------------------------


class IngestToken(models.Model):
    """A Bearer token for the ingest API, good for one channel. Only its SHA-256 hash is
    kept: the token itself is shown once, when it is created."""

    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="ingest_tokens", verbose_name=_("kanal")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField(
        _("beskrivning"), max_length=200, blank=True, validators=[validate_single_line]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["channel", "-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.label or _('API-nyckel')} ({self.channel})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class WebhookSubscription(models.Model):
    """What a channel's platform app needs to reach the webhook: the app secret that signs
    each delivery and the verify token of the subscription handshake, both encrypted."""

    channel = models.OneToOneField(
        Channel,
        on_delete=models.PROTECT,
        related_name="webhook_subscription",
        verbose_name=_("kanal"),
    )
    app_secret = EncryptedTextField(_("apphemlighet"))
    verify_token = EncryptedTextField(_("verifieringstoken"))
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("webhook-prenumeration")
        verbose_name_plural = _("webhook-prenumerationer")

    def __str__(self) -> str:
        return str(self.channel)


class WebhookDelivery(models.Model):
    """The inbox: a signed delivery, kept exactly as it arrived before it is answered, so that
    no comment is lost when the broker or the processing fails."""

    channel = models.ForeignKey(
        Channel,
        on_delete=models.PROTECT,
        related_name="webhook_deliveries",
        verbose_name=_("kanal"),
    )
    body = models.BinaryField(_("innehåll"))
    received_at = models.DateTimeField(_("mottagen"), auto_now_add=True)
    processed_at = models.DateTimeField(_("behandlad"), null=True, blank=True)
    error = models.TextField(_("fel"), blank=True)

    class Meta:
        verbose_name = _("webhook-leverans")
        verbose_name_plural = _("webhook-leveranser")
        ordering = ["received_at", "pk"]
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=models.Q(processed_at__isnull=True),
                name="webhook_unprocessed_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.received_at:%Y-%m-%d %H:%M:%S}"


# --- Statistics ---------------------------------------------------------------------------


class MonthlyStatistics(models.Model):
    """One month's figures (month 0: the whole year) for a channel, a unit (channel empty) or
    the whole municipality (both empty), computed by `moderation.statistics`; derived data,
    replaced a year at a time, never edited."""

    year = models.PositiveSmallIntegerField(_("år"))
    month = models.PositiveSmallIntegerField(_("månad"), help_text=_("0 för hela året."))
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    items = models.PositiveIntegerField(_("inkomna"), default=0)
    by_kind = models.JSONField(_("per typ"), default=dict)
    by_category = models.JSONField(_("borttagna per kategori"), default=dict)
    responded = models.PositiveIntegerField(_("hanterade med svarstid"), default=0)
    median_seconds = models.FloatField(_("median (sekunder arbetstid)"), null=True)
    p90_seconds = models.FloatField(_("90:e percentilen (sekunder arbetstid)"), null=True)
    due = models.PositiveIntegerField(_("med passerad eller uppfylld svarstid"), default=0)
    in_time = models.PositiveIntegerField(_("hanterade i tid"), default=0)
    overdue_reviews = models.PositiveIntegerField(_("försenad tillsyn"), default=0)
    computed_at = models.DateTimeField(_("beräknad"))

    class Meta:
        verbose_name = _("statistik per månad")
        verbose_name_plural = _("statistik per månad")
        ordering = ["year", "month", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__lte=12), name="statistics_month_0_to_12"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__isnull=True) | models.Q(unit__isnull=False),
                name="statistics_channel_row_has_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(in_time__lte=models.F("due")),
                name="statistics_in_time_within_due",
            ),
            models.UniqueConstraint(
                fields=["year", "month", "channel"],
                condition=models.Q(channel__isnull=False),
                name="statistics_one_row_per_channel_month",
            ),
            models.UniqueConstraint(
                fields=["year", "month", "unit"],
                condition=models.Q(channel__isnull=True, unit__isnull=False),
                name="statistics_one_row_per_unit_month",
            ),
            models.UniqueConstraint(
                fields=["year", "month"],
                condition=models.Q(channel__isnull=True, unit__isnull=True),
                name="statistics_one_total_per_month",
            ),
        ]

    def __str__(self) -> str:
        scope = self.channel or self.unit or _("hela kommunen")
        return f"{scope} {self.year}-{self.month:02d}"


# --- Supervision: weekly review, substitutes and warnings (Bilaga 1; Rimliga svarstider) ---


class ChannelReviewQuerySet(AppendOnlyQuerySet):
    immutable_error = ReviewImmutable


class ChannelReview(AppendOnlyModel):
    """Someone looked through the channel (lagen om elektroniska anslagstavlor: at least once a
    week). Marked by hand, or recorded with any decision on one of the channel's items."""

    immutable_error = ReviewImmutable

    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("kanal")
    )
    reviewed_at = models.DateTimeField(_("tillsyn"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("av"),
    )
    # No database constraint: culling deletes a trivial item's decisions, while the review,
    # the record that the channel was supervised, stays (its link then points at nothing).
    decision = models.OneToOneField(
        Decision,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="review",
        verbose_name=_("genom beslut"),
    )

    objects = ChannelReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("tillsyn")
        verbose_name_plural = _("tillsyner")
        ordering = ["-reviewed_at", "-pk"]
        indexes = [models.Index(fields=["channel", "-reviewed_at"], name="review_latest_idx")]

    def __str__(self) -> str:
        return f"{self.channel_id}: {self.reviewed_at:%Y-%m-%d %H:%M}"


class Absence(models.Model):
    """An operator away for a time; assignments and notifications go to the substitute, a
    colleague from the same unit ("ersättare"). Without a substitute nobody takes over."""

    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="absences",
        verbose_name=_("frånvarande"),
    )
    starts_at = models.DateTimeField(_("från"))
    ends_at = models.DateTimeField(_("till"))
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substitutions",
        verbose_name=_("ersättare"),
    )
    reason = models.CharField(
        _("anledning"), max_length=200, blank=True, validators=[validate_single_line]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("frånvaro")
        verbose_name_plural = _("frånvaro")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="absence_ends_after_start",
                violation_error_message=_("Frånvaron ska sluta efter att den börjar."),
            ),
            models.CheckConstraint(
                condition=~models.Q(substitute=models.F("operator")),
                name="absence_substitute_is_another",
                violation_error_message=_("Ersättaren ska vara någon annan."),
            ),
        ]
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="absence_period_idx")]

    def __str__(self) -> str:
        return f"{self.operator} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"


class SupervisionNotice(models.Model):
    """One warning mail per event: the key is stored before the mail is sent, so that a
    second run of the task, or two at once, sends nothing more."""

    class Kind(models.TextChoices):
        DEADLINE = "deadline", _("Svarstiden går snart ut")
        REVIEW = "review", _("Tillsynen är försenad")

    key = models.CharField(_("händelse"), max_length=200, unique=True)
    kind = models.CharField(_("slag"), max_length=10, choices=Kind.choices)
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="+", verbose_name=_("kanal")
    )
    item = models.ForeignKey(
        Item,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inlägg"),
    )
    recipients = models.JSONField(_("mottagare"), default=list)
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)

    class Meta:
        verbose_name = _("tillsynsvarning")
        verbose_name_plural = _("tillsynsvarningar")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.key
