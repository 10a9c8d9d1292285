"""What arrives on a channel: a comment, question, direct message, citizen's report or the
municipality's own post, its state and its response deadline."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.models import Unit
from atvida_social.organisation.validators import validate_single_line
from channels.models import Channel

from ..categories import Category
from ..querysets import ItemQuerySet
from ..workflow import OPEN, ItemKind, ItemStatus

# "up to 64 KB" of text: counted in characters here, in bytes by the service.
TEXT_MAX_BYTES = 64 * 1024


class Item(models.Model):
    """A comment, question, direct message, report or the municipality's own post."""

    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="items", verbose_name=_("kanal")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=ItemKind.choices)
    external_id = models.CharField(
        _("id på plattformen"), max_length=200, validators=[validate_single_line]
    )
    author = models.CharField(
        _("avsändare"), max_length=200, blank=True, validators=[validate_single_line]
    )
    text = models.TextField(
        _("text"),
        blank=True,
        max_length=TEXT_MAX_BYTES,
        validators=[MaxLengthValidator(TEXT_MAX_BYTES)],
    )
    links = models.JSONField(_("länkar"), default=list, blank=True)
    url = models.URLField(_("adress på plattformen"), max_length=1000, blank=True)
    received_at = models.DateTimeField(_("inkom"), db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("svar på"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.NEW
    )
    due_at = models.DateTimeField(_("ska besvaras senast"), null=True, blank=True)
    # From here under 25 % of the time is left: "snart sen" in the queue, and the warning.
    warn_at = models.DateTimeField(_("snart sen från"), null=True, blank=True)
    settled_at = models.DateTimeField(_("hanterad"), null=True, blank=True)
    sla_met = models.BooleanField(_("i tid"), null=True, blank=True)
    # Working time from received_at to settled_at (calendar.working_time_between), in seconds:
    # written with settled_at and copied to the item's ItemFact, which the statistics count.
    response_seconds = models.PositiveIntegerField(
        _("svarstid i arbetstid (sekunder)"), null=True, blank=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_items",
        verbose_name=_("tilldelad"),
    )
    # While forwarded to a unit, that unit's staff see and handle the item too.
    forwarded_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forwarded_items",
        verbose_name=_("vidarebefordrad till verksamhet"),
    )
    removed_category = models.CharField(
        _("borttagen för"), max_length=30, choices=Category.choices, blank=True
    )
    diarienummer = models.CharField(
        _("diarienummer"), max_length=100, blank=True, validators=[validate_single_line]
    )
    # A text removed for a breach is seen by Informationsenheten only until this moment.
    text_purge_after = models.DateTimeField(_("texten rensas efter"), null=True, blank=True)
    text_purged_at = models.DateTimeField(_("texten rensad"), null=True, blank=True)
    # When a person marked the item secret or the personnummer detector hid it: the queue
    # shows it before everything else ("sekretessbelagd information ska omedelbart tas bort").
    secrecy_flagged_at = models.DateTimeField(_("sekretess flaggad"), null=True, blank=True)
    # An item marked secret stays first in the queue until its text is known to be gone from
    # the platform: the platform's removal done, or a person's confirmation (services.secrecy).
    secrecy_removed_at = models.DateTimeField(
        _("sekretess: borttaget från plattformen"), null=True, blank=True
    )
    # When an edit on the platform last replaced the text; the earlier texts are ItemVersions.
    edited_at = models.DateTimeField(_("ändrad på plattformen"), null=True, blank=True)
    # When a pull or a webhook found that the author deleted it on the platform: the text the
    # tool holds is kept, under the same retention rules as any item's.
    deleted_on_platform_at = models.DateTimeField(
        _("raderad på plattformen"), null=True, blank=True
    )
    # When a pull last asked the platform whether it is still there (the oldest asked first).
    gone_checked_at = models.DateTimeField(
        _("senast kontrollerad på plattformen"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("inlägg")
        verbose_name_plural = _("inlägg")
        ordering = ["due_at", "received_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                name="item_external_id_unique_per_channel",
                violation_error_message=_("Kanalen har redan ett inlägg med det id:t."),
            ),
        ]
        indexes = [
            # The queue: open items, secrecy first, then due first; counted and paged from
            # this index alone.
            models.Index(
                fields=["secrecy_flagged_at", "due_at", "received_at", "id"],
                name="item_open_queue_idx",
                condition=models.Q(status__in=sorted(OPEN)),
            ),
            # Culling's "part of a case" starts from these few rows (archiving's selectors).
            models.Index(
                fields=["parent"],
                name="item_in_case_idx",
                condition=~models.Q(diarienummer="")
                | models.Q(status__in=[ItemStatus.REGISTERED, ItemStatus.SECRET]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.external_id} ({self.channel})"

    def get_absolute_url(self) -> str:
        return reverse("moderation:item-detail", args=[self.pk])

    @property
    def text_since(self):
        """When the current text arrived: the last edit's time, or when the item came in."""
        return self.edited_at or self.received_at


class ItemVersion(models.Model):
    """An earlier text of an item, kept when an edit on the platform replaced it (the same
    external id arriving with a new text by any way in). Seen by whoever may read the item's
    text (`selectors.text_visible_to`); purged and culled with the item's own text."""

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="versions", verbose_name=_("inlägg")
    )
    text = models.TextField(_("text"), blank=True)
    links = models.JSONField(_("länkar"), default=list, blank=True)
    received_at = models.DateTimeField(_("inkom"))
    replaced_at = models.DateTimeField(_("ersattes"))

    class Meta:
        verbose_name = _("tidigare version")
        verbose_name_plural = _("tidigare versioner")
        ordering = ["item", "-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.received_at:%Y-%m-%d %H:%M}"
