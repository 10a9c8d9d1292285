"""Step 4 of a snapshot: write the manifest (every file with its SHA-256) and record the
`Snapshot` with all its `ArchiveFile` rows in one transaction."""

import json
import tempfile

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from atvida_social.organisation.audit import record_audit

from ... import rendering
from ...models import ArchiveFile, FileRole, RunStatus, Snapshot, SnapshotRun, SnapshotVolume
from .files import archive_storage, attempt_name, delete_files, remove_strays, store_file


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
        "profile": rendering.profile_record(run.profile),
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
                manifest_name, manifest_sha256, manifest_size = store_file(
                    storage, attempt_name(run, filename), handle
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
            transaction.on_commit(lambda: remove_strays(storage, run, keep=keep))
            return snapshot
    except BaseException:
        if manifest_name is not None:
            delete_files(storage, [manifest_name])
        raise
