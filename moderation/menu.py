"""Moderation's entries in the staff menu."""

from django.utils.translation import gettext_lazy as _

from atvida_social.menu import INFORMATION_UNIT, register_menu_entry


def register_menu_entries() -> None:
    register_menu_entry(
        "moderation", label=_("Moderering"), url_name="moderation:item-list", order=20
    )
    register_menu_entry(
        "statistics", label=_("Statistik"), url_name="moderation:statistics", order=30
    )
    register_menu_entry(
        "rules",
        label=_("Regler för moderering"),
        url_name="moderation:rule-list",
        order=50,
        menu=INFORMATION_UNIT,
    )
    register_menu_entry(
        "platform_connections",
        label=_("Plattformsanslutningar"),
        url_name="moderation:connection-list",
        order=55,
        menu=INFORMATION_UNIT,
    )
    register_menu_entry(
        "api_tokens",
        label=_("API-nycklar"),
        url_name="moderation:token-list",
        order=60,
        menu=INFORMATION_UNIT,
    )
