"""The register's section on the start page: changes waiting to be published."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from atvida_social.dashboard import Item, register_section
from atvida_social.organisation.roles import Role

from . import register, services


def unpublished_changes(user) -> list[Item]:
    """One line while the live register differs from its latest published version."""
    diff = services.publish_preview()
    if register.is_empty(diff):
        return []
    count = sum(len(rows) for part in diff.values() for rows in part.values())
    return [
        Item(
            label=_("%(count)s ändringar väntar på publicering") % {"count": count},
            url=reverse("channels:publish"),
        )
    ]


def register_sections() -> None:
    # Kommunledningsförvaltningen keeps and publishes the register (Roller och ansvar).
    register_section(
        "register",
        title=_("Kanalregistret"),
        empty_text=_("Inga opublicerade ändringar i registret."),
        roles=[Role.INFORMATION_UNIT],
        provider=unpublished_changes,
        order=20,
    )
