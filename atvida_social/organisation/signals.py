"""Logins, logouts and failed logins go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import client_ip, record_audit


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs):
    record_audit("login", by=user, obj=user, ip=client_ip(request) if request else None)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record_audit("logout", by=user, obj=user, ip=client_ip(request) if request else None)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # PostgreSQL's jsonb refuses NUL characters; the attempted name is kept without them.
    username = str(credentials.get("username", "")).replace("\x00", "")[:150]
    record_audit(
        "login_failed",
        details={"username": username},
        ip=client_ip(request) if request else None,
    )
