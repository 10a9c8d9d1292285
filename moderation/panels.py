"""Panels on an item's page, registered by the apps above moderation.

Moderation knows nothing of archiving (dependencies point upwards only), yet the item page
is where a person looks for what else concerns the item, such as a legal hold on it. Each
app registers a provider in its AppConfig.ready(); the page shows what the providers return
for the viewer, in the order of registration.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemPanel:
    """A box on the item page: a heading, lines of text and a link to act on them."""

    key: str
    title: str
    lines: tuple[str, ...] = ()
    link_label: str = ""
    url: str = ""


# A provider answers for one viewer and item: a panel, or None to show nothing.
Provider = Callable[..., ItemPanel | None]

_PROVIDERS: dict[str, Provider] = {}


def register_item_panel(key: str, provider: Provider) -> None:
    """Add (or replace, by key) a provider, called as provider(user, item); call from an
    AppConfig.ready()."""
    _PROVIDERS[key] = provider


def item_panels(user, item) -> list[ItemPanel]:
    return [panel for provider in _PROVIDERS.values() if (panel := provider(user, item))]
