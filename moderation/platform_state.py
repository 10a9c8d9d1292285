"""What the platform shows of an item now, in words, beside the decision: from the item's
platform actions ("Dold på Facebook 10:42", "Väntar på plattformen", "Misslyckades: … – gör
det på plattformen") and its deletion by its author. Reads `item.platform_actions.all()`
(prefetch it for a list: `selectors.platform_actions_prefetch`); no query of its own."""

import dataclasses
import datetime

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import PlatformActionKind, PlatformActionState

# What a finished action without a message of its own did.
DONE_TEXT = {
    PlatformActionKind.HIDE: gettext_lazy("Dold på plattformen"),
    PlatformActionKind.UNHIDE: gettext_lazy("Visas igen på plattformen"),
    PlatformActionKind.DELETE: gettext_lazy("Borttagen på plattformen"),
    PlatformActionKind.REPLY: gettext_lazy("Svaret är publicerat på plattformen"),
}
# Hiding, showing again and deleting act on whether the item is seen: only the latest counts.
VISIBILITY = frozenset(
    {PlatformActionKind.HIDE, PlatformActionKind.UNHIDE, PlatformActionKind.DELETE}
)


@dataclasses.dataclass(frozen=True)
class StateLine:
    """One line of the item's platform state. `tone` is a Bootstrap colour; a failed action
    carries its id (for "Försök igen") and the item's address on the platform."""

    text: str
    tone: str
    at: datetime.datetime | None = None
    retry_id: int | None = None
    url: str = ""


def local_time(moment: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """ "10:42" today, "2026-03-27 10:42" another day, in the local time zone."""
    local = timezone.localtime(moment)
    today = timezone.localtime(now or timezone.now()).date()
    return format_date(local, "H:i" if local.date() == today else "Y-m-d H:i")


def _current(actions) -> list:
    """The latest action on the item's visibility and the latest reply, in request order."""
    latest: dict[str, object] = {}
    for action in sorted(actions, key=lambda a: (a.requested_at, a.pk)):
        latest["visibility" if action.kind in VISIBILITY else action.kind] = action
    return sorted(latest.values(), key=lambda a: (a.requested_at, a.pk))


def _line(action, item, now) -> StateLine:
    message = (action.message or "").strip()
    if action.state in (PlatformActionState.DONE, PlatformActionState.NEAREST):
        text = message or str(DONE_TEXT.get(action.kind, _("Utförd på plattformen")))
        if action.done_at is not None:
            text = f"{text} {local_time(action.done_at, now)}"
        return StateLine(text, "success", at=action.done_at)
    if action.state == PlatformActionState.PENDING:
        return StateLine(_("Väntar på plattformen"), "secondary")
    if action.state == PlatformActionState.NOT_POSSIBLE:
        return StateLine(message or _("Går inte att göra på plattformen"), "warning")
    reason = message.rstrip(".") or _("plattformen svarade med ett fel")
    return StateLine(
        _("Misslyckades: %(reason)s – gör det på plattformen") % {"reason": reason},
        "danger",
        retry_id=action.pk,
        url=item.url,
    )


def platform_state(item, *, now=None) -> list[StateLine]:
    now = now or timezone.now()
    lines = [_line(action, item, now) for action in _current(item.platform_actions.all())]
    if item.deleted_on_platform_at is not None:
        lines.append(
            StateLine(
                _("Raderad på plattformen av avsändaren %(at)s")
                % {"at": local_time(item.deleted_on_platform_at, now)},
                "warning",
                at=item.deleted_on_platform_at,
            )
        )
    return lines
