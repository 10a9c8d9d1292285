"""Proof that the archive is whole and unchanged: each file's SHA-256 recomputed and compared
with the one recorded when it was written (Arkivering).

A file is read through its storage in chunks, so a large volume never sits in memory, and
the monthly check walks the files with an iterator. Each file's verification is its own
small transaction: a check stopped halfway keeps what it found, and its next run (a retry
of the same check) verifies only the files it has not reached yet. A changed or missing
file is mailed to Informationsenheten through the outbox, after the result is stored.
"""

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError

from .. import selectors
from ..models import ArchiveFile, IntegrityCheck, Verification, VerificationResult

CHUNK_SIZE = 1024 * 1024  # 1 MiB: few reads per volume, little memory


def file_sha256(archive_file: ArchiveFile) -> str | None:
    """The SHA-256 of the stored bytes as they are now, or None when the file is gone."""
    storage, name = archive_file.file.storage, archive_file.file.name
    if not name or not storage.exists(name):
        return None
    digest = hashlib.sha256()
    try:
        with storage.open(name, "rb") as handle:
            while chunk := handle.read(CHUNK_SIZE):
                digest.update(chunk)
    except FileNotFoundError:
        return None  # removed between the two calls
    return digest.hexdigest()


def _verify(archive_file: ArchiveFile, *, by, check_run: IntegrityCheck | None) -> Verification:
    found = file_sha256(archive_file)
    if found is None:
        result = VerificationResult.MISSING
    elif found == archive_file.sha256:
        result = VerificationResult.OK
    else:
        result = VerificationResult.MISMATCH
    return Verification.objects.create(
        file=archive_file,
        check_run=check_run,
        checked_by=by if getattr(by, "is_authenticated", False) else None,
        result=result,
        found_sha256=found or "",
    )


def verify_file(archive_file: ArchiveFile, *, by) -> Verification:
    """Recompute one file's SHA-256 on request; whoever may see the archive may ask."""
    if not selectors.may_verify(by):
        raise PermissionDeniedError(_("Bara informationsenheten och arkivarien kan kontrollera."))
    with transaction.atomic():
        verification = _verify(archive_file, by=by, check_run=None)
        record_audit(
            "archive_file_verified",
            by=by,
            obj=archive_file,
            details={"result": verification.result, "found_sha256": verification.found_sha256},
        )
        if verification.result != VerificationResult.OK:
            _mail_later("archiving.tasks.mail_verification_problem", verification.pk)
    return verification


def start_archive_check(*, by) -> IntegrityCheck:
    """Informationsenheten starts a check of the whole archive now; it runs as a task."""
    if not selectors.may_check_archive(by):
        raise PermissionDeniedError(_("Bara informationsenheten kan kontrollera hela arkivet."))
    from atvida_social.outbox.services import enqueue

    with transaction.atomic():
        check = IntegrityCheck.objects.create(requested_by=by)
        record_audit("archive_check_requested", by=by, obj=check)
        enqueue("archiving.tasks.check_archive_integrity", check.pk)
    return check


def check_archive(*, by=None, check: IntegrityCheck | None = None) -> IntegrityCheck:
    """Verify every archived file, one Verification each, and record the counts.

    Without `check` a new run is made (the monthly schedule, the `check_archive` command);
    with one, that run is carried on: a finished run is left as it is, an interrupted one
    verifies only the files it has not reached yet. The problems found are mailed in one
    message, queued when the run is recorded as finished.
    """
    if by is not None and not selectors.may_check_archive(by):
        raise PermissionDeniedError(_("Bara informationsenheten kan kontrollera hela arkivet."))
    if check is None:
        check = IntegrityCheck.objects.create(requested_by=by)
    elif check.finished_at is not None:
        return check
    pending = (
        ArchiveFile.objects.exclude(verifications__check_run=check)
        .only("pk", "file", "sha256")
        .order_by("pk")
    )
    for archive_file in pending.iterator(chunk_size=200):
        with transaction.atomic():
            # Under the run's row lock: a second delivery of the same run, at the same time,
            # waits and then finds the file verified, instead of verifying it twice.
            IntegrityCheck.objects.select_for_update().filter(pk=check.pk).exists()
            if Verification.objects.filter(check_run=check, file_id=archive_file.pk).exists():
                continue
            _verify(archive_file, by=None, check_run=check)
    with transaction.atomic():
        check = IntegrityCheck.objects.select_for_update().get(pk=check.pk)
        if check.finished_at is not None:
            return check  # another delivery of the same task finished it meanwhile
        found = Verification.objects.filter(check_run=check)
        check.files_checked = found.count()
        check.problems = found.exclude(result=VerificationResult.OK).count()
        check.finished_at = timezone.now()
        check.save(update_fields=["files_checked", "problems", "finished_at"])
        record_audit(
            "archive_checked",
            by=check.requested_by,
            obj=check,
            details={"files_checked": check.files_checked, "problems": check.problems},
        )
        if check.problems:
            _mail_later("archiving.tasks.mail_check_problems", check.pk)
    return check


def _mail_later(task_name: str, *args) -> None:
    from atvida_social.outbox.services import enqueue

    enqueue(task_name, *args)
