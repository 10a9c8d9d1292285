"""The machine ways in: API tokens and the webhook's subscriptions and inbox."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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

    What is kept is the body, not yet items. A processing that fails unexpectedly leaves the
    delivery unprocessed (`processed_at` empty) until `manage.py process_webhooks` runs; a
    delivery that cannot become items (not a valid payload, or a comment refused, which
    refuses the whole delivery) is marked processed with its `error`, and none of its
    comments is stored until someone acts on it."""

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
