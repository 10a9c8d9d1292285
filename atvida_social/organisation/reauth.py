"""Re-authentication for actions that ask for the password again (signing, revealing a login).

The password goes through `django.contrib.auth.authenticate`, so django-axes counts a wrong
password against the same username and address as the login form, and a locked-out user is
refused here with the right password too.

Call `confirm_password` before opening the action's transaction: a failure recorded inside a
transaction that the refusal then rolls back would never count towards the lockout.
"""

import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables

from .exceptions import IncorrectPassword, LockedOut


@sensitive_variables("password")
def confirm_password(user, password: str, *, request: HttpRequest | None) -> None:
    """Return if `password` is `user`'s own and `user` is not locked out; raise otherwise.

    Without a request (a management command, a test) the attempt still counts against the
    username, with no address.
    """
    request = request if request is not None else HttpRequest()
    confirmed = authenticate(request, username=user.get_username(), password=password or "")
    if confirmed is not None and confirmed.pk == user.pk:
        return
    if getattr(request, "axes_locked_out", False):
        # The caller shows this refusal in its own page; axes' middleware would otherwise
        # replace that page with the login form's lockout page.
        request.axes_locked_out = False
        raise _lockout()
    raise IncorrectPassword


def _lockout() -> LockedOut:
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    if isinstance(cooloff, datetime.timedelta):
        return LockedOut.for_minutes(max(1, round(cooloff.total_seconds() / 60)))
    return LockedOut()
