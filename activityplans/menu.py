"""The activity plans' entries in the staff menu."""

from django.utils.translation import gettext_lazy as _

from atvida_social.menu import INFORMATION_UNIT, register_menu_entry


def register_menu_entries() -> None:
    register_menu_entry(
        "plans", label=_("Aktivitetsplaner"), url_name="activityplans:plan-list", order=10
    )
    # The logins handed over to Informationsenheten, kept encrypted.
    register_menu_entry(
        "credentials",
        label=_("Inloggningar i förvar"),
        url_name="activityplans:credential-list",
        order=40,
        menu=INFORMATION_UNIT,
    )
