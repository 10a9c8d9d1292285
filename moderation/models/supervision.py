"""Supervision: the channels' reviews (at least weekly, Bilaga 1), operators' absences and
their substitutes, and the warning mails sent (Rimliga svarstider)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.append_only import AppendOnlyModel, AppendOnlyQuerySet
from atvida_social.organisation.validators import validate_single_line
from channels.models import Channel

from ..exceptions import ReviewImmutable
from .decisions import Decision
from .items import Item


class ChannelReviewQuerySet(AppendOnlyQuerySet):
    immutable_error = ReviewImmutable


class ChannelReview(AppendOnlyModel):
    """Someone looked through the channel (lagen om elektroniska anslagstavlor: at least once a
    week). Marked by hand, or recorded with any decision on one of the channel's items."""

    immutable_error = ReviewImmutable

    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("kanal")
    )
    reviewed_at = models.DateTimeField(_("tillsyn"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("av"),
    )
    # No database constraint: culling deletes a trivial item's decisions, while the review,
    # the record that the channel was supervised, stays (its link then points at nothing).
    decision = models.OneToOneField(
        Decision,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="review",
        verbose_name=_("genom beslut"),
    )

    objects = ChannelReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("tillsyn")
        verbose_name_plural = _("tillsyner")
        ordering = ["-reviewed_at", "-pk"]
        indexes = [models.Index(fields=["channel", "-reviewed_at"], name="review_latest_idx")]

    def __str__(self) -> str:
        return f"{self.channel_id}: {self.reviewed_at:%Y-%m-%d %H:%M}"


class Absence(models.Model):
    """An operator away for a time; assignments and notifications go to the substitute, a
    colleague from the same unit ("ersättare"). Without a substitute nobody takes over."""

    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="absences",
        verbose_name=_("frånvarande"),
    )
    starts_at = models.DateTimeField(_("från"))
    ends_at = models.DateTimeField(_("till"))
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substitutions",
        verbose_name=_("ersättare"),
    )
    reason = models.CharField(
        _("anledning"), max_length=200, blank=True, validators=[validate_single_line]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("frånvaro")
        verbose_name_plural = _("frånvaro")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="absence_ends_after_start",
                violation_error_message=_("Frånvaron ska sluta efter att den börjar."),
            ),
            models.CheckConstraint(
                condition=~models.Q(substitute=models.F("operator")),
                name="absence_substitute_is_another",
                violation_error_message=_("Ersättaren ska vara någon annan."),
            ),
        ]
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="absence_period_idx")]

    def __str__(self) -> str:
        return f"{self.operator} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"


class SupervisionNotice(models.Model):
    """One warning per event. The key is claimed before the mail is sent, so that a second
    run of the task, or two at once, sends nothing more; the notice is sent (`sent_at`) only
    once every recipient's mail has gone. A claim whose mail failed is released (`claimed_at`
    empty, the error kept) and taken again by the next run; a claim held by a process that
    died is taken again once it is older than `services.supervision.CLAIM_TIMEOUT`."""

    class Kind(models.TextChoices):
        DEADLINE = "deadline", _("Svarstiden går snart ut")
        REVIEW = "review", _("Tillsynen är försenad")
        SECRECY = "secrecy", _("Sekretess: ta bort omedelbart")

    key = models.CharField(_("händelse"), max_length=200, unique=True)
    kind = models.CharField(_("slag"), max_length=10, choices=Kind.choices)
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="+", verbose_name=_("kanal")
    )
    item = models.ForeignKey(
        Item,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inlägg"),
    )
    recipients = models.JSONField(_("mottagare"), default=list)
    # The recipients (user ids) whose mail has gone: a retry mails only the others.
    mailed = models.JSONField(_("skickad till"), default=list)
    claimed_at = models.DateTimeField(_("skickas sedan"), null=True, blank=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("försök"), default=0)
    last_error = models.TextField(_("senaste fel"), blank=True)

    class Meta:
        verbose_name = _("tillsynsvarning")
        verbose_name_plural = _("tillsynsvarningar")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.key
