"""Who may see and act on the archive, and the archive pages' reads.

Informationsenheten sees, downloads and verifies everything, takes a snapshot and runs the
check of the whole archive; the municipality's archivist (Arkivarie) sees, downloads and
verifies. Nobody else sees the archive at all (Arkivering; Sekretess). Who may cull, and
culling's reads: archiving/culling/selectors.py.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from atvida_social.organisation.roles import Role, has_role, is_information_unit
from channels.models import Channel, ChannelStatus
from moderation import selectors as moderation_selectors
from moderation.models import Item
from moderation.workflow import ItemStatus

from .models import (
    ArchiveFile,
    FileRole,
    IntegrityCheck,
    RunStatus,
    Snapshot,
    SnapshotRun,
    Verification,
    VerificationResult,
)

IN_PROGRESS = (RunStatus.QUEUED, RunStatus.RENDERING)
# "minst en gång varje halvår": a channel is overdue once its last snapshot ended longer ago.
SNAPSHOT_INTERVAL_MONTHS = 6


def is_active_user(user) -> bool:
    """Signed in with an account that is not switched off: nobody else may act on the archive."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def may_see_archive(user) -> bool:
    """Informationsenheten and the archivist: see, download and verify."""
    if not is_active_user(user):
        return False
    return is_information_unit(user) or has_role(user, Role.ARCHIVIST)


def may_verify(user) -> bool:
    return may_see_archive(user)


def may_take_snapshot(user) -> bool:
    """Only Informationsenheten takes a snapshot "vid större förändringar"."""
    return is_active_user(user) and is_information_unit(user)


def may_check_archive(user) -> bool:
    """Only Informationsenheten starts a check of the whole archive."""
    return is_active_user(user) and is_information_unit(user)


def ensure_may_see_archive(user) -> None:
    if not may_see_archive(user):
        raise PermissionDenied


def archive_file_for(user, pk: int) -> ArchiveFile:
    """The archived file, for someone who may see the archive: 403 to anyone else (whether the
    file exists or not, so nothing is learnt), 404 when there is no such file. The diarium's
    copy of an item marked secret is for those who may read secret content only (403)."""
    ensure_may_see_archive(user)
    archive_file = get_object_or_404(
        ArchiveFile.objects.select_related("snapshot__channel", "register_version", "plan"),
        pk=pk,
    )
    if archive_file.diarium_item_id is not None:
        item = Item.objects.filter(pk=archive_file.diarium_item_id).only("status").first()
        if not may_download_diarium_copy(user, item):
            raise PermissionDenied
    return archive_file


# --- The diarium's copies of items ---------------------------------------------------------


def may_download_diarium_copy(user, item) -> bool:
    """The copy holds the item's text, so it is restricted as the text is: an item removed
    or marked secret is Informationsenheten's (`moderation.selectors.may_read_removed_text`);
    a copy whose item is gone is treated the same way. Whether the user sees the item at all
    is asked before (`diarium_copy_for`)."""
    if item is None or item.status in (ItemStatus.REMOVED, ItemStatus.SECRET):
        return is_active_user(user) and moderation_selectors.may_read_removed_text(user)
    return is_active_user(user)


def diarium_copies_of(item):
    """The diarium's copies of an item, newest first."""
    return ArchiveFile.objects.filter(diarium_item_id=item.pk).order_by("-created_at", "-pk")


def diarium_copy_for(user, pk: int) -> ArchiveFile:
    """A diarium copy for someone who sees its item (moderation's `items_for_viewer`): 404 to
    anyone else, whether the copy exists or not; 403 for a secret item's copy to someone who
    sees the item but may not read secret content."""
    archive_file = get_object_or_404(ArchiveFile, pk=pk, diarium_item_id__isnull=False)
    item = get_object_or_404(
        moderation_selectors.items_for_viewer(user).only("status"),
        pk=archive_file.diarium_item_id,
    )
    if not may_download_diarium_copy(user, item):
        raise PermissionDenied
    return archive_file


def channel_for_snapshot(user, pk: int) -> Channel:
    """A channel someone may take a snapshot of: 403 unless Informationsenheten, then 404."""
    if not may_take_snapshot(user):
        raise PermissionDenied
    return get_object_or_404(Channel.objects.select_related("unit"), pk=pk)


def failed_run_for_retry(user, pk: int) -> SnapshotRun:
    """A failed run someone may start again: 403 unless Informationsenheten, then 404 for a
    run that is missing or has not failed (nothing to try again)."""
    if not may_take_snapshot(user):
        raise PermissionDenied
    return get_object_or_404(
        SnapshotRun.objects.select_related("channel__unit"), pk=pk, status=RunStatus.FAILED
    )


def _latest_verification(field: str):
    return Subquery(
        Verification.objects.filter(file=OuterRef("pk"))
        .order_by("-checked_at", "-pk")
        .values(field)[:1]
    )


def files_with_last_check():
    """Archived files, each with the result and time of its latest verification."""
    return ArchiveFile.objects.annotate(
        last_result=_latest_verification("result"),
        last_checked_at=_latest_verification("checked_at"),
    )


