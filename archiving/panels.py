"""The archive's panel on an item's page (moderation's hook, moderation/panels.py): the legal
holds that keep the item, and the way to place or lift one, for Informationsenheten."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation.panels import ItemPanel, register_item_panel
from moderation.workflow import ItemStatus

from .culling import selectors


def legal_hold_panel(user, item) -> ItemPanel | None:
    if not selectors.may_cull(user) or item.status == ItemStatus.CULLED:
        return None
    lines = []
    for hold in selectors.holds_covering(item):
        values = {
            "date": f"{timezone.localtime(hold.created_at):%Y-%m-%d}",
            "reason": hold.reason,
        }
        if hold.item_id:
            lines.append(_("Inlägget har gallringsstopp sedan %(date)s: %(reason)s") % values)
        else:
            lines.append(_("Hela kanalen har gallringsstopp sedan %(date)s: %(reason)s") % values)
    return ItemPanel(
        key="gallringsstopp",
        title=_("Gallringsstopp"),
        lines=tuple(lines) or (_("Inget gallringsstopp gäller för inlägget eller kanalen."),),
        link_label=_("Gallringsstopp för inlägget"),
        url=reverse("archiving:item-hold", args=[item.pk]),
    )


def register_panels() -> None:
    register_item_panel("legal-hold", legal_hold_panel)
