"""Writing to the audit log. Every service that changes something calls `record_audit`.

The acting request's client address is kept in a context variable by
`AuditContextMiddleware`, so services need not pass the request around.
"""

from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditLogEntry

current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: a forwarded-for header is set by the client and cannot be trusted
    # unless the proxy in front is configured to overwrite it (see README, 'Production').
    return request.META.get("REMOTE_ADDR") or None


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
