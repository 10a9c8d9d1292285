"""What is remembered of a culled item: its channel and platform id, when and under which
culling record; never its text or author (Gallring av inlägg och kommentarer). A platform,
an import or a webhook that sends the item again finds it here and it is not stored again."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from channels.models import Channel


class CulledItem(models.Model):
    """One culled item (a marker left in its thread included), written in the transaction
    that culled it."""

    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="+", verbose_name=_("kanal")
    )
    external_id = models.CharField(_("id på plattformen"), max_length=200)
    culled_at = models.DateTimeField(_("gallrad"))
    # The culling log's record (archiving's CullingRecord); a plain id, since moderation
    # does not depend on archiving.
    culling_record_id = models.PositiveBigIntegerField(_("gallringsloggens post"), null=True)

    class Meta:
        verbose_name = _("gallrat inlägg")
        verbose_name_plural = _("gallrade inlägg")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="culleditem_once_per_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} ({self.channel_id})"
