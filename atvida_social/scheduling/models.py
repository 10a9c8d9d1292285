from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last sign of life of a periodic job, one row per name (health.py).

    The scheduler's is written by the reconciler, which celery beat sends every minute: a row
    that stops moving means that no scheduled job runs (beat or every worker stopped)."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    beat_at = models.DateTimeField(_("senast"))
    # The mail about a stale scheduler: sent once per episode, that is once after each beat.
    alerted_at = models.DateTimeField(_("larm skickat"), null=True, blank=True)

    class Meta:
        verbose_name = _("livstecken")
        verbose_name_plural = _("livstecken")

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"
