"""The stored response-time statistics, per channel, unit and month, and the facts about each
item they are computed from."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.models import Unit
from channels.models import Channel

from ..categories import Category
from ..workflow import ItemKind


class ItemFact(models.Model):
    """What the statistics count of one item, and nothing personal (no text, author, links or
    address): written with the item by `services.items` and kept up to date by
    `services.decisions` in the same transactions. Culling deletes the item, never its fact,
    so a month's published figures stay as they were (`services.statistics`).

    `item_id` is a plain number, not a foreign key: the fact outlives its item, and culling
    deletes items with plain statements that a database constraint would stop or a cascade
    would follow. On PostgreSQL a trigger refuses DELETE of a fact (migration `item_facts`)."""

    item_id = models.BigIntegerField(_("inläggets id"), unique=True)
    # No index by channel: the statistics read a year at a time, and with one the planner
    # visits a year's facts channel by channel, three times slower than one scan.
    channel = models.ForeignKey(
        Channel,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("kanal"),
    )
    kind = models.CharField(_("typ"), max_length=20, choices=ItemKind.choices)
    received_at = models.DateTimeField(_("inkom"), db_index=True)
    due_at = models.DateTimeField(_("ska besvaras senast"), null=True, blank=True)
    settled_at = models.DateTimeField(_("hanterad"), null=True, blank=True)
    sla_met = models.BooleanField(_("i tid"), null=True, blank=True)
    response_seconds = models.PositiveIntegerField(
        _("svarstid i arbetstid (sekunder)"), null=True, blank=True
    )
    removed_category = models.CharField(
        _("borttagen för"), max_length=30, choices=Category.choices, blank=True
    )
    # Decided is not done: what the decisions asked of the platform and what it did, kept up
    # to date by `services.platform_actions` in the transactions that ask and record.
    platform_asked_at = models.DateTimeField(
        _("åtgärd på plattformen begärd"), null=True, blank=True
    )
    platform_done_at = models.DateTimeField(
        _("utfört på plattformen"),
        null=True,
        blank=True,
        help_text=_("När den sista av inläggets åtgärder utfördes; tomt medan någon återstår."),
    )
    platform_failed = models.BooleanField(
        _("ej utfört på plattformen"),
        default=False,
        # In the database too: record_missing_facts inserts facts by SQL.
        db_default=False,
        help_text=_("En åtgärd misslyckades eller går inte att göra på plattformen."),
    )

    class Meta:
        verbose_name = _("statistikuppgift om ett inlägg")
        verbose_name_plural = _("statistikuppgifter om inlägg")
        ordering = ["received_at", "item_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(settled_at__isnull=False)
                | models.Q(response_seconds__isnull=True, sla_met__isnull=True),
                name="item_fact_open_has_no_response",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item_id} ({self.received_at:%Y-%m-%d})"


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
    platform_asked = models.PositiveIntegerField(_("beslut att utföra på plattformen"), default=0)
    platform_done = models.PositiveIntegerField(_("utförda på plattformen"), default=0)
    platform_failed = models.PositiveIntegerField(_("ej utförda på plattformen"), default=0)
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
