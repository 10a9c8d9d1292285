"""Pulling from the platforms (Hur hanteras inkomna synpunkter; Lagen om elektroniska
anslagstavlor): each connected channel's posts, comments and messages, incrementally, through
the connector of its platform (`moderation.platforms`), stored through the ingest service as
every other way in; the items their authors deleted on the platform marked so, with their
text kept; and when each channel is pulled next.

A pull is resumable: for each kind of content the connector hands pages, and each page's
items are committed in one transaction with the cursor that follows them (`PullCursor`), so
a failure mid-pull re-reads at most one page and never stores anything twice. A pull is
bounded (MAX_PAGES, MAX_SECONDS) and continues at the next one.

After the content, at most once a day (PROFILE_INTERVAL), the account's profile: its name,
description and address, kept on the connection and, when changed, as a `ProfileVersion`
(Arkivering: the snapshot documents the medium itself). It is read last, so that a failure
there costs none of the items.

When: every PLATFORM_PULL_MINUTES (15 by default) within the monitoring days and hours of
the channel's current plan (`deadlines.review_interval`), hourly outside them, never more
often than every MIN_INTERVAL except "Hämta nu" (`request_pull`). The platform's limits come
first: a rate limit sets `backoff_until`, and nothing is called before it.
"""

import dataclasses
import datetime
import json
import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.outbox.services import enqueue
from channels.models import ChannelStatus

from .. import selectors
from ..deadlines import review_interval
from ..exceptions import BrokenConnectionMailNotSent
from ..models import (
    ConnectionState,
    Item,
    PlatformConnection,
    ProfileVersion,
    PullCursor,
)
from ..platforms import base, registry
from .ingest import store_validated, validate_what_can_be
from .items import mark_deleted_on_platform

logger = logging.getLogger(__name__)

MAX_PAGES = 40
MAX_SECONDS = 120
# A pull claimed longer ago than this died with its worker; the next one may start.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
MIN_INTERVAL = datetime.timedelta(minutes=5)
OUTSIDE_MONITORING = datetime.timedelta(hours=1)
# A due connection handed to the outbox is not handed over again before this, unless its
# pull ran (and set the next moment itself).
ENQUEUED_GRACE = datetime.timedelta(minutes=10)
# Which items are checked for deletion by their authors: received within this many days,
# at most GONE_BATCH per pull, the longest unchecked first.
GONE_DAYS = 14
GONE_BATCH = 50
DUE_PER_RUN = 500
# The profile is read at most this often per connection (tried, whether it worked or not).
PROFILE_INTERVAL = datetime.timedelta(days=1)


@dataclasses.dataclass
class PullResult:
    pages: int = 0
    created: int = 0
    seen: int = 0
    deleted: int = 0
    # The profile was read in this pull.
    profile_read: bool = False
    # Why nothing was pulled ("låst", "bruten", …), empty when it ran.
    skipped: str = ""
    error: str = ""


@dataclasses.dataclass
class RecordResult:
    created: int = 0
    seen: int = 0
    deleted: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)


# --- Storing what a page holds -----------------------------------------------------------


def record_platform_items(channel, items: list[base.PlatformItem]) -> RecordResult:
    """Store one page's items through the ingest service, in the caller's transaction.

    An item the platform reports deleted marks the stored item (`deleted_on_platform_at`,
    the text kept) and is not stored if it was never seen. A parent neither stored nor in
    the page is dropped (the item is stored outside any thread) rather than failing the page;
    an item that cannot be stored is left out with its error, and its siblings are stored.
    Culled items stay culled (the ingest service refuses them)."""
    result = RecordResult()
    result.deleted += mark_deleted_on_platform(
        channel, {item.external_id: item.deleted_at for item in items if item.deleted_at}
    )
    batch = [item for item in items if item.deleted_at is None and item.kind in base.PULLED_KINDS]
    _places, cleaned, failures = validate_what_can_be(
        channel, [item.as_item_data() for item in batch], unthread_orphans=True
    )
    result.errors.extend(
        f"{batch[place].external_id[:60]}: {field or ''} {message}".strip()
        for place, field, message in failures
    )
    stored = store_validated(channel, cleaned) if cleaned else []
    result.created += sum(1 for _item, created in stored if created)
    result.seen += len(stored)
    return result


