"""The organisation's entry in the staff menu."""

from django.utils.translation import gettext_lazy as _

from atvida_social.menu import register_menu_entry


def register_menu_entries() -> None:
    register_menu_entry(
        "units", label=_("Verksamheter"), url_name="organisation:unit-list", order=50
    )
