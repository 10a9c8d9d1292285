"""Moderation's section on the start page: what is due soonest in the user's queue."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atvida_social.dashboard import Item, register_section
from atvida_social.organisation.roles import Role

from . import selectors


def queue_items(user) -> list[Item]:
    now = timezone.now()
    # The ten due soonest; the start page shows no matches, so none are loaded.
    items = (
        selectors.items_for_viewer(user)
        .open()
        .filter(due_at__isnull=False)
        .select_related("channel")
        .order_by("due_at", "received_at", "pk")[:10]
    )
    return [
        Item(
            label=f"{item.get_kind_display()} från {item.author or '–'} ({item.channel})",
            url=item.get_absolute_url(),
            status=_("Sen") if item.due_at < now else item.get_status_display(),
            since=item.received_at,
        )
        for item in items
    ]


def register_sections() -> None:
    # The daily operators work the queue; Informationsenheten watches all units.
    register_section(
        "queue",
        title=_("Modereringskö"),
        empty_text=_("Inga inlägg väntar på svar eller moderering."),
        roles=[Role.DAILY_OPERATOR, Role.INFORMATION_UNIT],
        provider=queue_items,
        order=5,
    )
