"""The machine ways in: API tokens and the webhook's subscriptions and inbox."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from atvida_social.organisation.encryption import EncryptedTextField
from atvida_social.organisation.validators import validate_single_line
from channels.models import Channel


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
    """The inbox: a signed delivery, stored exactly as it arrived, with its processing task in
    the outbox, in the transaction that ends before the platform is answered 200; a broker
    that is down delays the processing, it does not lose the delivery.

    What is kept is the body, not yet items; its SHA-256 is unique per channel, so that a
    replay of the same body is recognised and kept once. Each processing attempt is counted
    before it starts: an attempt that fails (a database fault, a worker killed) is due again
    at `next_attempt_at`, with a delay doubling each time, and the scheduled job
    (moderation/jobs.py) picks it up; after `MAX_ATTEMPTS` the delivery is given up
    (`given_up_at`) and shown so where deliveries are listed. A delivery that cannot become
    items at all (not a valid payload) is marked processed with its `error`; a comment that
    cannot become an item is listed in `comment_errors` and its siblings are stored."""

    MAX_ATTEMPTS = 8

    channel = models.ForeignKey(
        Channel,
        on_delete=models.PROTECT,
        related_name="webhook_deliveries",
        verbose_name=_("kanal"),
    )
    body = models.BinaryField(_("innehåll"))
    # Empty only for a replay stored twice before replays were recognised.
    body_sha256 = models.CharField(_("SHA-256 av innehållet"), max_length=64, blank=True)
    received_at = models.DateTimeField(_("mottagen"), auto_now_add=True)
    processed_at = models.DateTimeField(_("behandlad"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), null=True, blank=True)
    given_up_at = models.DateTimeField(_("uppgiven"), null=True, blank=True)
    error = models.TextField(_("fel"), blank=True)
    # [{"index": place among the delivery's comments, "id": comment_id, "message": Swedish}]
    comment_errors = models.JSONField(_("fel per kommentar"), default=list, blank=True)

    class Meta:
        verbose_name = _("webhook-leverans")
        verbose_name_plural = _("webhook-leveranser")
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "body_sha256"],
                condition=~models.Q(body_sha256=""),
                name="webhook_delivery_body_unique_per_channel",
            ),
        ]
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=models.Q(processed_at__isnull=True),
                name="webhook_unprocessed_idx",
            ),
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(processed_at__isnull=True, given_up_at__isnull=True),
                name="webhook_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.received_at:%Y-%m-%d %H:%M:%S}"

    @property
    def state_label(self) -> str:
        """Where the delivery stands, in Swedish, as the list of deliveries shows it."""
        if self.processed_at is not None:
            if self.error:
                return _("Kunde inte bli inlägg")
            if self.comment_errors:
                n = len(self.comment_errors)
                return ngettext(
                    "Behandlad; %(n)s kommentar kunde inte bli inlägg",
                    "Behandlad; %(n)s kommentarer kunde inte bli inlägg",
                    n,
                ) % {"n": n}
            return _("Behandlad")
        if self.given_up_at is not None:
            return _("Uppgiven efter %(n)s försök") % {"n": self.attempts}
        if self.attempts:
            return _("Väntar på försök %(n)s") % {"n": self.attempts + 1}
        return _("Väntar")
