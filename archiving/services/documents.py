"""Each published register version and each approved activity plan is kept in the archive as
PDF/A too (Arkivering), once, with its SHA-256, beside the snapshots; and so is the diarium's
copy of each item registered or marked secret ("registreras i förvaltningens diarium"), once
per decision."""

import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from activityplans.models import ActivityPlan
from activityplans.pdf import is_stored_as_signed, plan_pdf, sha256
from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.pdf import count_pages
from atvida_social.outbox.services import enqueue
from channels.models import RegisterVersion
from moderation.models import Decision
from moderation.workflow import DecisionKind

from .. import rendering
from ..exceptions import ArchiveFileMismatch
from ..models import ArchiveFile, FileRole

logger = logging.getLogger(__name__)


def _store_document(data: bytes, *, filename: str, pages: int | None, **owner) -> ArchiveFile:
    """Store one document and record it; the one already recorded for its owner if a second
    delivery of the task got here first (its own copy is then removed)."""
    archived = ArchiveFile(
        role=FileRole.PDF,
        filename=filename,
        sha256=sha256(data),
        size=len(data),
        pages=pages,
        **owner,
    )
    archived.file.save(filename, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            archived.save()
    except IntegrityError:
        archived.file.storage.delete(archived.file.name)
        return ArchiveFile.objects.get(**owner)
    except BaseException:
        archived.file.storage.delete(archived.file.name)
        raise
    record_audit(
        "document_archived",
        obj=archived,
        details={"filename": filename, "sha256": archived.sha256, **_owner_ids(owner)},
    )
    return archived


def _owner_ids(owner: dict) -> dict:
    return {
        key if isinstance(value, int) else f"{key}_id": getattr(value, "pk", value)
        for key, value in owner.items()
    }


def request_register_version_archiving(version) -> None:
    """Have the published version archived once its publication commits."""
    enqueue("archiving.tasks.archive_register_version", version.pk)


def request_plan_archiving(plan) -> None:
    """Have the approved plan archived once its approval commits."""
    enqueue("archiving.tasks.archive_plan", plan.pk)


def archive_register_version(version_id: int) -> ArchiveFile:
    """The published register version as a PDF/A of its own."""
    version = RegisterVersion.objects.select_related("published_by").get(pk=version_id)
    existing = ArchiveFile.objects.filter(register_version=version).first()
    if existing is not None:
        return existing
    data, pages = rendering.register_version_pdf(version)
    return _store_document(
        data,
        filename=f"kanalregistret-version-{version.number:04d}.pdf",
        pages=pages,
        register_version=version,
    )


def archive_plan(plan_id: int) -> ArchiveFile | None:
    """The approved plan's PDF as it was signed (PDF/A, see activityplans/pdf.py), checked
    against the SHA-256 stored at approval; None for a plan that was never approved."""
    plan = ActivityPlan.objects.get(pk=plan_id)
    existing = ArchiveFile.objects.filter(plan=plan).first()
    if existing is not None:
        return existing
    if not is_stored_as_signed(plan):
        return None
    data = plan_pdf(plan)
    if sha256(data) != plan.approved_pdf_sha256:
        raise ArchiveFileMismatch
    return _store_document(
        data,
        filename=f"aktivitetsplan-{plan.pk}-revision-{plan.revision}.pdf",
        pages=count_pages(data),
        plan=plan,
    )


# Decisions that register an item in the diarium.
REGISTERING = frozenset({DecisionKind.REGISTER, DecisionKind.SECRECY})


def request_diarium_copy(decision) -> None:
    """Have the diarium's copy of the registered item made once the decision commits."""
    enqueue("archiving.tasks.archive_diarium_copy", decision.pk)


def archive_diarium_copy(decision_id: int) -> ArchiveFile | None:
    """The diarium's copy (PDF/A) of the item a decision registered or marked secret, with
    its thread, its decisions and its metadata; once per decision. None for a decision that
    registers nothing."""
    existing = ArchiveFile.objects.filter(diarium_decision_id=decision_id).first()
    if existing is not None:
        return existing
    decision = Decision.objects.select_related("actor", "item__channel__unit__administration").get(
        pk=decision_id
    )
    if decision.kind not in REGISTERING:
        return None
    data, pages = rendering.diarium_copy_pdf(decision)
    return _store_document(
        data,
        filename=rendering.diarium_filename(decision),
        pages=pages,
        diarium_decision_id=decision.pk,
        diarium_item_id=decision.item_id,
    )
