"""The roles of the guidelines (Roller och ansvar), held as Django groups.

A user may hold several roles. The groups and their permissions are created by the data
migration organisation 0002 (the archivist's by 0006), which also grants each its permissions;
later apps' migrations add their own permissions to these groups.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models


class Role(models.TextChoices):
    INFORMATION_UNIT = "Informationsenheten", "Informationsenheten"
    MANAGER = "Ansvarig chef", "Ansvarig chef"
    ACCOUNT_OWNER = "Kontoansvarig", "Kontoansvarig"
    DAILY_OPERATOR = "Daglig drift", "Daglig drift"
    # The municipality's archivist: reads and verifies the archive (Arkivering), nothing else.
    ARCHIVIST = "Arkivarie", "Arkivarie"


def role_names(user) -> frozenset[str]:
    """The roles a user holds, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role in role_names(user)


def is_information_unit(user) -> bool:
    """Informationsenheten sees everything (Roller och ansvar); so does a superuser."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.INFORMATION_UNIT)


def information_unit_required(view):
    """Only Informationsenheten: others get 403, anonymous visitors the login page."""
    # Imported here: auth.views needs the app registry, and models import this module.
    from django.contrib.auth.views import redirect_to_login

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_information_unit(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
