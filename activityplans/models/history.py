"""A plan's history: its moves through the workflow and the signatures over an exact
version of its content. Both are append-only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.append_only import AppendOnlyModel, AppendOnlyQuerySet

from ..exceptions import HistoryImmutable
from ..workflow import PlanStatus
from .plans import ActivityPlan


class HistoryQuerySet(AppendOnlyQuerySet):
    immutable_error = HistoryImmutable


class PlanEvent(AppendOnlyModel):
    """One move of a plan through the workflow: who, when, from, to and why."""

    immutable_error = HistoryImmutable

    plan = models.ForeignKey(ActivityPlan, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(_("från"), max_length=30, choices=PlanStatus.choices)
    to_status = models.CharField(_("till"), max_length=30, choices=PlanStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("av")
    )
    note = models.TextField(_("kommentar"), blank=True)
    content_hash = models.CharField(_("innehållets SHA-256"), max_length=64, blank=True)
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.from_status} → {self.to_status}"


class Signature(AppendOnlyModel):
    """A signer's signature over one exact content of the plan (its SHA-256)."""

    immutable_error = HistoryImmutable

    plan = models.ForeignKey(ActivityPlan, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_signatures"
    )
    content_hash = models.CharField(_("innehållets SHA-256"), max_length=64)
    signer_title = models.CharField(_("titel"), max_length=200, blank=True)
    signed_at = models.DateTimeField(_("signerad"), auto_now_add=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "signer", "content_hash"], name="one_signature_per_content"
            )
        ]

    def __str__(self) -> str:
        return f"{self.signer} {self.signed_at:%Y-%m-%d}"
