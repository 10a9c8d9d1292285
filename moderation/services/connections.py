"""A channel's connection to its platform: entered, tested and removed by Informationsenheten
or the channel's account owners. The secrets (page token, app password, refresh token) are
kept encrypted and never leave this module: not in an audit row, a message or a log line."""

import dataclasses
import json
import logging

import httpx
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import DomainError, PermissionDeniedError
from channels.models import ChannelStatus

from .. import selectors
from ..models import ConnectionState, PlatformConnection
from ..platforms import registry
from ..platforms.base import AccessExpired, PlatformError
from . import pulls

logger = logging.getLogger(__name__)

# A token or password is far shorter; anything longer is not what the platform gave.
MAX_SECRET_LENGTH = 4096
MAX_ACCOUNT_ID_LENGTH = 200


class ChannelClosed(DomainError):
    default_message = _("Kanalen är avslutad. En avslutad kanal ansluts inte till sin plattform.")


def _ensure_may_manage(by, channel) -> None:
    if not selectors.may_manage_connection(by, channel):
        raise PermissionDeniedError


def _single_line(value) -> str | None:
    """The value stripped, or None when it is not one line of text."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if any(char in value for char in "\r\n\x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        return None
    return value


def _clean_secrets(connector_class, credentials) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {}
    given = credentials if isinstance(credentials, dict) else {}
    for name, label in connector_class.SECRET_FIELDS:
        value = _single_line(given.get(name, ""))
        if value is None:
            errors[name] = [_("%(label)s ska stå på en rad.") % {"label": label}]
        elif not value:
            errors[name] = [_("Ange %(label)s.") % {"label": label.lower()}]
        elif len(value) > MAX_SECRET_LENGTH:
            errors[name] = [
                _("%(label)s får vara högst %(max)s tecken.")
                % {"label": label, "max": MAX_SECRET_LENGTH}
            ]
        else:
            cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_account_id(account_id) -> str:
    value = _single_line(account_id)
    if value is None:
        raise ValidationError({"account_id": [_("Kontots id ska stå på en rad.")]})
    if not value:
        raise ValidationError({"account_id": [_("Ange kontots id på plattformen.")]})
    if len(value) > MAX_ACCOUNT_ID_LENGTH:
        raise ValidationError(
            {
                "account_id": [
                    _("Kontots id får vara högst %(max)s tecken.") % {"max": MAX_ACCOUNT_ID_LENGTH}
                ]
            }
        )
    return value


@transaction.atomic
def save_connection(channel, *, by, account_id: str, credentials: dict) -> PlatformConnection:
    """Connect a planned or active channel to its platform, or enter new access for it (a
    new token mends a broken connection): the connection is untested until "Testa
    anslutningen". Every secret the platform's connector asks for must be given."""
    _ensure_may_manage(by, channel)
    if channel.status not in (ChannelStatus.ACTIVE, ChannelStatus.PLANNED):
        raise ChannelClosed
    connector_class = registry.connector_class(channel.platform)
    if connector_class is None:
        raise DomainError(
            _(
                "Verktyget kan inte anslutas till %(platform)s. Registrera kanalens inlägg "
                "via API:t eller för hand."
            )
            % {"platform": channel.get_platform_display()}
        )
    account_id = _clean_account_id(account_id)
    secrets = _clean_secrets(connector_class, credentials)
    connection = PlatformConnection.objects.select_for_update().filter(
        channel=channel
    ).first() or PlatformConnection(channel=channel, created_by=by)
    created = connection.pk is None
    connection.platform = channel.platform
    connection.account_id = account_id
    connection.credentials = json.dumps(secrets)
    connection.state = ConnectionState.UNTESTED
    connection.missing_permissions = []
    connection.tested_at = None
    connection.broken_at = None
    connection.broken_reason = ""
    connection.broken_mailed_at = None
    connection.save()
    # Which secrets were entered, never their values.
    record_audit(
        "platform_connection_saved",
        by=by,
        obj=connection,
        details={
            "channel": channel.pk,
            "platform": channel.platform,
            "account_id": account_id,
            "secrets_entered": sorted(secrets),
            "created": created,
        },
    )
    return connection