# --- A connection's connector --------------------------------------------------------------


def build_connector(connection: PlatformConnection, *, transport=None) -> base.Connector:
    """The connector for the connection, with the limits it last read (a rest after a rate
    limit, the day's quota units), so that it stops before the platform refuses. Raises
    ValueError or TypeError for credentials that are not a JSON object."""
    credentials = json.loads(connection.credentials or "{}")
    if not isinstance(credentials, dict):
        raise TypeError("credentials")
    return registry.connector_for(
        connection.platform,
        account_id=connection.account_id,
        credentials=credentials,
        transport=transport,
        limits=connection.limits,
    )


def keep_connector_state(connection: PlatformConnection, connector: base.Connector) -> None:
    """Keep what the connector learned, even from a call that failed: the platform's limits,
    and credentials the platform renewed (X hands a new refresh token with each renewal and
    the old one stops working), encrypted like the ones entered."""
    changes = {}
    if connector.limits != connection.limits:
        changes["limits"] = connector.limits
    renewed = getattr(connector, "new_credentials", None)
    if renewed:
        changes["credentials"] = json.dumps(renewed)
        connector.new_credentials = None
    if not changes:
        return  # nothing learned: no write (and no lock on the connection's row)
    for field, value in changes.items():
        setattr(connection, field, value)
    connection.save(update_fields=list(changes))


# --- One pull ----------------------------------------------------------------------------


def _claim(connection_id: int, now) -> tuple[PlatformConnection | None, str]:
    """Mark the connection as being pulled, committed before any call: (connection, "") or
    (None, why not)."""
    with transaction.atomic():
        connection = (
            PlatformConnection.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("channel")
            .filter(pk=connection_id)
            .first()
        )
        if connection is None:
            return None, "låst"
        if connection.pull_started_at and connection.pull_started_at > now - CLAIM_TIMEOUT:
            return None, "hämtas redan"
        if connection.is_broken:
            return None, "bruten"
        if connection.channel.status != ChannelStatus.ACTIVE:
            return None, "kanalen är inte aktiv"
        if connection.backoff_until and connection.backoff_until > now:
            return None, "vilar"
        connection.pull_started_at = now
        connection.save(update_fields=["pull_started_at"])
    return connection, ""


def pull_connection(connection_id: int, *, now=None, transport=None) -> PullResult:
    """Pull the connection's content, every kind from its saved cursor, then ask the platform
    which recent items are gone. Two deliveries never pull at once (the claim); a broken
    connection, an inactive channel and one resting after a rate limit are skipped."""
    now = now or timezone.now()
    connection, why = _claim(connection_id, now)
    if connection is None:
        return PullResult(skipped=why)
    result = PullResult()
    broken: base.AccessExpired | None = None
    connector = None
    try:
        connector = build_connector(connection, transport=transport)
        _pull_kinds(connection, connector, result, now)
        result.deleted += _check_gone(connection, connector, now)
        result.profile_read = _read_profile(connection, connector, now)
    except base.AccessExpired as error:
        broken = error
        result.error = error.message
    except base.RateLimited as error:
        connection.backoff_until = error.retry_at
        result.error = error.message
    except base.PlatformError as error:
        result.error = error.message
    except (ValueError, TypeError):
        # Credentials that are not a JSON object: a person must enter them again.
        broken = base.AccessExpired(_("Anslutningens uppgifter går inte att läsa."))
        result.error = broken.message
    finally:
        if connector is not None:
            keep_connector_state(connection, connector)
        _finish(connection, result, now)
    if broken is not None:
        mark_connection_broken(connection, reason=broken.message, now=now)
    return result


