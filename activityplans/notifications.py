"""E-mail in Swedish, with a link, to whoever a plan's event concerns; one mail per person."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.roles import Role

from . import selectors
from .models import PlanNotification

SUBJECTS = {
    "to_sign": _("Aktivitetsplan väntar på din underskrift: %(plan)s"),
    "signed": _("Aktivitetsplan signerad och klar för granskning: %(plan)s"),
    "approved": _("Aktivitetsplanen är godkänd: %(plan)s"),
    "returned": _("Aktivitetsplanen är återremitterad: %(plan)s"),
    "rejected": _("Aktivitetsplanen är avslagen: %(plan)s"),
}

BODIES = {
    "to_sign": _(
        "Aktivitetsplanen för %(plan)s väntar på din underskrift. Läs planen och signera den "
        "med ditt lösenord:"
    ),
    "signed": _(
        "Alla har signerat aktivitetsplanen för %(plan)s. Den väntar nu på granskning av "
        "informationsenheten:"
    ),
    "approved": _("Informationsenheten har godkänt aktivitetsplanen för %(plan)s."),
    "returned": _(
        "Informationsenheten har återremitterat aktivitetsplanen för %(plan)s. Kommentar:"
    ),
    "rejected": _("Informationsenheten har avslagit aktivitetsplanen för %(plan)s. Skäl:"),
}


def recipients(plan, event: str) -> list:
    if event == "to_sign":
        people = selectors.missing_signers(plan)
    elif event == "signed":
        people = list(
            get_user_model().objects.filter(groups__name=Role.INFORMATION_UNIT, is_active=True)
        )
    else:
        people = [plan.prepared_by]
    unique = {person.pk: person for person in people if person.email}
    return list(unique.values())


def send_plan_notification(plan, event: str, *, delivery: str | None = None) -> int:
    """Mail everyone the event concerns; returns the number of mails sent. With `delivery`,
    the task's id, once per id: a second delivery of the task, after the first or at the
    same time, sends nothing (`PlanNotification`); a failed send keeps no receipt."""
    if delivery is None:
        return _send_plan_notification(plan, event)
    with transaction.atomic():
        try:
            with transaction.atomic():
                PlanNotification.objects.create(task_id=delivery, plan=plan, event=event)
        except IntegrityError:  # sent by this delivery before; a concurrent one waited for it
            return 0
        return _send_plan_notification(plan, event)


def _send_plan_notification(plan, event: str) -> int:
    link = settings.SITE_URL.rstrip("/") + reverse("activityplans:plan-detail", args=[plan.pk])
    name = str(plan)
    note = ""
    if event in {"returned", "rejected"}:
        last = plan.events.order_by("-at", "-pk").first()
        note = f"\n\n{last.note}" if last else ""
    body = f"{BODIES[event] % {'plan': name}}{note}\n\n{link}\n\n{settings.MUNICIPALITY_NAME}"
    subject = SUBJECTS[event] % {"plan": name}
    messages = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
        for person in recipients(plan, event)
    ]
    return send_mass_mail(messages, fail_silently=False)
