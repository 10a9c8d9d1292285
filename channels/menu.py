"""The channel register's entries in the staff menu."""

from django.utils.translation import gettext_lazy as _

from atvida_social.menu import INFORMATION_UNIT, register_menu_entry


def register_menu_entries() -> None:
    register_menu_entry("channels", label=_("Kanaler"), url_name="channels:channel-list", order=40)
    # Kommunledningsförvaltningen keeps and publishes the register (Roller och ansvar).
    register_menu_entry(
        "publish",
        label=_("Publicera registret"),
        url_name="channels:publish",
        order=10,
        menu=INFORMATION_UNIT,
    )
    register_menu_entry(
        "versions",
        label=_("Publicerade versioner"),
        url_name="channels:version-list",
        order=20,
        menu=INFORMATION_UNIT,
    )
    register_menu_entry(
        "parties",
        label=_("Partier"),
        url_name="channels:party-list",
        order=30,
        menu=INFORMATION_UNIT,
    )