def _pull_kinds(connection, connector, result: PullResult, now) -> None:
    started = time.monotonic()
    cursors = {row.kind: row.cursor for row in connection.cursors.all()}
    for kind in connector.KINDS:
        cursor = cursors.get(kind, "")
        while result.pages < MAX_PAGES and time.monotonic() - started < MAX_SECONDS:
            page = connector.fetch(kind, cursor)
            with transaction.atomic():
                recorded = record_platform_items(connection.channel, page.items)
                # Seen on the platform just now: the gone check asks about the others.
                Item.objects.filter(
                    channel=connection.channel,
                    external_id__in=[item.external_id for item in page.items],
                ).update(gone_checked_at=now)
                PullCursor.objects.update_or_create(
                    connection=connection, kind=kind, defaults={"cursor": page.cursor}
                )
                keep_connector_state(connection, connector)
            cursor = page.cursor
            result.pages += 1
            result.created += recorded.created
            result.seen += recorded.seen
            result.deleted += recorded.deleted
            if recorded.errors:
                result.error = _("Några inlägg kunde inte tas emot: %(errors)s") % {
                    "errors": "; ".join(recorded.errors[:5])
                }
            if not page.more:
                break


def _check_gone(connection, connector, now) -> int:
    """Ask the platform about the items received lately that are neither deleted, nor the
    account's own, nor removed by the municipality through the platform, nor seen in this
    pull's listings: those gone are marked deleted on the platform (their text kept). Oldest
    check first."""
    candidates = list(
        Item.objects.deletable_by_author()
        .filter(
            channel=connection.channel,
            received_at__gte=now - datetime.timedelta(days=GONE_DAYS),
        )
        .exclude(gone_checked_at__gte=now)
        .order_by(
            # Never checked first, then the longest unchecked.
            F("gone_checked_at").asc(nulls_first=True),
            "received_at",
            "pk",
        )
        .values_list("pk", "external_id")[:GONE_BATCH]
    )
    if not candidates:
        return 0
    gone = connector.gone([external_id for _pk, external_id in candidates])
    with transaction.atomic():
        Item.objects.filter(pk__in=[pk for pk, _id in candidates]).update(gone_checked_at=now)
        return mark_deleted_on_platform(connection.channel, dict.fromkeys(gone, now))


def _read_profile(connection, connector, now) -> bool:
    """Read the profile when it was not tried within PROFILE_INTERVAL: the try is committed
    first, so that a failing platform is asked again only the next day."""
    tried = connection.profile_tried_at
    if tried is not None and tried > now - PROFILE_INTERVAL:
        return False
    connection.profile_tried_at = now
    PlatformConnection.objects.filter(pk=connection.pk).update(profile_tried_at=now)
    try:
        profile = connector.profile()
    except NotImplementedError:
        return False
    if profile is None:
        return False
    record_profile(connection, profile, now=now)
    return True


@transaction.atomic
def record_profile(connection, profile: base.Profile, *, now) -> ProfileVersion | None:
    """Keep the profile as read on the connection, and as a new version of the channel's
    profile when it differs from the latest (the version None when it does not)."""
    data = {**profile.as_dict(), "read_at": now.isoformat()}
    connection.profile = data
    PlatformConnection.objects.filter(pk=connection.pk).update(profile=data)
    latest = (
        ProfileVersion.objects.filter(channel_id=connection.channel_id)
        .order_by("-read_at", "-pk")
        .first()
    )
    same = latest is not None and (latest.name, latest.description, latest.url) == (
        profile.name,
        profile.description,
        profile.url,
    )
    if same:
        return None
    return ProfileVersion.objects.create(
        channel_id=connection.channel_id,
        name=profile.name,
        description=profile.description,
        url=profile.url,
        read_at=now,
    )


