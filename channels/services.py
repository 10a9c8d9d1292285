"""Every change to the register is a service that takes the acting user and writes the audit log."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.roles import is_information_unit

from . import register, selectors, signals
from .exceptions import (
    ActivationNeedsPlan,
    ExceptionReasonMissing,
    NothingToPublish,
    StalePreview,
)
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


def _apply_register_exception(channel: Channel, *, by, reason: str) -> None:
    """Set the exception's reason, author and time on the instance, validated."""
    reason = (reason or "").strip()
    if not reason:
        raise ExceptionReasonMissing
    field = Channel._meta.get_field("register_exception_reason")
    try:
        field.clean(reason, channel)
    except ValidationError as error:
        raise ExceptionReasonMissing(" ".join(error.messages)) from error
    channel.register_exception_reason = reason
    channel.register_exception_by = by
    channel.register_exception_at = timezone.now()


def _audit_register_exception(channel: Channel, *, by) -> None:
    record_audit(
        "channel_register_exception_recorded",
        by=by,
        obj=channel,
        details={"reason": channel.register_exception_reason},
    )


def ensure_may_become_active(channel: Channel, *, stored_status: str | None) -> None:
    """Outside an approved plan, a channel becomes active only with a recorded exception.

    `stored_status` is the status in the database before this change (None for a new row).
    The plan route, register_channel_from_plan, does not ask.
    """
    becomes_active = (
        channel.status == ChannelStatus.ACTIVE and stored_status != ChannelStatus.ACTIVE
    )
    # Roller och ansvar: a unit reports a channel by drawing up an activity plan.
    if becomes_active and not channel.has_register_exception:
        raise ActivationNeedsPlan


def stamp_activation(channel: Channel, *, stored_status: str | None) -> None:
    """Set `activated_at` to now when this save makes the channel active (from planned or
    closed, or a new active row); a save of an already active channel keeps it."""
    if channel.status == ChannelStatus.ACTIVE and stored_status != ChannelStatus.ACTIVE:
        channel.activated_at = timezone.now()


def _save_channel(channel: Channel, *, by, changed: list[str], from_plan: bool) -> Channel:
    ensure_information_unit(by)
    stored = (
        None
        if channel._state.adding
        else Channel.objects.select_for_update().filter(pk=channel.pk).first()
    )
    if not from_plan:
        ensure_may_become_active(channel, stored_status=stored.status if stored else None)
    stamp_activation(channel, stored_status=stored.status if stored else None)
    action = "channel_created" if stored is None else "channel_changed"
    saved = _save(channel, by=by, action=action, changed=changed)
    closing = stored is not None and stored.status != ChannelStatus.CLOSED
    if closing and saved.status == ChannelStatus.CLOSED:
        # Arkivering: a final snapshot of the channel is taken on closing.
        signals.channel_closed.send(sender=Channel, channel=saved, by=by)
    return saved


@transaction.atomic
def save_channel(
    channel: Channel, *, by, changed: list[str] | None = None, exception_reason: str = ""
) -> Channel:
    """Create or update a channel from the register's own form.

    Here a channel becomes active only with an exception to the plan route, recorded before
    or by `exception_reason` in this same save; otherwise only an approved plan activates it
    (register_channel_from_plan).
    """
    ensure_information_unit(by)
    if exception_reason:
        _apply_register_exception(channel, by=by, reason=exception_reason)
    saved = _save_channel(channel, by=by, changed=changed or [], from_plan=False)
    if exception_reason:
        _audit_register_exception(saved, by=by)
    return saved


@transaction.atomic
def record_register_exception(channel: Channel, *, by, reason: str) -> Channel:
    """Informationsenheten lets a channel into the register without an approved plan, with a
    reason (for channels that existed before the tool). It does not change the status."""
    ensure_information_unit(by)
    locked = Channel.objects.select_for_update().get(pk=channel.pk)
    _apply_register_exception(locked, by=by, reason=reason)
    locked.save(
        update_fields=[
            "register_exception_reason",
            "register_exception_by",
            "register_exception_at",
            "updated_at",
        ]
    )
    _audit_register_exception(locked, by=by)
    for name in ("register_exception_reason", "register_exception_by", "register_exception_at"):
        setattr(channel, name, getattr(locked, name))
    return channel


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
    return _save_channel(channel, by=by, changed=["activity_plan"], from_plan=True)


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
    # Arkivering: the version is archived, and each changed channel gets a snapshot.
    signals.register_published.send(sender=RegisterVersion, version=version)
    # Now and again after commit, in case a reader cached the old meta in between.
    selectors.forget_latest_version_meta()
    transaction.on_commit(selectors.forget_latest_version_meta)
    return version
