"""The notification mails of a plan's events, one row per delivery that sent them."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .plans import ActivityPlan


class PlanNotification(models.Model):
    """The mails of one event went out, sent by the task delivery with this id. The row is
    written in the transaction that sends the mails, so a second delivery of the same task
    (the outbox's task id `outbox-<id>`) finds it and sends nothing, and a delivery whose
    mail failed leaves no row for its retry to find."""

    task_id = models.CharField(_("uppgiftens id"), max_length=255, unique=True)
    plan = models.ForeignKey(
        ActivityPlan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan")
    )
    event = models.CharField(_("händelse"), max_length=20)
    sent_at = models.DateTimeField(_("skickad"), default=timezone.now)

    class Meta:
        verbose_name = _("utskick om aktivitetsplan")
        verbose_name_plural = _("utskick om aktivitetsplaner")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.event} ({self.task_id})"