def _finish(connection, result: PullResult, now) -> None:
    connection.pull_started_at = None
    connection.last_pull_at = now
    connection.last_pull_error = result.error[:2000]
    connection.next_pull_at = next_pull_at(connection.channel, now)
    fields = ["pull_started_at", "last_pull_at", "last_pull_error", "next_pull_at", "limits"]
    if connection.backoff_until and connection.backoff_until > now:
        connection.next_pull_at = max(connection.next_pull_at, connection.backoff_until)
        fields.append("backoff_until")
    if not result.error and connection.state == ConnectionState.UNTESTED:
        connection.state = ConnectionState.WORKING
        fields.append("state")
    PlatformConnection.objects.filter(pk=connection.pk).update(
        **{field: getattr(connection, field) for field in fields}
    )


# --- When ---------------------------------------------------------------------------------


def pull_minutes() -> datetime.timedelta:
    minutes = int(getattr(settings, "PLATFORM_PULL_MINUTES", 15))
    return max(datetime.timedelta(minutes=minutes), MIN_INTERVAL)


def is_monitored_at(interval, moment: datetime.datetime) -> bool:
    """Whether `moment` falls within the plan's monitoring: on a day it names (every day when
    it names none) and within its hours (the working hours for "every working day"; the whole
    day when it names none)."""
    day = moment.astimezone(interval.calendar.zone).date()
    is_day = interval._monitoring_days()
    if is_day is not None and not is_day(day):
        return False
    if interval.ends is None and interval.frequency != "working_days":
        return True
    opens, closes = interval.calendar.window(day)
    return opens <= moment < closes


def next_pull_at(channel, now) -> datetime.datetime:
    """PLATFORM_PULL_MINUTES within the plan's monitoring, hourly outside it."""
    if is_monitored_at(review_interval(channel), now):
        return now + pull_minutes()
    return now + max(OUTSIDE_MONITORING, pull_minutes())


def pull_due_connections(now=None) -> int:
    """The job every minute: hand one pull per due connection to the outbox (ids only),
    moving its next moment forward in the same transaction, so that the next run does not
    hand it over again before it ran. Then the mails about broken connections not yet sent.
    Returns the pulls handed over."""
    from ..tasks import pull_connection as pull_task

    now = now or timezone.now()
    due = _due(now)
    handed = 0
    for pk in due.values_list("pk", flat=True)[:DUE_PER_RUN]:
        with transaction.atomic():
            connection = due.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
            if connection is None:
                continue
            connection.next_pull_at = now + ENQUEUED_GRACE
            connection.save(update_fields=["next_pull_at"])
            enqueue(pull_task, connection.pk)
            handed += 1
    mail_broken_connections(now)
    return handed


def _due(now):
    return (
        PlatformConnection.objects.exclude(state=ConnectionState.BROKEN)
        .filter(channel__status=ChannelStatus.ACTIVE)
        .filter(Q(next_pull_at__isnull=True) | Q(next_pull_at__lte=now))
        .filter(Q(backoff_until__isnull=True) | Q(backoff_until__lte=now))
        .order_by("next_pull_at", "pk")
    )


@transaction.atomic
def request_pull(connection: PlatformConnection, *, by) -> None:
    """ "Hämta nu": the channel's Kontoansvarig or Informationsenheten has the pull run at
    once (the platform's rest after a rate limit still holds)."""
    from ..tasks import pull_connection as pull_task

    if not selectors.may_manage_connection(by, connection.channel):
        raise PermissionDeniedError
    enqueue(pull_task, connection.pk)
    record_audit("platform_pull_requested", by=by, obj=connection)


# --- Broken connections ------------------------------------------------------------------


