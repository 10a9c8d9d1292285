from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .querysets import OutboxMessageQuerySet


class OutboxMessage(models.Model):
    """One Celery task an action asked for, kept until the broker has taken it."""

    task_name = models.CharField(_("uppgift"), max_length=200)
    args = models.JSONField(_("argument"), default=list, blank=True)
    kwargs = models.JSONField(_("namngivna argument"), default=dict, blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("försök"), default=0)
    last_attempt_at = models.DateTimeField(_("senaste försök"), null=True, blank=True)
    last_error = models.TextField(_("senaste fel"), blank=True)
    # Set by the worker (signals.py): when it last began the task, and when the task ended
    # (succeeded, or failed for good). A row sent and never completed was lost on the way.
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    completed_at = models.DateTimeField(_("slutförd"), null=True, blank=True)
    redeliveries = models.PositiveIntegerField(_("skickad igen"), default=0)
    given_up_at = models.DateTimeField(_("uppgiven"), null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("utgående uppgift")
        verbose_name_plural = _("utgående uppgifter")
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(sent_at__isnull=True),
                name="outbox_pending_idx",
            ),
            models.Index(
                fields=["id"],
                condition=models.Q(
                    sent_at__isnull=False, completed_at__isnull=True, given_up_at__isnull=True
                ),
                name="outbox_unfinished_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk}"

    @property
    def task_id(self) -> str:
        """The Celery task id: the row's own id, so a worker's log line leads back to it."""
        return f"outbox-{self.pk}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    @property
    def is_given_up(self) -> bool:
        return self.given_up_at is not None
