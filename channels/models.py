"""The channel register (Roller och ansvar; Politiska partier): channels, party links and the
published versions of the register, which are kept for ever."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.append_only import AppendOnlyModel
from atvida_social.organisation.models import Unit
from atvida_social.organisation.validators import validate_municipal_email, validate_single_line

from .exceptions import VersionImmutable
from .querysets import ChannelQuerySet, RegisterVersionQuerySet
from .validators import validate_channel_url


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    YOUTUBE = "youtube", "YouTube"
    LINKEDIN = "linkedin", "LinkedIn"
    TIKTOK = "tiktok", "TikTok"
    BLOG = "blogg", "Blogg"
    OTHER = "annat", "Annat"


class ChannelStatus(models.TextChoices):
    PLANNED = "planerad", _("Planerad")
    ACTIVE = "aktiv", _("Aktiv")
    CLOSED = "avslutad", _("Avslutad")


class Channel(models.Model):
    """A social-media account that a unit runs officially."""

    platform = models.CharField(_("socialt medium"), max_length=20, choices=Platform.choices)
    account_name = models.CharField(
        _("kontots namn"), max_length=200, validators=[validate_single_line]
    )
    url = models.URLField(_("webbadress"), max_length=500)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="channels", verbose_name=_("verksamhet")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ChannelStatus.choices, default=ChannelStatus.PLANNED
    )
    started_on = models.DateField(_("startdatum"), null=True, blank=True)
    # When the channel last became active (channels.services.stamp_activation): supervision
    # counts the weekly review from here, not from when the channel was first entered.
    activated_at = models.DateTimeField(_("aktiv sedan"), null=True, blank=True)
    ended_on = models.DateField(_("slutdatum"), null=True, blank=True)
    description = models.TextField(_("beskrivning"), blank=True, max_length=2000)
    contact_email = models.EmailField(_("kontaktadress"), validators=[validate_municipal_email])
    # A channel becomes active through an approved activity plan, or through an exception
    # that Informationsenheten records with a reason (for channels older than the tool).
    register_exception_reason = models.TextField(
        _("skäl till undantag från aktivitetsplan"),
        blank=True,
        max_length=1000,
        validators=[validate_single_line, MaxLengthValidator(1000)],
    )
    register_exception_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undantag registrerat av"),
    )
    register_exception_at = models.DateTimeField(_("undantag registrerat"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("kanal")
        verbose_name_plural = _("kanaler")
        ordering = ["unit__administration__name", "unit__name", "platform", "account_name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "url"], name="channel_url_unique"),
            # An exception is a reason with a time, or nothing; its author may be absent only
            # when the data migration recorded it for channels older than the tool.
            models.CheckConstraint(
                condition=(
                    models.Q(register_exception_reason="", register_exception_at__isnull=True)
                    & models.Q(register_exception_by__isnull=True)
                )
                | (
                    ~models.Q(register_exception_reason="")
                    & models.Q(register_exception_at__isnull=False)
                ),
                name="channel_register_exception_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_name} ({self.get_platform_display()})"

    @property
    def has_register_exception(self) -> bool:
        return bool(self.register_exception_reason)

    def clean(self):
        errors = {}
        if self.url and self.platform:
            try:
                validate_channel_url(self.platform, self.url)
            except ValidationError as error:
                errors["url"] = error.messages
        if self.status in (ChannelStatus.ACTIVE, ChannelStatus.CLOSED) and not self.started_on:
            errors["started_on"] = [_("Ange startdatum för en aktiv eller avslutad kanal.")]
        if self.status == ChannelStatus.CLOSED and not self.ended_on:
            errors["ended_on"] = [_("Ange slutdatum för en avslutad kanal.")]
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = [_("Slutdatum kan inte vara före startdatum.")]
        if errors:
            raise ValidationError(errors)


class Party(models.Model):
    """A party, listed publicly while it is represented in kommunfullmäktige."""

    name = models.CharField(
        _("parti"), max_length=200, unique=True, validators=[validate_single_line]
    )
    is_represented = models.BooleanField(_("representerat i kommunfullmäktige"), default=True)
    term_start = models.PositiveSmallIntegerField(_("mandatperiod från (år)"))
    term_end = models.PositiveSmallIntegerField(_("mandatperiod till (år)"))

    class Meta:
        verbose_name = _("parti")
        verbose_name_plural = _("partier")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.term_start and self.term_end and self.term_end <= self.term_start:
            raise ValidationError(
                {"term_end": _("Mandatperioden måste sluta efter att den börjar.")}
            )


class PartyLink(models.Model):
    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="links", verbose_name=_("parti")
    )
    platform = models.CharField(_("socialt medium"), max_length=20, choices=Platform.choices)
    url = models.URLField(_("webbadress"), max_length=500)

    class Meta:
        verbose_name = _("partilänk")
        verbose_name_plural = _("partilänkar")
        ordering = ["party__name", "platform"]
        constraints = [
            models.UniqueConstraint(fields=["party", "url"], name="party_link_url_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.party}: {self.get_platform_display()}"

    def clean(self):
        if self.url and self.platform:
            try:
                validate_channel_url(self.platform, self.url)
            except ValidationError as error:
                raise ValidationError({"url": error.messages}) from error


class RegisterVersion(AppendOnlyModel):
    """A published version of the register: a frozen copy, never changed or deleted."""

    immutable_error = VersionImmutable

    number = models.PositiveIntegerField(_("versionsnummer"), unique=True)
    published_at = models.DateTimeField(_("publicerad"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("publicerad av"),
    )
    content = models.JSONField(_("innehåll"))
    change_summary = models.JSONField(_("ändringar"))

    objects = RegisterVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("publicerad version")
        verbose_name_plural = _("publicerade versioner")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Version {self.number}"