def mark_connection_broken(connection, *, reason: str, now=None) -> None:
    """The platform refused the access: the connection is broken until new credentials are
    saved or a test works again, and its account owners and Informationsenheten are mailed,
    once per break, through the outbox (the mail is recorded with the break and sent after
    commit). Refused again, the break keeps its time and its mail and takes the new reason."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = PlatformConnection.objects.select_for_update().get(pk=connection.pk)
        if not locked.is_broken:
            locked.state = ConnectionState.BROKEN
            locked.broken_at = now
            locked.broken_reason = reason[:2000]
            locked.broken_mailed_at = None
            locked.save(update_fields=["state", "broken_at", "broken_reason", "broken_mailed_at"])
            record_audit("platform_connection_broken", by=None, obj=locked)
            enqueue("moderation.tasks.mail_connection_broken", locked.pk, now.isoformat())
        elif locked.broken_reason != reason[:2000]:
            # Refused again, for the reason the platform gives now; the same break, no new mail.
            locked.broken_reason = reason[:2000]
            locked.save(update_fields=["broken_reason", "updated_at"])
    connection.state = ConnectionState.BROKEN


def broken_recipients(channel) -> list:
    """The Kontoansvarig of the channel's current plan and Informationsenheten, active and
    with an address."""
    from django.contrib.auth import get_user_model

    from activityplans.selectors import current_plan
    from atvida_social.organisation.roles import Role

    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    wanted = Q(groups__name=Role.INFORMATION_UNIT)
    plan = current_plan(channel)
    if plan is not None:
        wanted |= Q(pk__in=plan.administrators.values("pk"))
    return list(users.filter(wanted).distinct().order_by("pk"))


def mail_connection_broken(connection_id: int, *, broken_at=None) -> bool:
    """Mail the break once (the task `mail_connection_broken`, and the job's sweep for a mail
    whose task gave up): recorded (`broken_mailed_at`) only after the mail was sent. With
    `broken_at`, only that break is mailed: a task of an earlier break, mended since, sends
    nothing. The row stays locked while mailing, so that two deliveries never both send; a
    failing mail server raises BrokenConnectionMailNotSent, for the task to try again.
    True when this call sent it."""
    from django.core.mail import send_mail

    wanted = PlatformConnection.objects.filter(
        pk=connection_id, state=ConnectionState.BROKEN, broken_mailed_at__isnull=True
    )
    if broken_at is not None:
        wanted = wanted.filter(broken_at=broken_at)
    with transaction.atomic():
        connection = (
            wanted.select_for_update(skip_locked=True, of=("self",))
            .select_related("channel")
            .first()
        )
        if connection is None:
            return False
        recipients = [user.email for user in broken_recipients(connection.channel)]
        if recipients:
            subject = _("Anslutningen till %(platform)s är bruten: %(channel)s") % {
                "platform": connection.get_platform_display(),
                "channel": connection.channel,
            }
            body = _(
                "Plattformen godtar inte längre kanalens åtkomst: %(reason)s\n\n"
                "Inga inlägg hämtas och inga beslut utförs på plattformen förrän en "
                "kontoansvarig eller Informationsenheten har angett en ny åtkomst på kanalens "
                "anslutningssida. Beslut som väntar utförs då, eller görs för hand på "
                "plattformen."
            ) % {"reason": connection.broken_reason}
            try:
                send_mail(subject, body, None, recipients, fail_silently=False)
            except OSError as error:  # smtplib's errors and a refused connection alike
                logger.warning(
                    "The mail about broken connection %s failed: %s",
                    connection_id,
                    type(error).__name__,
                )
                raise BrokenConnectionMailNotSent(connection_id) from error
        connection.broken_mailed_at = timezone.now()
        connection.save(update_fields=["broken_mailed_at"])
    return True


# A break whose mail task is this old and still unsent: its task gave up (a mail server down
# for long); the job mails it.
MAIL_SWEEP_AFTER = datetime.timedelta(hours=1)


def mail_broken_connections(now=None) -> int:
    """The sweep of the job every minute: the breaks an hour old and still not mailed."""
    now = now or timezone.now()
    pending = PlatformConnection.objects.filter(
        state=ConnectionState.BROKEN,
        broken_mailed_at__isnull=True,
        broken_at__lte=now - MAIL_SWEEP_AFTER,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in pending[:100]:
        try:
            sent += mail_connection_broken(pk)
        except BrokenConnectionMailNotSent:
            break  # the mail server is down: the next run tries again
    return sent
