"""The staff menu: each app registers its own entries, as it does its start page sections.

An app calls `register_menu_entry` from its `AppConfig.ready()` (in its `menu.py`); this
module keeps the registry and imports no app, and `templates/base.html` only loops over what
the context processor `atvida_social.context_processors.menu` hands it. An entry goes in the
main menu, which every logged-in user sees, or in Informationsenheten's drop-down, which only
Informationsenheten sees; a `visible(user)` narrows either to fewer users.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from .organisation.roles import is_information_unit

MAIN = "main"
INFORMATION_UNIT = "information_unit"
MENUS = (MAIN, INFORMATION_UNIT)


@dataclass(frozen=True)
class MenuEntrySpec:
    """A registered entry: where it goes, its label, the page it opens and who sees it."""

    key: str
    label: str
    url_name: str
    order: int
    menu: str
    visible: Callable[..., bool] | None


@dataclass(frozen=True)
class MenuEntry:
    """An entry as one user sees it in the menu."""

    key: str
    label: str
    url: str


_registry: dict[str, MenuEntrySpec] = {}


def register_menu_entry(
    key: str,
    *,
    label: str,
    url_name: str,
    order: int,
    menu: str = MAIN,
    visible: Callable[..., bool] | None = None,
) -> None:
    """Add a link to the page `url_name` (which takes no arguments) to `menu`.

    `order` places it among the other apps' entries of that menu (lower first); `visible(user)`,
    when given, shows it only to the users for whom it is true. Registering the same entry
    again, as a repeated `ready()` does, changes nothing; a different entry under a taken key
    is a configuration error.
    """
    if not key or not url_name:
        raise ImproperlyConfigured("A menu entry needs a key and a URL name.")
    if menu not in MENUS:
        raise ImproperlyConfigured(f"Menu entry {key!r} names an unknown menu {menu!r}.")
    if visible is not None and not callable(visible):
        raise ImproperlyConfigured(f"Menu entry {key!r}: `visible` is not callable.")
    spec = MenuEntrySpec(key, label, url_name, order, menu, visible)
    registered = _registry.get(key)
    if registered is not None and registered != spec:
        raise ImproperlyConfigured(f"Menu entry {key!r} is already registered.")
    _registry[key] = spec


def registered_entries(menu: str) -> list[MenuEntrySpec]:
    """The entries of `menu` in a stable order: by `order`, then by key."""
    return sorted(
        (spec for spec in _registry.values() if spec.menu == menu),
        key=lambda spec: (spec.order, spec.key),
    )


def entries_for(user, menu: str) -> list[MenuEntry]:
    """The entries of `menu` that `user` sees; none to a visitor who is not logged in."""
    if not getattr(user, "is_authenticated", False):
        return []
    if menu == INFORMATION_UNIT and not is_information_unit(user):
        return []
    return [
        MenuEntry(spec.key, spec.label, reverse(spec.url_name))
        for spec in registered_entries(menu)
        if spec.visible is None or spec.visible(user)
    ]
