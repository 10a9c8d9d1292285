"""The municipality's organisation: förvaltning → verksamhet → staff, and the audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .append_only import AppendOnlyModel, AppendOnlyQuerySet
from .exceptions import AuditLogImmutable
from .querysets import UnitQuerySet, UnitScopedQuerySet
from .validators import validate_municipal_email, validate_single_line, validate_swedish_phone


class Administration(models.Model):
    """A förvaltning, e.g. kommunledningsförvaltningen."""

    name = models.CharField(
        _("namn"), max_length=200, unique=True, validators=[validate_single_line]
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_administrations",
        verbose_name=_("förvaltningschef"),
        help_text=_("Förvaltningschefens egen blogg behöver bara en administratör."),
    )
    # Personuppgiftslagen i sociala medier: "Personuppgiftsansvarig i Åtvidabergs kommun är
    # kommunstyrelsen och för verksamheter som lyder under en nämnd är nämnden".
    controller_name = models.CharField(
        _("ansvarig nämnd"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_(
            "Den nämnd eller styrelse som är personuppgiftsansvarig för förvaltningens "
            "verksamheter, t.ex. Kultur- och fritidsnämnden. Lämna tomt om det är "
            "kommunstyrelsen."
        ),
    )

    class Meta:
        verbose_name = _("förvaltning")
        verbose_name_plural = _("förvaltningar")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def privacy_controller(self) -> str:
        """Who is personuppgiftsansvarig for the administration's units: its nämnd, or
        kommunstyrelsen (PRIVACY_CONTROLLER) when none is set."""
        return self.controller_name.strip() or settings.PRIVACY_CONTROLLER


class Unit(models.Model):
    """A verksamhet within a förvaltning; the owner of channels, plans and queue items."""

    administration = models.ForeignKey(
        Administration,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("förvaltning"),
    )
    name = models.CharField(_("namn"), max_length=200, validators=[validate_single_line])
    is_confidential = models.BooleanField(
        _("arbetar under sekretess"),
        default=False,
        help_text=_(
            "Verksamheter inom vård och omsorg, förskola och skola arbetar under sekretess "
            "och måste planera för det."
        ),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("verksamhet")
        verbose_name_plural = _("verksamheter")
        ordering = ["administration__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "name"], name="unit_name_unique_per_administration"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:unit-detail", args=[self.pk])


class UserQuerySet(UnitScopedQuerySet):
    unit_lookup = "unit"


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A member of staff. Staff belong to a unit; phone and e-mail are validated here, once."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
        verbose_name=_("verksamhet"),
    )
    title = models.CharField(
        _("titel"), max_length=200, blank=True, validators=[validate_single_line]
    )
    phone = models.CharField(
        _("telefonnummer"), max_length=30, blank=True, validators=[validate_swedish_phone]
    )
    email = models.EmailField(_("e-postadress"), blank=True, validators=[validate_municipal_email])

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AuditLogQuerySet(AppendOnlyQuerySet):
    immutable_error = AuditLogImmutable


class AuditLogEntry(AppendOnlyModel):
    """Who did what to which object, when and from where. Rows are only ever appended."""

    immutable_error = AuditLogImmutable

    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utförd av"),
    )
    actor_name = models.CharField(_("användarnamn"), max_length=150, blank=True)
    action = models.CharField(_("händelse"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("objekttyp"),
    )
    object_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    object_repr = models.CharField(_("objekt"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("granskningslogg")
        verbose_name_plural = _("granskningslogg")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action}"

    def clean(self):
        if self.object_id and not self.content_type_id:
            raise ValidationError(_("Ett objekt-id kräver en objekttyp."))
