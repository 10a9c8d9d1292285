"""Taking snapshots of the channels (Arkivering: "en ögonblicksbild ... minst en gång varje
halvår eller vid större förändringar", in a standard format, RA-FS 2009:2).

The making of a snapshot is a run in four steps, each a Celery task that calls one function
here with the run's id:

1. `start_snapshot_run` records the run under its key (the same key twice gives one run) and
   enqueues `take_snapshot` through the outbox, in the caller's transaction.
2. `take_snapshot` plans the parts ("del 1 av 3"): the period's items grouped into threads,
   threads kept whole inside a part where they fit. Each part is a row naming its items; the
   rows and one `render_volume` task per part are written in one transaction. The parts go
   to the broker as separate tasks, like a Celery group, so that more workers finish sooner;
   their completion is counted in the database, not in a result backend.
3. `render_volume` renders one part as PDF/A and JSON from its own items only, stores both
   files, and marks the part done under the run's row lock: a second delivery of the same
   part (acks_late after a lost worker) finds it done and stores nothing. The part that
   completes the count enqueues `finish_snapshot`.
4. `finish_snapshot` writes the manifest (every file with its SHA-256) and records the
   `Snapshot` with all its `ArchiveFile` rows in one transaction.

A run that finally fails (after the tasks' retries) is marked failed with a Swedish message
for the archive page, and every file written for it is removed: no partial snapshot is ever
recorded and no file of it is left behind.

The part size. On this kind of machine (2 cores shared) one WeasyPrint PDF/A-1a document of
short comments measured: 500 items 3.0 s (168 items/s, 110 MB peak), 1,000 items 4.9 s (206/s,
180 MB), 2,000 items 12.2 s (163/s, 290 MB), 5,000 items 30 s (166/s, 560 MB); the issue's own
figures were 10 s for 1,000 and 55 s / 470 MB for 5,000. Memory grows with the part (about
0.1 MB per item) while the rate does not improve past 1,000; below 1,000 each part's fixed
cost (cover page, fonts, task hand-over) weighs more. So a part holds at most 1,000 items
(ARCHIVE_VOLUME_ITEMS): about 180 MB per rendering process whatever the period's size, the
rate of a single 1,000-item document, and 50 tasks for 50,000 items to spread over workers.
ARCHIVE_VOLUME_CHARS bounds the text too, so that 1,000 long posts cost no more than that.
"""

import datetime
import hashlib
import io
import json
import logging
import secrets
import tempfile
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.roles import is_information_unit
from atvida_social.outbox.services import enqueue
from channels.models import Channel, ChannelStatus
from moderation.models import Item

from .. import rendering, volumes
from ..models import (
    ArchiveFile,
    FileRole,
    RunStatus,
    Snapshot,
    SnapshotReason,
    SnapshotRun,
    SnapshotVolume,
    run_directory,
)

logger = logging.getLogger(__name__)

STOCKHOLM = ZoneInfo("Europe/Stockholm")

TAKE_SNAPSHOT = "archiving.tasks.take_snapshot"
RENDER_VOLUME = "archiving.tasks.render_volume"
FINISH_SNAPSHOT = "archiving.tasks.finish_snapshot"


