"""Writing to the audit log. Every service that changes something calls `record_audit`.

The acting request's client address is kept in a context variable by
`AuditContextMiddleware`, so services need not pass the request around.
"""

import ipaddress
from contextvars import ContextVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditLogEntry

current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)


def client_ip(request) -> str | None:
    """The client's address for the audit log and the login lockout (AXES_CLIENT_IP_CALLABLE).

    Each of the TRUSTED_PROXY_COUNT proxies appends the address it was reached from to
    X-Forwarded-For, so the client is the entry that many places from the right; anything
    further left was written by the client and is not believed. With no trusted proxy the
    header is ignored altogether (see README, 'Production')."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        return remote  # not through the proxies the settings describe: only the peer is known
    try:
        return str(ipaddress.ip_address(_without_port(forwarded[-proxies])))
    except ValueError:
        return remote


def _without_port(address: str) -> str:
    # Some load balancers write "192.0.2.1:52100" or "[2001:db8::1]:52100".
    if address.startswith("[") and "]" in address:
        return address[1 : address.index("]")]
    if address.count(":") == 1:
        return address.split(":", 1)[0]
    return address


def record_audit(
    action: str,
    *,
    by=None,
    obj: models.Model | None = None,
    details: dict | None = None,
    ip: str | None = None,
) -> AuditLogEntry:
    actor = by if getattr(by, "is_authenticated", False) else None
    return AuditLogEntry.objects.create(
        actor=actor,
        actor_name=actor.get_username()[:150] if actor else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        ip_address=ip if ip is not None else current_ip.get(),
        details=details or {},
    )
