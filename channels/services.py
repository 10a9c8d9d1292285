"""Every change to the register is a service that takes the acting user and writes the audit log."""

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.roles import is_information_unit

from . import register, selectors
from .exceptions import NothingToPublish
from .models import RegisterVersion


def ensure_information_unit(user) -> None:
    # Kommunledningsförvaltningen keeps the register (Roller och ansvar).
    if not is_information_unit(user):
        raise PermissionDeniedError


def _lock_versions() -> None:
    """Serialise publishing so that numbers are distinct and consecutive."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE channels_registerversion IN SHARE ROW EXCLUSIVE MODE")


def publish_preview() -> dict:
    latest = selectors.latest_version()
    return register.diff_contents(
        latest.content if latest else None, selectors.live_register_content()
    )


@transaction.atomic
def publish_register(*, by) -> RegisterVersion:
    ensure_information_unit(by)
    _lock_versions()
    latest = RegisterVersion.objects.order_by("-number").first()
    content = selectors.live_register_content()
    diff = register.diff_contents(latest.content if latest else None, content)
    if register.is_empty(diff):
        raise NothingToPublish
    number = (RegisterVersion.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    version = RegisterVersion.objects.create(
        number=number,
        published_at=timezone.now(),
        published_by=by,
        content=content,
        change_summary=diff,
    )
    record_audit("register_published", by=by, obj=version, details=register.summarise(diff))
    return version
