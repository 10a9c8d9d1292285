"""The activity plan's states and the moves between them, on one screen.

utkast → väntar på signering → signerad → granskas av informationsenheten → godkänd,
or återremitterad (with comments; edited and submitted again) or avslagen (with reasons).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    AWAITING_SIGNATURES = "vantar_pa_signering", _("Väntar på signering")
    SIGNED = "signerad", _("Signerad")
    IN_REVIEW = "granskas", _("Granskas av informationsenheten")
    APPROVED = "godkand", _("Godkänd")
    RETURNED = "aterremitterad", _("Återremitterad")
    REJECTED = "avslagen", _("Avslagen")


# Who moves a plan: the unit's staff ("unit"), its signers ("signer"), Informationsenheten ("info").
TRANSITIONS: dict[tuple[str, str], str] = {
    (PlanStatus.DRAFT, PlanStatus.AWAITING_SIGNATURES): "unit",
    (PlanStatus.RETURNED, PlanStatus.AWAITING_SIGNATURES): "unit",
    (PlanStatus.AWAITING_SIGNATURES, PlanStatus.DRAFT): "unit",
    (PlanStatus.AWAITING_SIGNATURES, PlanStatus.SIGNED): "signer",
    (PlanStatus.SIGNED, PlanStatus.IN_REVIEW): "info",
    (PlanStatus.IN_REVIEW, PlanStatus.APPROVED): "info",
    (PlanStatus.IN_REVIEW, PlanStatus.RETURNED): "info",
    (PlanStatus.IN_REVIEW, PlanStatus.REJECTED): "info",
}

EDITABLE = {PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.AWAITING_SIGNATURES}
FINAL = {PlanStatus.APPROVED, PlanStatus.REJECTED}


def actor_kind(current: str, target: str) -> str | None:
    return TRANSITIONS.get((current, target))
