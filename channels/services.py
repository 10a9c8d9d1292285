"""Every change to the register is a service that takes the acting user and writes the audit log."""

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.roles import is_information_unit

from . import register, selectors
from .exceptions import NothingToPublish, StalePreview
from .models import Channel, ChannelStatus, Party, PartyLink, RegisterVersion


def ensure_information_unit(user) -> None:
    # Kommunledningsförvaltningen keeps the register (Roller och ansvar).
    if not is_information_unit(user):
        raise PermissionDeniedError


def _lock_versions() -> None:
    """Serialise publishing so that numbers are distinct and consecutive."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE channels_registerversion IN SHARE ROW EXCLUSIVE MODE")


def _save(instance, *, by, action: str, changed: list[str]):
    """Validate, save and audit one register row, all in the caller's transaction."""
    ensure_information_unit(by)
    instance.full_clean()
    instance.save()
    record_audit(action, by=by, obj=instance, details={"fields": changed})
    return instance


@transaction.atomic
def save_channel(channel: Channel, *, by, changed: list[str] | None = None) -> Channel:
    """Create or update a channel. The activity-plan approval calls this too."""
    action = "channel_created" if channel._state.adding else "channel_changed"
    return _save(channel, by=by, action=action, changed=changed or [])


@transaction.atomic
def register_channel_from_plan(channel: Channel | None, *, by, values: dict) -> Channel:
    """An approved activity plan puts its channel into the register, or updates its entry.

    The unit "reports the channel by drawing up an activity plan" (Roller och ansvar); this
    is the way a channel becomes active through a plan. `values` holds platform, url,
    account_name, unit, description and contact_email from the plan.
    """
    channel = channel or Channel(status=ChannelStatus.ACTIVE)
    for name in ("platform", "url", "account_name", "unit"):
        setattr(channel, name, values[name])
    channel.status = ChannelStatus.ACTIVE
    channel.started_on = channel.started_on or timezone.localdate()
    channel.description = channel.description or values.get("description", "")[:2000]
    channel.contact_email = channel.contact_email or values.get("contact_email", "")
    return save_channel(channel, by=by, changed=["activity_plan"])


@transaction.atomic
def save_party(party: Party, *, by, changed: list[str] | None = None) -> Party:
    action = "party_created" if party._state.adding else "party_changed"
    return _save(party, by=by, action=action, changed=changed or [])


@transaction.atomic
def save_party_link(link: PartyLink, *, by, changed: list[str] | None = None) -> PartyLink:
    action = "party_link_created" if link._state.adding else "party_link_changed"
    return _save(link, by=by, action=action, changed=changed or [])


@transaction.atomic
def delete_party_link(link: PartyLink, *, by) -> None:
    ensure_information_unit(by)
    record_audit("party_link_deleted", by=by, obj=link, details={"url": link.url})
    link.delete()


def publish_preview() -> dict:
    latest = selectors.latest_version()
    return register.diff_contents(
        latest.content if latest else None, selectors.live_register_content()
    )


@transaction.atomic
def publish_register(*, by, base: int | None = None) -> RegisterVersion:
    """Freeze the register into the next numbered version.

    `base` is the version number the publisher's preview was compared with; if another
    version was published since, the preview is stale and publishing is refused.
    """
    ensure_information_unit(by)
    _lock_versions()
    latest = RegisterVersion.objects.order_by("-number").first()
    if base is not None and base != (latest.number if latest else 0):
        raise StalePreview
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
    # Now and again after commit, in case a reader cached the old meta in between.
    selectors.forget_latest_version_meta()
    transaction.on_commit(selectors.forget_latest_version_meta)
    return version
