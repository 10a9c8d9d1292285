"""Moderation's section on the start page: what is due soonest in the user's queue."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atvida_social.dashboard import Item, register_section
from atvida_social.organisation.roles import Role
from channels.models import Channel

from . import selectors
from .services import supervision
from .workflow import SlaState


def _item_entries(items, status) -> list[Item]:
    """Start-page entries for items: late ones say so, the others `status(item)`."""
    return [
        Item(
            label=f"{item.get_kind_display()} från {item.author or '–'} ({item.channel})",
            url=item.get_absolute_url(),
            status=_("Sen")
            if item.sla_state == SlaState.LATE and item.secrecy_flagged_at is None
            else status(item),
            since=item.received_at,
        )
        for item in items
    ]


def _soonest(items, now, order=("due_at", "received_at", "pk")):
    # The ten due soonest; the start page shows no matches, so none are loaded.
    return items.with_sla_state(now).select_related("channel").order_by(*order)[:10]


def _queue_status(item) -> str:
    if item.secrecy_flagged_at is not None:
        return _("Sekretess: ta bort omedelbart")
    return item.get_status_display()


def queue_items(user) -> list[Item]:
    """The first ten of the user's queue, in its order: secrecy first, then due first."""
    items = selectors.items_for_viewer(user).in_queue().filter(due_at__isnull=False)
    return _item_entries(_soonest(items, timezone.now(), selectors.QUEUE_ORDER), _queue_status)


def deadline_warnings(user) -> list[Item]:
    """Open items with under a quarter of their time left, or late: the warning's items."""
    now = timezone.now()
    items = (
        selectors.items_for_viewer(user).open().in_sla_state(now, SlaState.SOON_LATE, SlaState.LATE)
    )
    return _item_entries(_soonest(items, now), lambda item: _("Snart sen"))


# How many of the oldest unregistered direct messages the start page lists.
UNREGISTERED_SHOWN = 10


def _oldest_with_rest(items, *, shown: int, status, rest_label, rest_filter: str) -> list[Item]:
    """The `shown` oldest of `items` as start-page entries (`status` a callable or a text),
    and a link to the rest in the queue (filtered by `rest_filter`) when there are more."""
    found = list(items.select_related("channel").order_by("received_at", "pk")[: shown + 1])
    entries = [
        Item(
            label=f"{item.get_kind_display()} från {item.author or '–'} ({item.channel})",
            url=item.get_absolute_url(),
            status=status(item) if callable(status) else status,
            since=item.received_at,
        )
        for item in found[:shown]
    ]
    if len(found) > shown:
        entries.append(
            Item(label=rest_label, url=f"{reverse('moderation:item-list')}?{rest_filter}=on")
        )
    return entries


def unregistered_messages(user) -> list[Item]:
    """The oldest direct messages the user sees that wait to be registered or judged
    trivial, and a link to the rest in the queue when there are more."""
    return _oldest_with_rest(
        selectors.items_for_viewer(user).unregistered_messages(),
        shown=UNREGISTERED_SHOWN,
        status=lambda item: item.get_status_display(),
        rest_label=_("Alla ej diarieförda direktmeddelanden i kön"),
        rest_filter="unregistered",
    )


def overdue_reviews(user) -> list[Item]:
    """The user's channels (all, for Informationsenheten) whose review is overdue."""
    rows = supervision.supervision_of(selectors.supervised_channels(user))
    return [
        Item(
            label=f"{row.channel}: {row.interval.description}",
            url=reverse("moderation:supervision"),
            status=_("Tillsyn försenad"),
            since=row.due_at,
        )
        for row in rows
        if row.is_overdue
    ]


def unattended_channels(user) -> list[Item]:
    """Channels whose daily operators are all away without a substitute."""
    channels = Channel.objects.filter(supervision.channel_unattended()).order_by("account_name")
    return [
        Item(
            label=str(channel),
            url=reverse("moderation:absence-list"),
            status=_("Ingen bevakar kanalen"),
        )
        for channel in channels
    ]


# How many items failed on the platform the start page lists.
PLATFORM_FAILURES_SHOWN = 10


def platform_failures(user) -> list[Item]:
    """The items the user sees whose decision the platform did not carry out, oldest
    first, and a link to the rest in the queue."""
    return _oldest_with_rest(
        selectors.failed_on_platform(selectors.items_for_viewer(user)),
        shown=PLATFORM_FAILURES_SHOWN,
        status=_("Misslyckades på plattformen"),
        rest_label=_("Alla som misslyckats på plattformen i kön"),
        rest_filter="plattformsfel",
    )


def broken_connections(user) -> list[Item]:
    """The broken connections the user may mend (Informationsenheten all, an account owner
    those of the channels whose plan names them)."""
    demo = _(" (Demoplattform (simulator))") if settings.PLATFORM_SIMULATOR_URL else ""
    return [
        Item(
            label=f"{connection.channel}: {connection.get_platform_display()}{demo}",
            url=reverse("moderation:connection", args=[connection.channel_id]),
            status=_("Anslutningen är bruten"),
            since=connection.broken_at,
        )
        for connection in selectors.broken_connections_for(user).order_by("broken_at", "pk")[:50]
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
    # Weekly supervision and deadline warnings (Bilaga 1; Rimliga svarstider).
    register_section(
        "deadline_warnings",
        title=_("Svarstiden går snart ut"),
        empty_text=_("Inga inlägg har mindre än en fjärdedel av svarstiden kvar."),
        roles=[Role.DAILY_OPERATOR, Role.INFORMATION_UNIT],
        provider=deadline_warnings,
        order=6,
    )
    # Direct messages are incoming public records: registered unless of trivial or
    # temporary importance (Hur hanteras inkomna synpunkter, frågor och kommentarer).
    register_section(
        "unregistered_messages",
        title=_("Ej diarieförda direktmeddelanden"),
        empty_text=_("Alla direktmeddelanden är diarieförda eller bedömda som ringa."),
        roles=[Role.DAILY_OPERATOR, Role.INFORMATION_UNIT],
        provider=unregistered_messages,
        order=6,
    )
    register_section(
        "overdue_reviews",
        title=_("Försenad tillsyn"),
        empty_text=_("Alla dina kanaler har setts över i tid."),
        roles=[Role.DAILY_OPERATOR, Role.INFORMATION_UNIT],
        provider=overdue_reviews,
        order=7,
    )
    register_section(
        "unattended_channels",
        title=_("Kanaler där alla är frånvarande"),
        empty_text=_("Alla kanaler har någon som bevakar dem."),
        roles=[Role.INFORMATION_UNIT],
        provider=unattended_channels,
        order=8,
    )
    # A decision the platform did not carry out: the item is still shown there.
    register_section(
        "platform_failures",
        title=_("Misslyckades på plattformen"),
        empty_text=_("Alla beslut är utförda på plattformarna."),
        roles=[Role.DAILY_OPERATOR, Role.INFORMATION_UNIT],
        provider=platform_failures,
        order=9,
    )
    # An expired or revoked token stops pulls and actions until new access is entered.
    register_section(
        "broken_connections",
        title=_("Brutna anslutningar"),
        empty_text=_("Alla anslutningar till plattformarna fungerar."),
        roles=[Role.ACCOUNT_OWNER, Role.INFORMATION_UNIT],
        provider=broken_connections,
        order=9,
    )