@dataclasses.dataclass(frozen=True)
class TestResult:
    """What "Testa anslutningen" found: `ok` when the platform accepted the access, and a
    Swedish message for the page."""

    __test__ = False  # not a pytest test class

    ok: bool
    message: str


def _credentials_of(connection: PlatformConnection) -> dict:
    try:
        value = json.loads(connection.credentials or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def test_connection(connection: PlatformConnection, *, by, transport=None) -> TestResult:  # noqa: PT028
    """ "Testa anslutningen": one cheap call to the platform. Accepted, the connection works
    and the permissions it lacks are kept; refused (an expired or revoked token), it is
    broken until new access is entered; any other error leaves its state as it was and is
    told in Swedish. The platform is called outside any transaction."""
    _ensure_may_manage(by, connection.channel)
    broken_reason = ""
    try:
        connector = registry.connector_for(
            connection.platform,
            account_id=connection.account_id,
            credentials=_credentials_of(connection),
            transport=transport,
        )
        missing = list(connector.test())
    except AccessExpired as error:
        # Broken the same way a pull finds it: one mail to the account owners and
        # Informationsenheten, until new access is saved.
        pulls.mark_connection_broken(connection, reason=str(error.message))
        state, missing, broken_reason = ConnectionState.BROKEN, [], error.message
    except PlatformError as error:
        return _record_test(connection, by=by, state=None, message=error.message)
    except httpx.HTTPError as error:
        # The connector's contract is PlatformError; a transport error that slips through is
        # still no server error. Its text may hold an address, never a secret, but is not
        # shown: the class names what happened.
        logger.warning("Testing connection %s failed: %s", connection.pk, type(error).__name__)
        return _record_test(
            connection,
            by=by,
            state=None,
            message=_("Plattformen kunde inte nås. Försök igen om en stund."),
        )
    else:
        state = ConnectionState.WORKING
    limits = dict(connector.limits) if state == ConnectionState.WORKING else None
    return _record_test(
        connection,
        by=by,
        state=state,
        missing=[str(label) for label in missing][:50],
        broken_reason=broken_reason,
        limits=limits,
    )


test_connection.__test__ = False  # not a pytest test


@transaction.atomic
def _record_test(
    connection, *, by, state, message="", missing=(), broken_reason="", limits=None
) -> TestResult:
    locked = PlatformConnection.objects.select_for_update().get(pk=connection.pk)
    now = timezone.now()
    locked.tested_at = now
    fields = ["tested_at", "updated_at"]
    if state == ConnectionState.WORKING:
        locked.state = state
        locked.missing_permissions = list(missing)
        locked.broken_at, locked.broken_reason, locked.broken_mailed_at = None, "", None
        fields += ["state", "missing_permissions", "broken_at", "broken_reason"]
        fields += ["broken_mailed_at"]
        if limits:
            locked.limits = limits
            fields.append("limits")
        message = (
            _("Anslutningen fungerar, men behörigheter saknas: %(missing)s.")
            % {"missing": ", ".join(missing)}
            if missing
            else _("Anslutningen fungerar.")
        )
    elif state == ConnectionState.BROKEN:
        # pulls.mark_connection_broken set the state, the time and the mail.
        message = _("Plattformen godtar inte åtkomsten: %(reason)s Ange en ny åtkomst.") % {
            "reason": broken_reason
        }
    locked.save(update_fields=fields)
    record_audit(
        "platform_connection_tested",
        by=by,
        obj=locked,
        details={"state": locked.state, "missing_permissions": locked.missing_permissions},
    )
    connection.refresh_from_db()
    return TestResult(ok=state == ConnectionState.WORKING, message=message)


@transaction.atomic
def remove_connection(connection: PlatformConnection, *, by) -> None:
    """Disconnect the channel: nothing more is pulled or carried out on the platform. The
    items already pulled, their decisions and their platform actions stay."""
    _ensure_may_manage(by, connection.channel)
    locked = PlatformConnection.objects.select_for_update().filter(pk=connection.pk).first()
    if locked is None:
        return
    record_audit(
        "platform_connection_removed",
        by=by,
        obj=locked,
        details={
            "channel": locked.channel_id,
            "platform": locked.platform,
            "account_id": locked.account_id,
        },
    )
    locked.delete()