def archive_storage():
    """The storage the archive's files are written to (ArchiveFile.file's)."""
    return ArchiveFile._meta.get_field("file").storage


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
    if by is not None and not is_information_unit(by):
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
        run.save(
            update_fields=[
                "status",
                "error",
                "volumes_total",
                "volumes_done",
                "items_total",
                "started_at",
                "finished_at",
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
    schedule twice gives one snapshot each."""
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
    if channel is not None:
        channels = channels.filter(pk=channel.pk)
    return [
        start_snapshot_run(
            each,
            period_start=start,
            period_end=end,
            reason=SnapshotReason.SCHEDULE,
            key=f"halvar:{each.pk}:{start:%Y-%m-%d}",
        )
        for each in channels
    ]


# --- Planning the parts ------------------------------------------------------------------


def _period_rows(run: SnapshotRun) -> list[tuple[int, int | None, int]]:
    """(item, parent, length of text) for every item received in the period, in time order."""
    return list(
        Item.objects.filter(
            channel_id=run.channel_id,
            received_at__gte=run.period_start,
            received_at__lt=run.period_end,
        )
        .order_by("received_at", "pk")
        .values_list("pk", "parent_id", Length("text"))
    )


def _parents(rows) -> dict[int, int | None]:
    """Item → parent for the period's items and, up the chains, their ancestors."""
    parents = {pk: parent for pk, parent, _size in rows}
    missing = {parent for parent in parents.values() if parent and parent not in parents}
    while missing:
        found = dict(Item.objects.filter(pk__in=missing).values_list("pk", "parent_id"))
        parents.update(found)
        missing = {p for p in found.values() if p and p not in parents}
    return parents


def plan_volumes(run: SnapshotRun) -> list[list[int]]:
    rows = _period_rows(run)
    roots = volumes.thread_roots(_parents(rows))
    threads = volumes.group_threads(((pk, size or 0) for pk, _p, size in rows), roots)
    return volumes.pack_threads(
        threads,
        max_items=settings.ARCHIVE_VOLUME_ITEMS,
        max_size=settings.ARCHIVE_VOLUME_CHARS,
    )


def take_snapshot(run_id: int) -> SnapshotRun:
    """Plan the run's parts and enqueue one render per part; nothing if already planned."""
    with transaction.atomic():
        run = SnapshotRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.QUEUED:
            return run  # planned before (a second delivery), done or failed
        parts = plan_volumes(run)
        SnapshotVolume.objects.bulk_create(
            SnapshotVolume(run=run, number=number, item_ids=ids, items=len(ids))
            for number, ids in enumerate(parts, start=1)
        )
        run.status = RunStatus.RENDERING
        run.started_at = timezone.now()
        run.volumes_total = len(parts)
        run.volumes_done = 0
        run.items_total = sum(len(ids) for ids in parts)
        run.attempts += 1
        run.save(
            update_fields=[
                "status",
                "started_at",
                "volumes_total",
                "volumes_done",
                "items_total",
                "attempts",
            ]
        )
        for number in range(1, len(parts) + 1):
            enqueue(RENDER_VOLUME, run.pk, number)
    return run


# --- Rendering a part --------------------------------------------------------------------


def _hash_and_size(handle) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    handle.seek(0)
    for block in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(block)
        size += len(block)
    handle.seek(0)
    return digest.hexdigest(), size


def _store(storage, name: str, handle) -> tuple[str, str, int]:
    """Store a finished temporary file under `name`; (stored name, SHA-256, size)."""
    sha256, size = _hash_and_size(handle)
    stored = storage.save(name, File(handle, name=name))
    return stored, sha256, size


def _attempt_name(run: SnapshotRun, filename: str) -> str:
    # A token per attempt: two deliveries of one part never write to the same name.
    return f"{run_directory(run)}/{secrets.token_hex(4)}-{filename}"


def render_volume(run_id: int, number: int) -> SnapshotVolume | None:
    """Render part `number` of the run as PDF/A and JSON, store both, count the part done;
    the last part enqueues finish_snapshot. Nothing when the part is done or the run is not
    being made any more; the files of an attempt that fails or comes second are removed."""
    run = SnapshotRun.objects.select_related("channel__unit__administration", "requested_by").get(
        pk=run_id
    )
    volume = SnapshotVolume.objects.get(run=run, number=number)
    if run.status != RunStatus.RENDERING or volume.is_done:
        return None
    storage = archive_storage()
    header = rendering.volume_header(run, volume, generated_at=timezone.now())
    records = rendering.volume_records(volume)
    total = run.volumes_total
    written: list[str] = []
    try:
        with tempfile.TemporaryFile() as pdf_file:
            pages = rendering.render_volume_pdf(header, records, pdf_file)
            pdf_name, pdf_sha256, pdf_size = _store(
                storage,
                _attempt_name(run, rendering.volume_filename(run, number, total, "pdf")),
                pdf_file,
            )
            written.append(pdf_name)
        with tempfile.TemporaryFile() as json_file:
            text = io.TextIOWrapper(json_file, encoding="utf-8", newline="\n")
            rendering.write_json(header, records, text)
            text.flush()
            text.detach()
            json_name, json_sha256, json_size = _store(
                storage,
                _attempt_name(run, rendering.volume_filename(run, number, total, "json")),
                json_file,
            )
            written.append(json_name)
        del records
        with transaction.atomic():
            run = SnapshotRun.objects.select_for_update().get(pk=run_id)
            volume = SnapshotVolume.objects.select_for_update().get(pk=volume.pk)
            if run.status != RunStatus.RENDERING or volume.is_done:
                _delete_files(storage, written)
                return None
            volume.pages = pages
            volume.pdf_name, volume.pdf_sha256, volume.pdf_size = pdf_name, pdf_sha256, pdf_size
            volume.json_name, volume.json_sha256 = json_name, json_sha256
            volume.json_size = json_size
            volume.finished_at = timezone.now()
            volume.save(
                update_fields=[
                    "pages",
                    "pdf_name",
                    "pdf_sha256",
                    "pdf_size",
                    "json_name",
                    "json_sha256",
                    "json_size",
                    "finished_at",
                ]
            )
            run.volumes_done = run.parts.filter(finished_at__isnull=False).count()
            run.save(update_fields=["volumes_done"])
            if run.volumes_done == run.volumes_total:
                enqueue(FINISH_SNAPSHOT, run.pk)
        return volume
    except BaseException:
        _delete_files(storage, written)
        raise


# --- Recording the snapshot --------------------------------------------------------------


def _manifest(run: SnapshotRun, parts: list[SnapshotVolume], *, finished_at) -> bytes:
    channel = run.channel
    files = []
    for part in parts:
        for role, sha256, size, pages in (
            (FileRole.PDF, part.pdf_sha256, part.pdf_size, part.pages),
            (FileRole.JSON, part.json_sha256, part.json_size, None),
        ):
            extension = "pdf" if role == FileRole.PDF else "json"
            files.append(
                {
                    "filename": rendering.volume_filename(run, part.number, len(parts), extension),
                    "role": role.value,
                    "volume": part.number,
                    "sha256": sha256,
                    "size": size,
                    "pages": pages,
                }
            )
    manifest = {
        "format": rendering.FORMAT + "/manifest",
        "municipality": settings.MUNICIPALITY_NAME,
        "unit": channel.unit.name,
        "channel": {
            "id": channel.pk,
            "platform": channel.platform,
            "account_name": channel.account_name,
            "url": channel.url,
        },
        "period_start": run.period_start,
        "period_end": run.period_end,
        "reason": run.reason,
        "note": run.note,
        "requested_by": rendering.person(run.requested_by),
        "started_at": run.started_at,
        "finished_at": finished_at,
        "items": run.items_total,
        "pages": sum(part.pages or 0 for part in parts),
        "volumes": len(parts),
        "hash_algorithm": "SHA-256",
        "files": files,
    }
    return json.dumps(manifest, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def finish_snapshot(run_id: int) -> Snapshot | None:
    """Write the manifest and record the snapshot with all its files, in one transaction;
    the snapshot already recorded when the run is done."""
    storage = archive_storage()
    manifest_name = None
    try:
        with transaction.atomic():
            run = (
                SnapshotRun.objects.select_for_update(of=("self",))
                .select_related("channel__unit", "requested_by")
                .get(pk=run_id)
            )
            if run.status == RunStatus.DONE:
                return Snapshot.objects.get(run=run)
            parts = list(run.parts.order_by("number"))
            if run.status != RunStatus.RENDERING or not all(part.is_done for part in parts):
                return None
            finished_at = timezone.now()
            data = _manifest(run, parts, finished_at=finished_at)
            filename = f"{rendering.file_stem(run)}-manifest.json"
            with tempfile.TemporaryFile() as handle:
                handle.write(data)
                manifest_name, manifest_sha256, manifest_size = _store(
                    storage, _attempt_name(run, filename), handle
                )
            snapshot = Snapshot.objects.create(
                run=run,
                channel=run.channel,
                period_start=run.period_start,
                period_end=run.period_end,
                reason=run.reason,
                note=run.note,
                created_by=run.requested_by,
                items=run.items_total,
                pages=sum(part.pages or 0 for part in parts),
                volumes=len(parts),
                started_at=run.started_at or run.created_at,
                finished_at=finished_at,
            )
            for part in parts:
                ArchiveFile.objects.create(
                    snapshot=snapshot,
                    role=FileRole.PDF,
                    volume=part.number,
                    file=part.pdf_name,
                    filename=rendering.volume_filename(run, part.number, len(parts), "pdf"),
                    sha256=part.pdf_sha256,
                    size=part.pdf_size,
                    pages=part.pages,
                )
                ArchiveFile.objects.create(
                    snapshot=snapshot,
                    role=FileRole.JSON,
                    volume=part.number,
                    file=part.json_name,
                    filename=rendering.volume_filename(run, part.number, len(parts), "json"),
                    sha256=part.json_sha256,
                    size=part.json_size,
                )
            ArchiveFile.objects.create(
                snapshot=snapshot,
                role=FileRole.MANIFEST,
                file=manifest_name,
                filename=filename,
                sha256=manifest_sha256,
                size=manifest_size,
            )
            run.status = RunStatus.DONE
            run.finished_at = finished_at
            run.volumes_done = len(parts)
            run.save(update_fields=["status", "finished_at", "volumes_done"])
            record_audit(
                "snapshot_recorded",
                obj=snapshot,
                details={
                    "run": run.pk,
                    "channel": run.channel_id,
                    "items": snapshot.items,
                    "volumes": snapshot.volumes,
                    "manifest_sha256": manifest_sha256,
                },
            )
            keep = {manifest_name} | {p.pdf_name for p in parts} | {p.json_name for p in parts}
            transaction.on_commit(lambda: _remove_strays(storage, run, keep=keep))
            return snapshot
    except BaseException:
        if manifest_name is not None:
            _delete_files(storage, [manifest_name])
        raise


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


# --- Failing -----------------------------------------------------------------------------


def failure_message(error: BaseException | str) -> str:
    detail = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return _(
        "Ögonblicksbilden kunde inte skapas, inte heller efter flera försök. Inga filer har "
        "sparats. Försök igen senare; om felet består, kontakta den som förvaltar systemet. "
        "Teknisk orsak: %(detail)s"
    ) % {"detail": str(detail)[:1000]}


@transaction.atomic
def fail_snapshot_run(run_id: int, *, error: BaseException | str) -> SnapshotRun | None:
    """Mark the run failed, with a Swedish message, and remove every file written for it.
    A run already done stays done."""
    run = SnapshotRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.status == RunStatus.DONE:
        return run
    run.status = RunStatus.FAILED
    run.error = failure_message(error)
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    record_audit(
        "snapshot_failed",
        obj=run,
        details={"channel": run.channel_id, "error": str(error)[:500]},
    )
    _remove_strays(archive_storage(), run, keep=set())
    logger.error("Snapshot run %s failed: %s", run.pk, error)
    return run


# --- Files -------------------------------------------------------------------------------


def _delete_files(storage, names) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # a file that cannot be removed must not hide the real error
            logger.warning("Could not remove archive file %s", name, exc_info=True)


def _remove_strays(storage, run: SnapshotRun, *, keep: set[str]) -> None:
    """Remove the files in the run's directory that no record names: those of attempts that
    failed or came second, and temporary files of a worker killed while writing."""
    try:
        _directories, files = storage.listdir(run_directory(run))
    except (FileNotFoundError, NotImplementedError):
        return
    strays = [f"{run_directory(run)}/{name}" for name in files]
    _delete_files(storage, [name for name in strays if name not in keep])
