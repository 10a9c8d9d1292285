"""The activity plan's states and the moves between them, on one screen.

utkast → väntar på signering → signerad → granskas av informationsenheten → godkänd,
or återremitterad (with comments; edited and submitted again) or avslagen (with reasons).
A godkänd plan is the channel's current plan until a later revision of it is approved: then it
becomes ersatt, so that at most one plan per channel is in force.
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
    SUPERSEDED = "ersatt", _("Ersatt av en senare revision")


class Actor(models.TextChoices):
    """Who moves a plan: whoever may act for its unit, its signers, or Informationsenheten."""

    UNIT = "unit"
    SIGNER = "signer"
    INFORMATION_UNIT = "info"


TRANSITIONS: dict[tuple[str, str], str] = {
    (PlanStatus.DRAFT, PlanStatus.AWAITING_SIGNATURES): Actor.UNIT,
    (PlanStatus.RETURNED, PlanStatus.AWAITING_SIGNATURES): Actor.UNIT,
    # Resubmitted unchanged: the signatures still cover the content, so it is signed at once.
    (PlanStatus.DRAFT, PlanStatus.SIGNED): Actor.UNIT,
    (PlanStatus.RETURNED, PlanStatus.SIGNED): Actor.UNIT,
    (PlanStatus.AWAITING_SIGNATURES, PlanStatus.DRAFT): Actor.UNIT,
    (PlanStatus.AWAITING_SIGNATURES, PlanStatus.SIGNED): Actor.SIGNER,
    (PlanStatus.SIGNED, PlanStatus.IN_REVIEW): Actor.INFORMATION_UNIT,
    (PlanStatus.IN_REVIEW, PlanStatus.APPROVED): Actor.INFORMATION_UNIT,
    (PlanStatus.IN_REVIEW, PlanStatus.RETURNED): Actor.INFORMATION_UNIT,
    (PlanStatus.IN_REVIEW, PlanStatus.REJECTED): Actor.INFORMATION_UNIT,
    # Approving a later revision supersedes the plan in force.
    (PlanStatus.APPROVED, PlanStatus.SUPERSEDED): Actor.INFORMATION_UNIT,
}

EDITABLE = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.AWAITING_SIGNATURES})
FINAL = frozenset({PlanStatus.APPROVED, PlanStatus.REJECTED, PlanStatus.SUPERSEDED})
# Open: still on its way; at most one per channel (and per address for a new channel).
OPEN = frozenset(set(PlanStatus) - FINAL)


def actor_kind(current: str, target: str) -> str | None:
    return TRANSITIONS.get((current, target))
