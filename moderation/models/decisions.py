"""The decisions taken on an item, append-only (Hur hanteras inkomna synpunkter)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.append_only import AppendOnlyModel, AppendOnlyQuerySet
from atvida_social.organisation.models import Unit

from ..categories import Category
from ..exceptions import DecisionImmutable
from ..workflow import DecisionKind, ItemStatus
from .items import Item


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
