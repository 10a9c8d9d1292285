"""The stored response-time statistics, per channel, unit and month."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.models import Unit
from channels.models import Channel


class MonthlyStatistics(models.Model):
    """One month's figures (month 0: the whole year) for a channel, a unit (channel empty) or
    the whole municipality (both empty), computed by `moderation.services.statistics`; derived data,
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
