"""Reminders of logins not handed over in time (Aktivitetsplan: after the start, the account's
username and password go to Informationsenheten for safekeeping).

The daily job mails the current plan's account owners and Informationsenheten about every
active channel whose plan was approved more than 14 days ago and whose login is not yet
with Informationsenheten: one mail per person per run, listing that person's channels.
Each reminded channel is written to the audit log, which also keeps a second run on the
same day (the Celery beat and the management command, say) from mailing anyone again.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.models import AuditLogEntry
from atvida_social.organisation.roles import Role
from channels.models import Channel

from .. import selectors

REMINDED = "credential_handover_reminded"


def _link(name: str, *args, query: str = "") -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args) + query


def _reminded_on(today: datetime.date) -> set[str]:
    """Ids of the channels already reminded of today."""
    return set(
        AuditLogEntry.objects.filter(
            action=REMINDED,
            content_type=ContentType.objects.get_for_model(Channel),
            details__on=today.isoformat(),
        ).values_list("object_id", flat=True)
    )


def _line(plan, *, owner: bool) -> str:
    approved_on = timezone.localdate(plan.status_changed_at).isoformat()
    if owner:
        where = _link("activityplans:credential-edit", plan.pk)
    else:
        where = _link("channels:channel-detail", plan.channel_id)
    return _("- %(channel)s, planen godkänd %(date)s: %(link)s") % {
        "channel": plan.channel,
        "date": approved_on,
        "link": where,
    }


def _message(person, plans: list, owned: set[int]) -> tuple[str, str, str, list[str]]:
    count = len(plans)
    subject = ngettext(
        "Påminnelse: inloggningsuppgifterna för %(channel)s har inte lämnats",
        "Påminnelse: inloggningsuppgifterna för %(count)d kanaler har inte lämnats",
        count,
    ) % {"channel": plans[0].channel, "count": count}
    lines = [
        _(
            "Inloggningsuppgifterna (användarnamn och lösenord) till ett kommunalt konto ska "
            "lämnas till informationsenheten senast %(days)d dagar efter att aktivitetsplanen "
            "godkändes. Det har inte skett för:"
        )
        % {"days": selectors.HANDOVER_DAYS},
        "",
        *(_line(plan, owner=plan.pk in owned) for plan in plans),
        "",
    ]
    if owned:
        lines.append(
            _("Du är kontoansvarig: lämna uppgifterna via länken ovan, så upphör påminnelserna.")
        )
    if len(owned) < count:
        lines.append(
            _("Alla kanaler som väntar på inloggningsuppgifter: %(link)s")
            % {"link": _link("channels:channel-list", query="?flag=inloggning-forsenad")}
        )
    body = "\n".join([*lines, "", settings.MUNICIPALITY_NAME])
    return subject, body, settings.DEFAULT_FROM_EMAIL, [person.email]


def remind_overdue_handovers(today: datetime.date | None = None) -> int:
    """Mail each person concerned once about the overdue logins; returns the mails sent."""
    today = today or timezone.localdate()
    reminded = _reminded_on(today)
    plans = [
        plan
        for plan in selectors.plans_with_overdue_login(today)
        if str(plan.channel_id) not in reminded
    ]
    if not plans:
        return 0
    information_unit = list(
        get_user_model().objects.filter(groups__name=Role.INFORMATION_UNIT, is_active=True)
    )
    people: dict[int, object] = {}
    concerns: dict[int, list] = {}
    owns: dict[int, set[int]] = {}
    for plan in plans:
        owners = list(plan.administrators.all())
        for person in [*owners, *information_unit]:
            if not (person.is_active and person.email):
                continue
            people.setdefault(person.pk, person)
            if plan not in concerns.setdefault(person.pk, []):
                concerns[person.pk].append(plan)
        for owner in owners:
            owns.setdefault(owner.pk, set()).add(plan.pk)
    messages = [_message(people[pk], concerns[pk], owns.get(pk, set())) for pk in sorted(people)]
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    with transaction.atomic():
        for plan in plans:
            record_audit(
                REMINDED,
                obj=plan.channel,
                details={
                    "on": today.isoformat(),
                    "plan": plan.pk,
                    "recipients": sum(plan in concerns[pk] for pk in concerns),
                },
            )
    return sent
