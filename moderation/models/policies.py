"""The response-time policies (Rimliga svarstider): the one table the deadlines are read from."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from channels.models import Platform


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
