"""The archive's entry in the staff menu, for those who may see the archive."""

from django.utils.translation import gettext_lazy as _

from atvida_social.menu import register_menu_entry

from .selectors import may_see_archive


def register_menu_entries() -> None:
    register_menu_entry(
        "archive",
        label=_("Arkiv"),
        url_name="archiving:snapshot-list",
        order=60,
        visible=may_see_archive,
    )
