"""The archive's panels on an item's page (moderation's hook, moderation/panels.py): the legal
holds that keep the item, and the way to place or lift one, for Informationsenheten; and the
diarium's copies of the item, for whoever may download them."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation.panels import ItemPanel, register_item_panel
from moderation.workflow import ItemStatus

from . import selectors as archive_selectors
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


def diarium_copy_panel(user, item) -> ItemPanel | None:
    """The diarium's copies of the item ("Diarieexemplar (PDF/A)"), once made; the link to
    the newest for whoever may download it."""
    copies = list(archive_selectors.diarium_copies_of(item)[:20])
    if not copies:
        return None
    lines = tuple(
        _("%(file)s, arkiverad %(date)s")
        % {"file": copy.filename, "date": f"{timezone.localtime(copy.created_at):%Y-%m-%d %H:%M}"}
        for copy in copies
    )
    if not archive_selectors.may_download_diarium_copy(user, item):
        return ItemPanel(
            key="diarieexemplar",
            title=_("Diarieexemplar"),
            lines=(
                _("Diarieexemplaret omfattas av sekretess och visas bara för informationsenheten."),
            ),
        )
    return ItemPanel(
        key="diarieexemplar",
        title=_("Diarieexemplar"),
        lines=lines,
        link_label=_("Diarieexemplar (PDF/A)"),
        url=reverse("archiving:diarium-copy", args=[copies[0].pk]),
    )


def register_panels() -> None:
    register_item_panel("legal-hold", legal_hold_panel)
    register_item_panel("diarium-copy", diarium_copy_panel)
