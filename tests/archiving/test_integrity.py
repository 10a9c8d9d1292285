"""The archive's proof of integrity: a file's SHA-256 recomputed through the storage and
compared with the one recorded when it was written; a change of one byte or a missing file
is found, recorded and mailed to Informationsenheten."""

from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from archiving import services, tasks
from archiving.models import ArchiveFile, IntegrityCheck, Verification, VerificationResult
from archiving.services import integrity
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.models import AuditLogEntry

from .conftest import make_file, make_snapshot, pdf_bytes

pytestmark = pytest.mark.django_db


def change_one_byte(archive_file: ArchiveFile) -> None:
    path = Path(archive_file.file.storage.path(archive_file.file.name))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def remove(archive_file: ArchiveFile) -> None:
    archive_file.file.storage.delete(archive_file.file.name)


def test_an_unchanged_file_verifies_as_unchanged(pdf, ingrid):
    verification = services.verify_file(pdf, by=ingrid)

    assert verification.result == VerificationResult.OK
    assert verification.found_sha256 == pdf.sha256
    assert verification.checked_by == ingrid


def test_a_file_changed_by_one_byte_is_found(pdf, arne):
    change_one_byte(pdf)

    verification = services.verify_file(pdf, by=arne)

    assert verification.result == VerificationResult.MISMATCH
    assert verification.found_sha256 not in ("", pdf.sha256)


def test_a_missing_file_is_found(pdf, ingrid):
    remove(pdf)

    verification = services.verify_file(pdf, by=ingrid)

    assert verification.result == VerificationResult.MISSING
    assert verification.found_sha256 == ""


def test_a_file_is_read_in_chunks_and_still_hashed_whole(snapshot, ingrid, monkeypatch):
    monkeypatch.setattr(integrity, "CHUNK_SIZE", 7)
    big = make_file(pdf_bytes("x" * 1000), "stor.pdf", snapshot=snapshot, role="pdf", volume=9)

    assert services.verify_file(big, by=ingrid).result == VerificationResult.OK


def test_verifying_on_request_is_audited(pdf, arne):
    services.verify_file(pdf, by=arne)

    entry = AuditLogEntry.objects.get(action="archive_file_verified")
    assert (entry.actor, entry.object_id, entry.details["result"]) == (arne, str(pdf.pk), "ok")


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_only_those_who_see_the_archive_may_verify(request, pdf, who):
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDeniedError):
        services.verify_file(pdf, by=user)
    assert not Verification.objects.exists()


def test_a_problem_found_on_request_is_mailed_to_informationsenheten(
    pdf, ingrid, arne, django_capture_on_commit_callbacks
):
    change_one_byte(pdf)

    with django_capture_on_commit_callbacks(execute=True):
        services.verify_file(pdf, by=arne)

    assert [message.to for message in mail.outbox] == [[ingrid.email]]
    assert pdf.filename in mail.outbox[0].body


def test_the_check_finds_a_changed_and_a_missing_file_among_unchanged_ones(channel, ingrid):
    snapshot = make_snapshot(channel, volumes=2)
    changed, missing = snapshot.files.filter(role="pdf").order_by("volume")
    change_one_byte(changed)
    remove(missing)

    check = services.check_archive()

    assert (check.files_checked, check.problems) == (5, 2)
    assert check.finished_at is not None
    results = dict(check.verifications.values_list("file_id", "result"))
    assert results[changed.pk] == VerificationResult.MISMATCH
    assert results[missing.pk] == VerificationResult.MISSING
    assert sorted(results.values()).count(VerificationResult.OK) == 3


def test_the_check_mails_its_problems_to_informationsenheten_only(
    pdf, ingrid, arne, alice, django_capture_on_commit_callbacks
):
    change_one_byte(pdf)

    with django_capture_on_commit_callbacks(execute=True):
        services.check_archive()

    assert [message.to for message in mail.outbox] == [[ingrid.email]]
    body = mail.outbox[0].body
    assert pdf.filename in body
    assert "Ändrad" in body
    assert "/arkiv/kontroller/" in body


def test_a_clean_check_mails_nobody(snapshot, ingrid, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        check = services.check_archive()

    assert check.problems == 0
    assert mail.outbox == []


def test_an_interrupted_check_carries_on_with_the_files_it_has_not_reached(snapshot, pdf):
    check = IntegrityCheck.objects.create()
    Verification.objects.create(file=pdf, check_run=check, result=VerificationResult.OK)

    services.check_archive(check=check)

    assert check.verifications.count() == snapshot.files.count()
    assert check.verifications.filter(file=pdf).count() == 1
    check.refresh_from_db()
    assert check.files_checked == snapshot.files.count()


def test_a_finished_check_run_again_changes_nothing(snapshot):
    check = services.check_archive()
    count = Verification.objects.count()

    services.check_archive(check=check)

    assert Verification.objects.count() == count


def test_the_monthly_task_takes_no_arguments_and_checks_everything(snapshot):
    problems = tasks.check_archive_integrity()

    assert problems == 0
    assert IntegrityCheck.objects.get().files_checked == snapshot.files.count()


def test_the_command_reports_the_counts_and_fails_on_a_problem(snapshot, pdf):
    out = StringIO()
    call_command("check_archive", stdout=out)
    assert "Kontrollerade filer: 3. Avvikelser: 0." in out.getvalue()

    remove(pdf)
    with pytest.raises(CommandError, match="Avvikelser"):
        call_command("check_archive", stdout=StringIO())


def test_informationsenheten_starts_a_check_that_runs_as_a_task(
    snapshot, ingrid, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        check = services.start_archive_check(by=ingrid)

    check.refresh_from_db()
    assert check.requested_by == ingrid
    assert check.files_checked == snapshot.files.count()
    assert check.finished_at is not None


def test_the_archivist_may_not_start_a_check_of_the_whole_archive(snapshot, arne):
    with pytest.raises(PermissionDeniedError):
        services.start_archive_check(by=arne)
    with pytest.raises(PermissionDeniedError):
        services.check_archive(by=arne)
    assert not IntegrityCheck.objects.exists()
