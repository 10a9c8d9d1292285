"""The mail to Informationsenheten when a background job fails, in Swedish."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.roles import Role


def information_unit_addresses() -> list[str]:
    people = get_user_model().objects.filter(groups__name=Role.INFORMATION_UNIT, is_active=True)
    return sorted({address for address in people.values_list("email", flat=True) if address})


def _job_name(task_name: str) -> str:
    """The name Informationsenheten knows the job by in the schedule, or the task's own."""
    from django_celery_beat.models import PeriodicTask

    names = PeriodicTask.objects.filter(task=task_name).values_list("name", flat=True)
    return ", ".join(sorted(names)) or task_name


def send_task_failure(task_name: str, task_id: str, error: BaseException | None) -> int:
    """One mail to each member of Informationsenheten; returns how many were sent."""
    addresses = information_unit_addresses()
    if not addresses:
        return 0
    job = _job_name(task_name)
    when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    schedule = settings.SITE_URL.rstrip("/") + reverse(
        "admin:django_celery_beat_periodictask_changelist"
    )
    error_text = f"{type(error).__name__}: {error}" if error is not None else _("okänt fel")
    # One line: a header may not hold a line break (a job's name is typed in the admin).
    subject = _("Ett bakgrundsjobb misslyckades: %(job)s") % {"job": " ".join(job.split())}
    body = _(
        "Bakgrundsjobbet %(job)s misslyckades %(when)s och försöks inte igen.\n\n"
        "Uppgift: %(task)s\n"
        "Id: %(id)s\n"
        "Fel: %(error)s\n\n"
        "Mer finns i arbetarens logg. Schemat, där jobbet kan köras igen, finns här:\n"
        "%(link)s\n\n"
        "%(municipality)s"
    ) % {
        "job": job,
        "when": when,
        "task": task_name,
        "id": task_id,
        "error": error_text[:2000],
        "link": schedule,
        "municipality": settings.MUNICIPALITY_NAME,
    }
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
    return send_mass_mail(messages, fail_silently=False)
