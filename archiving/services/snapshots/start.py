"""Step 1 of a snapshot: record the run under its key and have it planned; the schedule and
the automatic triggers (a register change, a channel closing) that start runs; the half-year
periods they cover."""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.outbox.services import enqueue
from channels.models import Channel, ChannelStatus

from ...models import RunStatus, SnapshotReason, SnapshotRun
from ...selectors import may_take_snapshot

STOCKHOLM = ZoneInfo("Europe/Stockholm")

TAKE_SNAPSHOT = "archiving.tasks.take_snapshot"


# --- Periods -----------------------------------------------------------------------------


def half_year_containing(moment: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The half-year around `moment`, Europe/Stockholm, half-open: [1 Jan, 1 Jul) or
    [1 Jul, 1 Jan)."""
    local = moment.astimezone(STOCKHOLM)
    if local.month <= 6:
        start = datetime.datetime(local.year, 1, 1, tzinfo=STOCKHOLM)
        end = datetime.datetime(local.year, 7, 1, tzinfo=STOCKHOLM)
    else:
        start = datetime.datetime(local.year, 7, 1, tzinfo=STOCKHOLM)
        end = datetime.datetime(local.year + 1, 1, 1, tzinfo=STOCKHOLM)
    return start, end


def previous_half_year(moment: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The half-year that ended last before `moment` (on 1 July: January to June)."""
    start, _end = half_year_containing(moment)
    return half_year_containing(start - datetime.timedelta(microseconds=1))


# --- Starting a run ----------------------------------------------------------------------


def _run_errors(channel, *, period_start, period_end, reason, key, note) -> dict:
    errors: dict[str, list[str]] = {}
    bounds_ok = all(
        isinstance(bound, datetime.datetime) and not timezone.is_naive(bound)
        for bound in (period_start, period_end)
    )
    if not bounds_ok:
        errors["period_start"] = [_("Ange periodens början och slut med tidszon.")]
    elif period_start >= period_end:
        errors["period_end"] = [_("Periodens slut måste komma efter dess början.")]
    elif period_end > timezone.now() + datetime.timedelta(minutes=5):
        errors["period_end"] = [_("Perioden kan inte sluta i framtiden.")]
    if reason not in SnapshotReason.values:
        errors["reason"] = [_("Ange en giltig anledning till ögonblicksbilden.")]
    if not key or len(key) > SnapshotRun._meta.get_field("key").max_length:
        errors["key"] = [_("Ögonblicksbilden saknar en giltig nyckel.")]
    if len(note or "") > SnapshotRun._meta.get_field("note").max_length:
        errors["note"] = [_("Motiveringen får vara högst 2000 tecken.")]
    if channel is None or channel.pk is None:
        errors["channel"] = [_("Ange en kanal.")]
    elif channel.status == ChannelStatus.PLANNED:
        errors["channel"] = [_("Kanalen är bara planerad: det finns inget att arkivera ännu.")]
    return errors


@transaction.atomic
def start_snapshot_run(
    channel: Channel,
    *,
    period_start: datetime.datetime,
    period_end: datetime.datetime,
    reason: str,
    key: str,
    by=None,
    note: str = "",
) -> SnapshotRun:
    """Record the making of a snapshot of `channel` for the half-open period, once per `key`,
    and have it made. `by` is the person who asked, None for the schedule and the automatic
    triggers; only Informationsenheten takes a snapshot. The same key again gives the same run
    back; a run of that key that failed is started again."""
    if by is not None and not may_take_snapshot(by):
        raise PermissionDeniedError
    errors = _run_errors(
        channel,
        period_start=period_start,
        period_end=period_end,
        reason=reason,
        key=key,
        note=note,
    )
    if errors:
        raise ValidationError(errors)
    run, created = SnapshotRun.objects.select_for_update().get_or_create(
        key=key,
        defaults={
            "channel": channel,
            "period_start": period_start,
            "period_end": period_end,
            "reason": reason,
            "note": (note or "").strip(),
            "requested_by": by,
            "handed_over_at": timezone.now(),
        },
    )
    if not created and run.status != RunStatus.FAILED:
        return run
    if not created:
        run.parts.all().delete()
        run.status = RunStatus.QUEUED
        run.error = ""
        run.volumes_total = run.volumes_done = run.items_total = 0
        run.started_at = run.finished_at = None
        run.handed_over_at = timezone.now()
        run.handovers = 0
        run.save(
            update_fields=[
                "status",
                "error",
                "volumes_total",
                "volumes_done",
                "items_total",
                "started_at",
                "finished_at",
                "handed_over_at",
                "handovers",
            ]
        )
    record_audit(
        "snapshot_requested" if created else "snapshot_restarted",
        by=by,
        obj=run,
        details={
            "channel": channel.pk,
            "reason": reason,
            "period_start": period_start.isoformat(),
            "period_end": period_end.isoformat(),
        },
    )
    enqueue(TAKE_SNAPSHOT, run.pk)
    return run


def schedule_half_year_snapshots(
    now: datetime.datetime | None = None, *, channel: Channel | None = None
) -> list[SnapshotRun]:
    """The half-yearly snapshots (1 January and 1 July): the half-year just ended, for every
    channel that was in use when it ended.

    That is every active channel that had started by then, and also a channel closed since
    the half-year ended: its final snapshot, taken on closing, covers only the new half-year.
    A channel closed during the half-year is not taken again: its final snapshot on closing
    covers the half-year up to its last day. The key is channel and half-year, so running the
    schedule twice gives one snapshot each, and a run of that key that failed is started
    again. A scheduled run of an earlier half-year that failed (say, its worker was killed
    and the reconciler gave up on it) is started again too: the schedule's next run makes
    good what the last one could not."""
    now = now or timezone.now()
    start, end = previous_half_year(now)
    closed_after_end = Q(
        status=ChannelStatus.CLOSED,
        snapshot_runs__reason=SnapshotReason.CLOSING,
        snapshot_runs__created_at__gte=end,
    )
    channels = (
        Channel.objects.filter(Q(status=ChannelStatus.ACTIVE) | closed_after_end)
        .filter(Q(started_on__isnull=True) | Q(started_on__lt=end.date()))
        .distinct()
        .order_by("pk")
    )
    failed_before = SnapshotRun.objects.filter(
        reason=SnapshotReason.SCHEDULE, status=RunStatus.FAILED, period_start__lt=start
    )
    if channel is not None:
        channels = channels.filter(pk=channel.pk)
        failed_before = failed_before.filter(channel=channel)
    runs = [
        start_snapshot_run(
            each,
            period_start=start,
            period_end=end,
            reason=SnapshotReason.SCHEDULE,
            key=f"halvar:{each.pk}:{start:%Y-%m-%d}",
        )
        for each in channels
    ]
    runs += [
        start_snapshot_run(
            run.channel,
            period_start=run.period_start,
            period_end=run.period_end,
            reason=run.reason,
            key=run.key,
        )
        for run in failed_before.select_related("channel").order_by("period_start", "pk")
    ]
    return runs


# --- The automatic snapshots ------------------------------------------------------------


def snapshot_register_changes(version) -> list[SnapshotRun]:
    """A snapshot of each channel whose entry changed in a published register version
    ("vid större förändringar"), covering its half-year up to the publication. A channel
    that left the register because it was closed got its final snapshot on closing."""
    changes = (version.change_summary or {}).get("channels", {})
    ids = {row["after"]["id"] for row in changes.get("changed", [])}
    ids |= {row["id"] for row in changes.get("removed", [])}
    start, _end = half_year_containing(version.published_at)
    if not ids or start >= version.published_at:
        return []
    channels = Channel.objects.filter(pk__in=ids).exclude(
        status__in=[ChannelStatus.CLOSED, ChannelStatus.PLANNED]
    )
    return [
        start_snapshot_run(
            channel,
            period_start=start,
            period_end=version.published_at,
            reason=SnapshotReason.REGISTER_CHANGE,
            key=f"register:{version.number}:{channel.pk}",
            note=_("Kanalens uppgifter ändrades i kanalregistrets version %(number)s.")
            % {"number": version.number},
        )
        for channel in channels.order_by("pk")
    ]


def snapshot_closed_channel(channel: Channel, *, now=None) -> SnapshotRun | None:
    """The final snapshot of a channel being closed: its half-year up to the closing."""
    now = now or timezone.now()
    start, _end = half_year_containing(now)
    if start >= now:
        start = previous_half_year(now)[0]
    return start_snapshot_run(
        channel,
        period_start=start,
        period_end=now,
        reason=SnapshotReason.CLOSING,
        key=f"avslut:{channel.pk}:{now:%Y%m%dT%H%M%S%f}",
        note=_("Sista ögonblicksbilden: kanalen avslutas."),
    )
