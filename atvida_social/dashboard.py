"""The start page: what waits for each user, in sections that each app registers for itself.

An app calls `register_section` from its `AppConfig.ready()`; this module keeps the registry
and only iterates over it, so moderation and archiving add their sections without editing
atvida_social/. It imports no app. A section has a provider behind it, or it does not exist:
the start page never says "nothing is waiting" for a queue that is not there.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from .organisation.roles import Role, role_names


@dataclass(frozen=True)
class Item:
    """One thing waiting for the user: a link, with its status and since when it waits."""

    label: str
    url: str
    status: str = ""
    since: datetime.datetime | None = None


@dataclass(frozen=True)
class SectionSpec:
    """A registered section: who sees it, and the provider that lists its items for a user."""

    key: str
    title: str
    empty_text: str
    roles: frozenset[str]
    provider: Callable[..., Sequence[Item]]
    order: int


@dataclass(frozen=True)
class Section:
    """A section as one user sees it on the start page."""

    key: str
    title: str
    empty_text: str
    items: list[Item]


_registry: dict[str, SectionSpec] = {}


def register_section(
    key: str,
    *,
    title: str,
    empty_text: str,
    roles: Iterable[str],
    provider: Callable[..., Sequence[Item]],
    order: int,
) -> None:
    """Add a section to the start page of every user who holds one of `roles`.

    `provider(user)` returns the section's items; `order` places it among the other apps'
    sections (lower first). Registering the same section again, as a repeated `ready()`
    does, changes nothing; a different section under a taken key is a configuration error.
    """
    roles = frozenset(roles)
    if not key:
        raise ImproperlyConfigured("A start page section needs a key.")
    if not callable(provider):
        raise ImproperlyConfigured(f"Start page section {key!r} has no provider.")
    if not roles:
        raise ImproperlyConfigured(f"Start page section {key!r} is shown to no role.")
    unknown = roles - set(Role.values)
    if unknown:
        raise ImproperlyConfigured(
            f"Start page section {key!r} names unknown roles: {', '.join(sorted(unknown))}."
        )
    spec = SectionSpec(key, title, empty_text, roles, provider, order)
    registered = _registry.get(key)
    if registered is not None and registered != spec:
        raise ImproperlyConfigured(f"Start page section {key!r} is already registered.")
    _registry[key] = spec


def registered_sections() -> list[SectionSpec]:
    """Every registered section in a stable order: by `order`, then by key."""
    return sorted(_registry.values(), key=lambda spec: (spec.order, spec.key))


def sections_for(user) -> list[Section]:
    """The sections of every role the user holds, each once, with the user's items."""
    held = role_names(user)
    return [
        Section(spec.key, spec.title, spec.empty_text, list(spec.provider(user)))
        for spec in registered_sections()
        if spec.roles & held
    ]
