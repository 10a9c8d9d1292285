"""The platform connections (moderation/platforms/): a channel's access to its platform, the
pull cursors, and each decision carried out on the platform."""

from django.conf import settings
from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.encryption import EncryptedTextField
from atvida_social.organisation.validators import validate_single_line
from channels.models import Channel, Platform

from .decisions import Decision
from .items import Item


class ConnectionState(models.TextChoices):
    UNTESTED = "ej_testad", _("Inte testad")
    WORKING = "fungerar", _("Fungerar")
    # The platform refused the access (an expired or revoked token): a person must act.
    BROKEN = "bruten", _("Bruten")


class PlatformConnection(models.Model):
    """A channel's access to its platform: the account's id there and its secrets (a page
    token, an app password, an OAuth refresh token), kept encrypted and never shown again.
    The state of the pulls (when next, what the platform's limits allow) is kept here too."""

    channel = models.OneToOneField(
        Channel,
        on_delete=models.PROTECT,
        related_name="platform_connection",
        verbose_name=_("kanal"),
    )
    platform = models.CharField(_("plattform"), max_length=20, choices=Platform.choices)
    # The page, account, channel or site id on the platform: not a secret.
    account_id = models.CharField(
        _("kontots id på plattformen"), max_length=200, validators=[validate_single_line]
    )
    # A JSON object of the platform's secrets (connector.SECRET_FIELDS), encrypted.
    credentials = EncryptedTextField(_("åtkomst"))
    state = models.CharField(
        _("läge"), max_length=20, choices=ConnectionState.choices, default=ConnectionState.UNTESTED
    )
    # Swedish labels of the permissions "Testa anslutningen" found missing.
    missing_permissions = models.JSONField(_("saknade behörigheter"), default=list, blank=True)
    tested_at = models.DateTimeField(_("senast testad"), null=True, blank=True)
    broken_at = models.DateTimeField(_("bruten sedan"), null=True, blank=True)
    # Swedish, never a secret: what the platform said when it refused the access.
    broken_reason = models.TextField(_("varför bruten"), blank=True)
    # The account owners and Informationsenheten are mailed once per break.
    broken_mailed_at = models.DateTimeField(_("brott meddelat"), null=True, blank=True)
    # Claimed by the pull running now (committed before it starts): a second delivery of the
    # task, or "Hämta nu" meanwhile, finds it and does nothing.
    pull_started_at = models.DateTimeField(_("hämtning pågår sedan"), null=True, blank=True)
    last_pull_at = models.DateTimeField(_("senast hämtad"), null=True, blank=True)
    next_pull_at = models.DateTimeField(_("hämtas nästa gång"), null=True, blank=True)
    last_pull_error = models.TextField(_("fel vid senaste hämtningen"), blank=True)
    # The platform's limits as last read (usage headers, rate-limit headers, quota units).
    limits = models.JSONField(_("plattformens gränser"), default=dict, blank=True)
    # No call to the platform before this moment (a rate limit or a quota reached).
    backoff_until = models.DateTimeField(_("vilar till"), null=True, blank=True)
    # The account's profile as last read ({"name", "description", "url", "read_at"}; {}
    # before the first read), and when a read was last tried: at most once a day.
    profile = models.JSONField(_("profil på plattformen"), default=dict, blank=True)
    profile_tried_at = models.DateTimeField(_("profilen senast efterfrågad"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansluten av"),
    )
    created_at = models.DateTimeField(_("ansluten"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("plattformsanslutning")
        verbose_name_plural = _("plattformsanslutningar")
        ordering = ["channel", "pk"]
        indexes = [
            models.Index(
                fields=["next_pull_at"],
                condition=~models.Q(state=ConnectionState.BROKEN),
                name="connection_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.channel}"

    @property
    def profile_read_at(self):
        """When the profile on the platform was last read (None: never)."""
        value = (self.profile or {}).get("read_at")
        return parse_datetime(value) if isinstance(value, str) else None

    @property
    def is_broken(self) -> bool:
        return self.state == ConnectionState.BROKEN


class ProfileVersion(models.Model):
    """One version of a channel's profile on its platform (its name, description and
    address), from the pull that first read it: append-only, so that the snapshot of a
    half-year shows the profile as it was then."""

    channel = models.ForeignKey(
        Channel,
        on_delete=models.PROTECT,
        related_name="profile_versions",
        verbose_name=_("kanal"),
    )
    name = models.CharField(_("profilens namn"), max_length=200, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    url = models.CharField(_("adress"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("hämtad"))

    class Meta:
        verbose_name = _("profilversion")
        verbose_name_plural = _("profilversioner")
        ordering = ["channel", "read_at", "pk"]
        indexes = [models.Index(fields=["channel", "read_at"], name="profile_version_read_idx")]

    def __str__(self) -> str:
        return f"{self.channel}: {self.name} ({self.read_at:%Y-%m-%d})"

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "url": self.url,
            "read_at": self.read_at.isoformat(),
        }


class PullCursor(models.Model):
    """Where the pull of one kind of content (connector.KINDS: "posts", "comments",
    "messages", …) on one connection stands: the connector's opaque cursor, saved only in the
    transaction that commits the items it covers."""

    connection = models.ForeignKey(
        PlatformConnection, on_delete=models.CASCADE, related_name="cursors"
    )
    kind = models.CharField(_("innehåll"), max_length=30)
    cursor = models.TextField(_("markör"), blank=True)
    updated_at = models.DateTimeField(_("senast flyttad"), auto_now=True)

    class Meta:
        verbose_name = _("hämtningsmarkör")
        verbose_name_plural = _("hämtningsmarkörer")
        constraints = [
            models.UniqueConstraint(fields=["connection", "kind"], name="pull_cursor_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.connection}: {self.kind}"


class PlatformActionKind(models.TextChoices):
    HIDE = "hide", _("Dölj")
    UNHIDE = "unhide", _("Visa igen")
    DELETE = "delete", _("Ta bort")
    REPLY = "reply", _("Svara")


class PlatformActionState(models.TextChoices):
    PENDING = "vantar", _("Väntar på plattformen")
    DONE = "klar", _("Utförd")
    # Done as far as the platform allows (X hides instead of deleting, YouTube rejects):
    # `message` says what was done.
    NEAREST = "narmaste", _("Utförd så långt plattformen tillåter")
    # The platform cannot do it at all (no hiding of a direct message): nothing to retry.
    NOT_POSSIBLE = "ej_mojlig", _("Går inte på plattformen")
    FAILED = "misslyckad", _("Misslyckades")


FINISHED_ACTION_STATES = frozenset(
    {PlatformActionState.DONE, PlatformActionState.NEAREST, PlatformActionState.NOT_POSSIBLE}
)


class PlatformAction(models.Model):
    """One decision's effect carried out on the platform, through the outbox: requested in
    the decision's transaction, recorded done only after the platform answered. A failure
    never undoes the decision; it is shown on the item and can be tried again."""

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="platform_actions", verbose_name=_("inlägg")
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="platform_actions",
        verbose_name=_("beslut"),
    )
    kind = models.CharField(_("åtgärd"), max_length=20, choices=PlatformActionKind.choices)
    state = models.CharField(
        _("läge"),
        max_length=20,
        choices=PlatformActionState.choices,
        default=PlatformActionState.PENDING,
    )
    requested_at = models.DateTimeField(_("begärd"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    last_attempt_at = models.DateTimeField(_("senaste försök"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("nästa försök"), null=True, blank=True)
    done_at = models.DateTimeField(_("utförd"), null=True, blank=True)
    # Swedish, never a secret: what the platform did ("Dold på Facebook"), or why it failed.
    message = models.TextField(_("meddelande"), blank=True)
    # A reply: when the latest attempt to post it began, committed before the platform is
    # called. Found set on a later attempt, the reply may be there already (the worker died
    # after the platform took it): the connector looks for it before posting again.
    reply_started_at = models.DateTimeField(_("svar påbörjat"), null=True, blank=True)
    # A reply: the municipality's own item it became in the thread, with its platform id.
    reply_item = models.ForeignKey(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("svaret på plattformen"),
    )

    class Meta:
        verbose_name = _("åtgärd på plattformen")
        verbose_name_plural = _("åtgärder på plattformen")
        ordering = ["item", "requested_at", "pk"]
        constraints = [
            # One effect of a kind per decision: a decision delivered twice acts once.
            models.UniqueConstraint(
                fields=["decision", "kind"], name="platform_action_once_per_decision"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state__in=["vantar"]),
                name="platform_action_pending_idx",
            ),
            models.Index(
                fields=["requested_at"],
                condition=models.Q(state="misslyckad"),
                name="platform_action_failed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.get_kind_display()} ({self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_ACTION_STATES
