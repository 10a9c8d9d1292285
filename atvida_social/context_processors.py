from django.conf import settings

from . import menu
from .organisation.roles import is_information_unit


def municipality(request):
    return {
        "municipality_name": settings.MUNICIPALITY_NAME,
        "accessibility_email": settings.ACCESSIBILITY_EMAIL,
        "is_information_unit": is_information_unit(request.user)
        if hasattr(request, "user")
        else False,
    }


def staff_menu(request):
    """The menu entries the apps registered that the user sees (templates/base.html)."""
    user = getattr(request, "user", None)
    return {
        "main_menu": menu.entries_for(user, menu.MAIN),
        "information_unit_menu": menu.entries_for(user, menu.INFORMATION_UNIT),
    }