# Each volume's PDF before its JSON; the manifest (no volume) last.
_ROLE_ORDER = Case(
    When(role=FileRole.PDF, then=Value(0)),
    When(role=FileRole.JSON, then=Value(1)),
    default=Value(2),
)


def snapshots(*, channel=None, unit=None, year: int | None = None):
    """Finished snapshots, by channel and newest period first, each with its files (and their
    latest check) loaded in a constant number of queries, however many there are."""
    found = Snapshot.objects.select_related("channel__unit", "created_by").prefetch_related(
        Prefetch(
            "files",
            queryset=files_with_last_check().order_by(
                F("volume").asc(nulls_last=True), _ROLE_ORDER, "pk"
            ),
        )
    )
    if channel is not None:
        found = found.filter(channel=channel)
    if unit is not None:
        found = found.filter(channel__unit=unit)
    if year is not None:
        # The year the period starts in, in the municipality's time zone (USE_TZ).
        found = found.filter(period_start__year=year)
    return found.order_by(
        "channel__unit__name", "channel__account_name", "channel_id", "-period_end", "-pk"
    )


def runs_in_progress():
    return (
        SnapshotRun.objects.filter(status__in=IN_PROGRESS)
        .select_related("channel__unit", "requested_by")
        .order_by("created_at", "pk")
    )


def unresolved_failed_runs():
    """Failed runs that no later successful run of the same channel and period has made good."""
    made_good = SnapshotRun.objects.filter(
        channel=OuterRef("channel"),
        period_start=OuterRef("period_start"),
        period_end=OuterRef("period_end"),
        status=RunStatus.DONE,
        created_at__gt=OuterRef("created_at"),
    )
    return (
        SnapshotRun.objects.filter(status=RunStatus.FAILED)
        .exclude(Exists(made_good))
        .select_related("channel__unit", "requested_by")
        .order_by("-created_at", "-pk")
    )


def documents():
    """The archived PDFs of published register versions, approved activity plans and the
    diarium's copies of items."""
    return (
        files_with_last_check()
        .filter(snapshot__isnull=True)
        .select_related("register_version", "plan__channel", "plan__unit")
        .order_by("-created_at", "-pk")
    )


def problem_files():
    """Files whose latest verification found them changed or missing. Read from the few
    verifications that found a problem, not from every file, so the start page stays cheap."""
    later = Verification.objects.filter(file=OuterRef("file"), pk__gt=OuterRef("pk"))
    latest_problems = Verification.objects.exclude(result=VerificationResult.OK).exclude(
        Exists(later)
    )
    return (
        files_with_last_check()
        .filter(pk__in=latest_problems.values("file"))
        .select_related("snapshot__channel", "register_version", "plan__channel")
        .order_by("-last_checked_at", "-pk")
    )


def integrity_checks():
    """The runs of the archive check, newest first, each with its problems loaded."""
    problems = (
        Verification.objects.exclude(result=VerificationResult.OK)
        .select_related("file__snapshot__channel", "file__register_version", "file__plan__channel")
        .order_by("pk")
    )
    return IntegrityCheck.objects.select_related("requested_by").prefetch_related(
        Prefetch("verifications", queryset=problems, to_attr="problem_verifications")
    )


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same local wall-clock time `months` earlier (the last day of a shorter month)."""
    local = timezone.localtime(moment)
    month_index = local.year * 12 + local.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    day = local.day
    while True:
        try:
            earlier = local.replace(year=year, month=month, day=day, tzinfo=None)
            break
        except ValueError:
            day -= 1
    return timezone.make_aware(earlier)


def _overdue(cutoff: datetime.datetime) -> Q:
    """Active, and its latest snapshot ended before `cutoff` (or, with none yet, it started
    before then). Needs `last_period_end` annotated."""
    never = Q(last_period_end__isnull=True)
    return Q(status=ChannelStatus.ACTIVE) & (
        Q(last_period_end__lt=cutoff)
        | (never & Q(started_on__lt=timezone.localtime(cutoff).date()))
        | (never & Q(started_on__isnull=True, created_at__lt=cutoff))
    )


def channels_overview(*, now: datetime.datetime | None = None):
    """Every active or closed channel with the end of its latest snapshot's period and
    whether it is overdue: more than six months since that end ("minst en gång varje
    halvår")."""
    cutoff = months_before(now or timezone.now(), SNAPSHOT_INTERVAL_MONTHS)
    return (
        Channel.objects.filter(status__in=[ChannelStatus.ACTIVE, ChannelStatus.CLOSED])
        .select_related("unit")
        .annotate(last_period_end=Max("snapshots__period_end"))
        .annotate(
            is_overdue=Case(
                When(_overdue(cutoff), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("unit__name", "account_name", "pk")
    )


def overdue_channels(*, now: datetime.datetime | None = None):
    """Active channels without a snapshot of the last six months, longest waiting first."""
    cutoff = months_before(now or timezone.now(), SNAPSHOT_INTERVAL_MONTHS)
    return (
        Channel.objects.annotate(last_period_end=Max("snapshots__period_end"))
        .filter(_overdue(cutoff))
        .select_related("unit")
        .order_by(F("last_period_end").asc(nulls_first=True), "unit__name", "account_name", "pk")
    )
