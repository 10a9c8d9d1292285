"""Mail to Informationsenheten when an archived file is found changed or missing."""

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from atvida_social.organisation.roles import Role

from .models import ArchiveFile, IntegrityCheck, ProblemMail, Verification


def _information_unit_addresses() -> list[str]:
    people = (
        get_user_model()
        .objects.filter(groups__name=Role.INFORMATION_UNIT, is_active=True)
        .exclude(email="")
    )
    return sorted(set(people.values_list("email", flat=True)))


def describe_file(archive_file: ArchiveFile) -> str:
    """What the file is, in words: a snapshot's volume, a register version or a plan."""
    if archive_file.snapshot_id:
        snapshot = archive_file.snapshot
        return _("%(file)s (ögonblicksbild av %(channel)s, %(start)s–%(end)s)") % {
            "file": archive_file.filename,
            "channel": snapshot.channel,
            "start": f"{snapshot.period_start:%Y-%m-%d}",
            "end": f"{snapshot.period_end:%Y-%m-%d}",
        }
    if archive_file.register_version_id:
        return _("%(file)s (kanalregistret, version %(number)s)") % {
            "file": archive_file.filename,
            "number": archive_file.register_version.number,
        }
    if archive_file.diarium_item_id:
        return _("%(file)s (diarieexemplar)") % {"file": archive_file.filename}
    return _("%(file)s (aktivitetsplan för %(plan)s)") % {
        "file": archive_file.filename,
        "plan": archive_file.plan,
    }


def _line(verification: Verification) -> str:
    return f"- {describe_file(verification.file)}: {verification.get_result_display()}"


def _send(subject: str, lines: list[str]) -> int:
    link = settings.SITE_URL.rstrip("/") + reverse("archiving:check-list")
    body = "\n".join(
        [
            _(
                "Kontrollen av arkivet har hittat filer som inte längre stämmer med den "
                "kontrollsumma (SHA-256) som sparades när de arkiverades:"
            ),
            "",
            *lines,
            "",
            _("Ta fram filen ur säkerhetskopian och kontrollera den igen. Kontrollerna finns här:"),
            link,
            "",
            settings.MUNICIPALITY_NAME,
        ]
    )
    messages = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        for address in _information_unit_addresses()
    ]
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def _once(send, **subject) -> int:
    """Send once per subject (a check or a verification): the receipt is written in the
    sending transaction, so a second delivery of the task, after the first or waiting for it,
    sends nothing, and a failed send keeps no receipt for its retry to find."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProblemMail.objects.create(**subject)
        except IntegrityError:
            return 0
        return send()


def send_check_problems(check: IntegrityCheck) -> int:
    """One mail per member of Informationsenheten listing the check's problems, once."""
    return _once(partial(_send_check_problems, check), check_run=check)


def send_verification_problem(verification: Verification) -> int:
    """One mail per member of Informationsenheten about a file found changed, once."""
    return _once(partial(_send_verification_problem, verification), verification=verification)


def _send_check_problems(check: IntegrityCheck) -> int:
    problems = (
        check.verifications.exclude(result="ok")
        .select_related("file__snapshot__channel", "file__register_version", "file__plan")
        .order_by("pk")
    )
    lines = [_line(verification) for verification in problems]
    if not lines:
        return 0
    subject = _("Arkivet: %(count)d filer är ändrade eller saknas") % {"count": len(lines)}
    return _send(subject, lines)


def _send_verification_problem(verification: Verification) -> int:
    subject = _("Arkivet: en fil är ändrad eller saknas")
    return _send(subject, [_line(verification)])
