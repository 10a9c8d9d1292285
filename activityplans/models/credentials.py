"""The login of an account, kept by Informationsenheten."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.encryption import EncryptedTextField
from channels.models import Channel

from .plans import ActivityPlan


class Credential(models.Model):
    """The account's login, handed to Informationsenheten for safekeeping after the start.

    The secrets are encrypted at rest; `__str__` and every list show only who and when.
    """

    channel = models.OneToOneField(
        Channel, on_delete=models.PROTECT, related_name="credential", verbose_name=_("kanal")
    )
    plan = models.ForeignKey(
        ActivityPlan, on_delete=models.PROTECT, related_name="credentials", verbose_name=_("plan")
    )
    username = EncryptedTextField(_("Användarnamn"))
    password = EncryptedTextField(_("Lösenord"))
    recovery_notes = EncryptedTextField(
        _("Återställningskoder för tvåstegsverifiering och anteckningar"), blank=True
    )
    expires_on = models.DateField(
        _("Åtkomsten löper ut"),
        null=True,
        blank=True,
        help_text=_(
            "T.ex. Metas åtkomsttoken, som löper ut efter ungefär 60 dagar utan användning."
        ),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lämnad av"),
    )
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("inloggningsuppgift")
        verbose_name_plural = _("inloggningsuppgifter")
        ordering = ["channel__account_name"]

    def __str__(self) -> str:
        return f"Inloggning för {self.channel}"
