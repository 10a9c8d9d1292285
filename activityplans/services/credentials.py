"""Safekeeping of account logins (Aktivitetsplan: inloggningsuppgifter till informationsenheten)."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.encryption import EncryptedTextField
from atvida_social.organisation.exceptions import IncorrectPassword, PermissionDeniedError
from atvida_social.organisation.reauth import confirm_password
from atvida_social.organisation.roles import Role, is_information_unit

from .. import selectors
from ..exceptions import TransitionNotAllowed
from ..models import ActivityPlan, Credential
from ..workflow import PlanStatus

NOTICE_DAYS_BEFORE = 14
# The encrypted fields: a page or query that does not show them defers them, so that nothing
# is decrypted that no one asked to see.
SECRET_FIELDS = tuple(
    field.name
    for field in Credential._meta.concrete_fields
    if isinstance(field, EncryptedTextField)
)


@sensitive_variables("username", "password", "recovery_notes")
@transaction.atomic
def save_credential(
    plan: ActivityPlan,
    *,
    by,
    username: str,
    password: str,
    recovery_notes: str = "",
    expires_on: datetime.date | None = None,
) -> Credential:
    # The account owners of the channel's plan in force hand its login over: someone removed
    # in a later revision is refused at once, under any revision.
    current = selectors.current_plan(plan.channel) if plan.channel_id else None
    owners = (current or plan).administrators.all()
    if not any(owner.pk == by.pk for owner in owners):
        raise PermissionDeniedError
    if current is None or current.pk != plan.pk:
        raise TransitionNotAllowed(
            _("Inloggningsuppgifter lämnas under kanalens gällande, godkända plan.")
        )
    # The old secrets are replaced unread: a login that no configured key decrypts any more
    # (a lost key) can still be handed over anew.
    credential, created = Credential.objects.defer(*SECRET_FIELDS).update_or_create(
        channel=plan.channel,
        defaults={
            "plan": plan,
            "username": username,
            "password": password,
            "recovery_notes": recovery_notes,
            "expires_on": expires_on,
            "entered_by": by,
        },
    )
    record_audit(
        "credential_saved" if created else "credential_replaced",
        by=by,
        obj=credential,
        details={"expires_on": expires_on.isoformat() if expires_on else None},
    )
    return credential


@sensitive_variables("password")
def reveal_credential(
    credential: Credential, *, by, reason: str, password: str, request=None
) -> Credential:
    """Only Informationsenheten, one at a time, with a reason that goes to the audit log and
    the password asked again (a session left open must not be enough).

    Returns the credential with its secrets decrypted; nothing is decrypted before that.
    """
    if not is_information_unit(by):
        raise PermissionDeniedError
    if not reason.strip():
        raise TransitionNotAllowed(_("Ange varför du behöver se inloggningsuppgifterna."))
    details = {"reason": reason[:1000]}
    # No transaction around this: a wrong password must stay counted towards the lockout.
    try:
        confirm_password(by, password, request=request)
    except IncorrectPassword:
        record_audit("credential_reveal_failed", by=by, obj=credential, details=details)
        raise
    record_audit("credential_revealed", by=by, obj=credential, details=details)
    return Credential.objects.select_related("channel").get(pk=credential.pk)


def expiring_credentials(today: datetime.date):
    days = [today, today + datetime.timedelta(days=NOTICE_DAYS_BEFORE)]
    # The reminder goes to the administrators of the plan in force now, not of the plan the
    # login was handed over under.
    current = Prefetch(
        "channel__activity_plans",
        queryset=ActivityPlan.objects.filter(status=PlanStatus.APPROVED).prefetch_related(
            "administrators"
        ),
        to_attr="current_plans",
    )
    return (
        Credential.objects.filter(expires_on__in=days)
        .select_related("channel")
        .defer("username", "password", "recovery_notes")
        .prefetch_related(current)
    )


def notify_expiring_credentials(today: datetime.date | None = None) -> int:
    """Mail the account owners and Informationsenheten two weeks before expiry and on the day."""
    today = today or timezone.localdate()
    information_unit = list(
        get_user_model().objects.filter(groups__name=Role.INFORMATION_UNIT, is_active=True)
    )
    messages = []
    for credential in expiring_credentials(today):
        plan = next(iter(credential.channel.current_plans), None)
        owners = list(plan.administrators.all()) if plan else []
        people = {u.pk: u for u in [*owners, *information_unit]}
        when = (
            _("i dag")
            if credential.expires_on == today
            else _("om två veckor (%(date)s)") % {"date": credential.expires_on.isoformat()}
        )
        subject = _("Åtkomsten till %(channel)s löper ut %(when)s") % {
            "channel": credential.channel,
            "when": when,
        }
        link = settings.SITE_URL.rstrip("/") + reverse(
            "activityplans:credential-edit", args=[plan.pk if plan else credential.plan_id]
        )
        body = _(
            "Åtkomsten till kontot %(channel)s löper ut %(when)s. Förnya åtkomsten på "
            "plattformen och lämna de nya uppgifterna till informationsenheten:\n\n%(link)s"
        ) % {"channel": credential.channel, "when": when, "link": link}
        messages.extend(
            (subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
            for person in people.values()
            if person.email and person.is_active
        )
    return send_mass_mail(messages, fail_silently=False) if messages else 0
