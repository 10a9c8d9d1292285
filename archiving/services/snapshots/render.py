"""Step 3 of a snapshot: render one part as PDF/A and JSON from its own items only, store
both files, and mark the part done under the run's row lock. A second delivery of the same
part (acks_late after a lost worker) finds it done and stores nothing; the part that
completes the count enqueues `finish_snapshot`.

Marking the part done sets its `SnapshotCapture` rows to what the files hold, item by item:
an item hidden, removed, purged or edited since the plan is recorded as it was written, and
one deleted since then as not captured."""

import io
import tempfile

from django.db import transaction
from django.utils import timezone

from atvida_social.outbox.services import enqueue

from ... import rendering
from ...models import RunStatus, SnapshotCapture, SnapshotRun, SnapshotVolume
from .files import archive_storage, attempt_name, delete_files, store_file

FINISH_SNAPSHOT = "archiving.tasks.finish_snapshot"


def record_captures(volume: SnapshotVolume, written: dict[int, tuple[str, bool, str]]) -> None:
    """Set the part's captures to what its files hold: `written` maps each item written to
    (external id, withheld, SHA-256 of the text as written)."""
    planned = {capture.item_id: capture for capture in volume.captures.all()}
    changed = []
    for item_id, capture in planned.items():
        if item_id in written:
            _external_id, withheld, sha256 = written[item_id]
            if (capture.is_withheld, capture.text_sha256) != (withheld, sha256):
                capture.is_withheld, capture.text_sha256 = withheld, sha256
                changed.append(capture)
    SnapshotCapture.objects.bulk_update(changed, ["is_withheld", "text_sha256"])
    volume.captures.exclude(item_id__in=list(written)).delete()
    SnapshotCapture.objects.bulk_create(
        SnapshotCapture(
            part=volume,
            item_id=item_id,
            external_id=external_id,
            is_withheld=withheld,
            text_sha256=sha256,
        )
        for item_id, (external_id, withheld, sha256) in written.items()
        if item_id not in planned
    )


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
    entries = rendering.volume_entries(volume)
    records = [record for _pk, record in entries]
    captured = {
        pk: (record["external_id"], *rendering.captured_text(record)) for pk, record in entries
    }
    del entries
    total = run.volumes_total
    written: list[str] = []
    try:
        with tempfile.TemporaryFile() as pdf_file:
            pages = rendering.render_volume_pdf(header, records, pdf_file)
            pdf_name, pdf_sha256, pdf_size = store_file(
                storage,
                attempt_name(run, rendering.volume_filename(run, number, total, "pdf")),
                pdf_file,
            )
            written.append(pdf_name)
        with tempfile.TemporaryFile() as json_file:
            text = io.TextIOWrapper(json_file, encoding="utf-8", newline="\n")
            rendering.write_json(header, records, text)
            text.flush()
            text.detach()
            json_name, json_sha256, json_size = store_file(
                storage,
                attempt_name(run, rendering.volume_filename(run, number, total, "json")),
                json_file,
            )
            written.append(json_name)
        del records
        with transaction.atomic():
            run = SnapshotRun.objects.select_for_update().get(pk=run_id)
            volume = SnapshotVolume.objects.select_for_update().get(pk=volume.pk)
            if run.status != RunStatus.RENDERING or volume.is_done:
                delete_files(storage, written)
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
            record_captures(volume, captured)
            run.volumes_done = run.parts.filter(finished_at__isnull=False).count()
            run.save(update_fields=["volumes_done"])
            if run.volumes_done == run.volumes_total:
                enqueue(FINISH_SNAPSHOT, run.pk)
        return volume
    except BaseException:
        delete_files(storage, written)
        raise
