"""Every write to an activity plan: one function per step of the workflow (Bilaga 2).

Every rule of the guidelines that a plan must meet is checked here, so that the form, the
admin, a command or a later API meet the same refusal with the same Swedish message.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import IncorrectPassword, PermissionDeniedError
from atvida_social.organisation.reauth import confirm_password
from atvida_social.organisation.roles import Role, has_role, is_information_unit
from atvida_social.organisation.validators import is_municipal_email, is_swedish_phone
from channels import services as channel_services
from channels.models import Channel

from .. import pdf, selectors, signals
from ..exceptions import NotASigner, TransitionNotAllowed, WrongPassword
from ..models import (
    REQUIRED_ANSWERS,
    UNSIGNED_FIELDS,
    ActivityPlan,
    GraphicProfile,
    MonitoringFrequency,
    PlanEvent,
    Signature,
)
from ..workflow import OPEN, TRANSITIONS, PlanStatus


def _transition(plan: ActivityPlan, to: str, *, by, note: str = "") -> ActivityPlan:
    """The one place a plan changes state: checks the table, locks the row, logs the move."""
    locked = ActivityPlan.objects.select_for_update().get(pk=plan.pk)
    # "Not yours to do" before "not in this state": whoever may not make this move from the
    # plan's state, nor could make it from any state, learns nothing about the state.
    actor = TRANSITIONS.get((locked.status, to))
    actors = {actor} if actor else {a for (_from, target), a in TRANSITIONS.items() if target == to}
    if not any(selectors.may_take(by, locked, who) for who in actors):
        raise PermissionDeniedError
    if actor is None:
        raise TransitionNotAllowed(
            _("Planen är %(current)s och kan inte bli %(target)s.")
            % {
                "current": PlanStatus(locked.status).label.lower(),
                "target": PlanStatus(to).label.lower(),
            }
        )
    content_hash = locked.content_hash()
    before = locked.status
    PlanEvent.objects.create(
        plan=locked,
        from_status=before,
        to_status=to,
        actor=by,
        note=note,
        content_hash=content_hash,
    )
    plan.status = locked.status = to
    plan.status_changed_at = locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_changed_at"])
    record_audit(
        "plan_status_changed",
        by=by,
        obj=plan,
        details={"from": before, "to": to, "content_hash": content_hash, "note": note[:500]},
    )
    return plan


# --- The rules a plan must meet (Bilaga 2; Roller och ansvar) --------------------------


def _contact_problems(users, label: str) -> list[str]:
    problems = []
    for user in users:
        if not is_swedish_phone(user.phone):
            problems.append(
                _("%(role)s %(name)s saknar ett giltigt svenskt telefonnummer i sin profil.")
                % {"role": label, "name": user}
            )
        if not is_municipal_email(user.email):
            problems.append(
                _("%(role)s %(name)s saknar en e-postadress på kommunens domän i sin profil.")
                % {"role": label, "name": user}
            )
    return problems


def _staff_problems(users, plan, label: str) -> list[str]:
    """Who runs the account works in the plan's unit, or at Informationsenheten."""
    return [
        _("%(role)s %(name)s arbetar inte i %(unit)s eller på informationsenheten.")
        % {"role": label, "name": user, "unit": plan.unit}
        for user in users
        if not user.is_active
        or not (user.unit_id == plan.unit_id or has_role(user, Role.INFORMATION_UNIT))
    ]


def people_problems(plan, administrators, daily_operators) -> dict[str, list[str]]:
    """The rules on who runs the account (Vem ska administrera kontot? Daglig drift)."""
    errors: dict[str, list[str]] = {}
    if not administrators:
        errors["administrators"] = [_("Ange minst en administratör.")]
    elif len(administrators) < 2 and not plan.is_administration_head_blog:
        errors["administrators"] = [
            _(
                "Minst två administratörer behövs för alla konton "
                "(gäller ej förvaltningschefers bloggar)."
            )
        ]
    if plan.unit_id:
        admin_staff = _staff_problems(administrators, plan, _("Administratören"))
        operator_staff = _staff_problems(daily_operators, plan, _("Personen för daglig drift"))
    else:
        admin_staff = operator_staff = []
    admin_problems = admin_staff + _contact_problems(administrators, _("Administratören"))
    if admin_problems:
        errors.setdefault("administrators", []).extend(admin_problems)
    if not daily_operators:
        errors["daily_operators"] = [_("Ange minst en person för den dagliga driften.")]
    operator_problems = operator_staff + _contact_problems(
        daily_operators, _("Personen för daglig drift")
    )
    if operator_problems:
        errors.setdefault("daily_operators", []).extend(operator_problems)
    return errors


def may_be_manager(user, plan) -> bool:
    """The responsible manager holds Ansvarig chef in the plan's unit, or heads its
    administration (a förvaltningschef signs for the administration's units)."""
    if user is None or not user.is_active or not has_role(user, Role.MANAGER):
        return False
    if not plan.unit_id:
        return False
    return user.unit_id == plan.unit_id or plan.unit.administration.head_id == user.pk


# The frequencies whose days follow from the choice itself: no weekdays are named.
EVERY_DAY_OR_WORKING_DAY = (
    MonitoringFrequency.SEVERAL_A_DAY,
    MonitoringFrequency.DAILY,
    MonitoringFrequency.WORKING_DAYS,
)


def monitoring_problems(plan) -> dict[str, list[str]]:
    """The structured monitoring must say one thing: how often, on which days, at which
    hours; never less often than weekly (Bilaga 1: supervision at least once a week)."""
    errors: dict[str, list[str]] = {}
    frequency = plan.monitoring_frequency
    times = plan.monitoring_times_per_week
    days = plan.monitoring_weekdays or ""
    if frequency not in MonitoringFrequency.values:
        errors["monitoring_frequency"] = [_("Välj hur ofta kontot bevakas.")]
        return errors
    if frequency == MonitoringFrequency.TIMES_A_WEEK:
        if times is None or not 2 <= times <= 6:
            errors["monitoring_times_per_week"] = [
                _("Ange hur många gånger i veckan kontot bevakas, 2–6.")
            ]
    elif times is not None:
        errors["monitoring_times_per_week"] = [
            _("Antal gånger i veckan anges bara om kontot bevakas några gånger i veckan.")
        ]
    if any(day not in "1234567" for day in days) or len(set(days)) != len(days):
        errors["monitoring_weekdays"] = [_("Välj veckodagar från måndag till söndag.")]
    elif frequency in EVERY_DAY_OR_WORKING_DAY and days:
        errors["monitoring_weekdays"] = [
            _("Dagarna följer av valet ”%(frequency)s”; välj inga veckodagar.")
            % {"frequency": MonitoringFrequency(frequency).label.lower()}
        ]
    elif frequency == MonitoringFrequency.WEEKLY and len(days) > 1:
        errors["monitoring_weekdays"] = [_("Välj högst en dag för bevakning en gång i veckan.")]
    elif frequency == MonitoringFrequency.TIMES_A_WEEK and days and times and len(days) != times:
        errors["monitoring_weekdays"] = [
            _("Välj lika många dagar som antalet gånger i veckan (%(times)s).") % {"times": times}
        ]
    starts, ends = plan.monitoring_from, plan.monitoring_until
    if frequency == MonitoringFrequency.SEVERAL_A_DAY and starts is None and ends is None:
        # The interval is counted in these hours (moderation.deadlines.ReviewInterval).
        errors["monitoring_from"] = [
            _("Ange under vilka tider kontot bevakas flera gånger om dagen.")
        ]
    elif (starts is None) != (ends is None):
        errors["monitoring_until"] = [_("Ange både när bevakningen börjar och när den slutar.")]
    elif starts is not None and starts >= ends:
        errors["monitoring_until"] = [_("Bevakningen ska sluta senare än den börjar.")]
    return errors


def answer_problems(plan) -> dict[str, list[str]]:
    """Each answer Bilaga 2 and "Tänk igenom …" ask for is required on its own: an answer of
    nothing but spaces or line breaks is no answer. (An empty one is the field's own error;
    the confirmations are the model's `clean`.)"""
    errors: dict[str, list[str]] = {}
    for name in REQUIRED_ANSWERS:
        value = getattr(plan, name)
        if isinstance(value, str) and value and not value.strip():
            errors[name] = [ActivityPlan._meta.get_field(name).error_messages["blank"]]
    return errors


def plan_rule_errors(plan: ActivityPlan, administrators, daily_operators) -> dict[str, list]:
    """Every rule beyond the fields' own validation, as {field: [Swedish messages]}."""
    errors = people_problems(plan, administrators, daily_operators)
    for field, messages in answer_problems(plan).items():
        errors.setdefault(field, []).extend(messages)
    for field, messages in monitoring_problems(plan).items():
        errors.setdefault(field, []).extend(messages)
    if plan.manager_id and not may_be_manager(plan.manager, plan):
        errors.setdefault("manager", []).append(
            _("Ansvarig chef ska ha rollen Ansvarig chef i verksamheten eller leda förvaltningen.")
        )
    if plan.platform and plan.url:
        taken = Channel.objects.filter(platform=plan.platform, url=plan.url)
        if plan.channel_id:
            taken = taken.exclude(pk=plan.channel_id)
        if taken.exists():
            errors.setdefault("url", []).append(
                _(
                    "Kanalen finns redan i registret. Ändra den genom en ny revision av "
                    "kanalens aktivitetsplan."
                )
            )
    return errors


def _validate(plan: ActivityPlan, administrators, daily_operators) -> None:
    errors: dict[str, list] = {}
    try:
        plan.full_clean()
    except ValidationError as error:
        errors = {field: list(messages) for field, messages in error.message_dict.items()}
    for field, messages in plan_rule_errors(plan, administrators, daily_operators).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


# --- The workflow -----------------------------------------------------------------------


@transaction.atomic
def save_plan(plan: ActivityPlan, *, by, administrators, daily_operators) -> int:
    """Create or edit a plan; returns how many signatures the edit voided.

    Permission is decided on the stored row, before anything the caller changed counts:
    only Informationsenheten moves a plan to another unit.
    """
    administrators, daily_operators = list(administrators), list(daily_operators)
    adding = plan._state.adding
    if adding:
        if not selectors.may_act_for_unit(by, plan.unit_id):
            raise PermissionDeniedError
        plan.status = PlanStatus.DRAFT
        plan.prepared_by = by
        stored = None
    else:
        stored = ActivityPlan.objects.select_for_update().get(pk=plan.pk)
        if not selectors.may_act_for_unit(by, stored.unit_id):
            raise PermissionDeniedError
        if plan.unit_id != stored.unit_id and not is_information_unit(by):
            raise PermissionDeniedError(_("Bara informationsenheten kan flytta en plan."))
        if not stored.is_editable:
            raise TransitionNotAllowed(_("Planen kan inte ändras i det här läget."))
        # The workflow's own fields and the author are never the editor's to change.
        for name in UNSIGNED_FIELDS - {"id"}:
            setattr(plan, name, getattr(stored, name))
        plan.prepared_by_id = stored.prepared_by_id
    _validate(plan, administrators, daily_operators)
    signed_before = [] if adding else selectors.valid_signatures(stored)
    hash_before = None if adding else stored.content_hash()
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as error:
        # Two people saving at once: the database's one-open-plan rule decides, and the loser
        # reads the constraint's own message, as one who came second would.
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("Det finns redan en pågående aktivitetsplan för den här kanalen.")
                ]
            }
        ) from error
    plan.administrators.set(administrators)
    plan.daily_operators.set(daily_operators)
    content_hash = plan.content_hash()
    voided = len(signed_before) if signed_before and hash_before != content_hash else 0
    record_audit(
        "plan_created" if adding else "plan_changed",
        by=by,
        obj=plan,
        details={
            "status": plan.status,
            "content_hash_before": hash_before,
            "content_hash": content_hash,
            "voided_signatures": voided,
        },
    )
    if voided and plan.status == PlanStatus.AWAITING_SIGNATURES:
        _notify(plan, "to_sign")
    return voided


def _ensure_rules_hold(plan: ActivityPlan) -> None:
    """Before it moves on, the plan still meets every rule (people may have left the unit)."""
    try:
        _validate(plan, list(plan.administrators.all()), list(plan.daily_operators.all()))
    except ValidationError as error:
        raise TransitionNotAllowed(
            _("Planen uppfyller inte reglerna och måste ändras: %(errors)s")
            % {"errors": " ".join(error.messages)}
        ) from error


@transaction.atomic
def submit_plan(plan: ActivityPlan, *, by) -> ActivityPlan:
    """Send the plan to its signers; if every signature still covers it, it is signed."""
    locked = ActivityPlan.objects.select_for_update().get(pk=plan.pk)
    if not selectors.may_act_for_unit(by, locked.unit_id):
        raise PermissionDeniedError
    if locked.status in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        _ensure_rules_hold(locked)
    if locked.status in (PlanStatus.DRAFT, PlanStatus.RETURNED) and not selectors.missing_signers(
        locked
    ):
        _transition(plan, PlanStatus.SIGNED, by=by, note=_("Underskrifterna gäller fortfarande."))
        _notify(plan, "signed")
        return plan
    _transition(plan, PlanStatus.AWAITING_SIGNATURES, by=by)
    _notify(plan, "to_sign")
    return plan


@transaction.atomic
def withdraw_plan(plan: ActivityPlan, *, by) -> ActivityPlan:
    return _transition(plan, PlanStatus.DRAFT, by=by, note=_("Tillbakadragen för ändring."))


@sensitive_variables("password")
def sign_plan(plan: ActivityPlan, *, by, password: str, request=None) -> Signature | None:
    """The signer re-enters their password; the signature covers the content's hash.

    Signing twice the same content changes nothing (a double submit is harmless).
    """
    # Before the transaction: a wrong password stays counted towards the login lockout
    # (django-axes), and a locked-out user cannot sign, although nothing is signed.
    try:
        confirm_password(by, password, request=request)
    except IncorrectPassword:
        record_audit("plan_sign_failed", by=by, obj=plan)
        raise WrongPassword from None
    return _sign_confirmed(plan, by=by)


@transaction.atomic
def _sign_confirmed(plan: ActivityPlan, *, by) -> Signature | None:
    plan = ActivityPlan.objects.select_for_update().get(pk=plan.pk)
    if not selectors.is_signer(by, plan):
        raise NotASigner
    if plan.status != PlanStatus.AWAITING_SIGNATURES:
        raise TransitionNotAllowed(_("Planen väntar inte på underskrifter."))
    content_hash = plan.content_hash()
    signature, created = Signature.objects.get_or_create(
        plan=plan, signer=by, content_hash=content_hash, defaults={"signer_title": by.title}
    )
    if created:
        record_audit("plan_signed", by=by, obj=plan, details={"content_hash": content_hash})
    if not selectors.missing_signers(plan):
        _transition(plan, PlanStatus.SIGNED, by=by, note=_("Alla underskrifter är klara."))
        _notify(plan, "signed")
    return signature


@transaction.atomic
def start_review(plan: ActivityPlan, *, by) -> ActivityPlan:
    return _transition(plan, PlanStatus.IN_REVIEW, by=by)


@transaction.atomic
def decide_graphic_profile(plan: ActivityPlan, *, by, approved: bool, note: str = "") -> None:
    """Informationsenheten approves or refuses a deviation (Avsändare och grafisk profil).

    The decision covers the plan's content as it is now; any later change voids it.
    """
    locked = ActivityPlan.objects.select_for_update().get(pk=plan.pk)
    if not is_information_unit(by):
        raise PermissionDeniedError
    if locked.graphic_profile != GraphicProfile.DEVIATION:
        raise TransitionNotAllowed(_("Planen begär inget avsteg från den grafiska profilen."))
    if locked.status != PlanStatus.IN_REVIEW:
        raise TransitionNotAllowed(_("Beslut om grafisk profil fattas under granskningen."))
    content_hash = locked.content_hash()
    locked.graphic_profile_approved = approved
    locked.graphic_profile_decided_hash = content_hash
    locked.save(update_fields=["graphic_profile_approved", "graphic_profile_decided_hash"])
    plan.graphic_profile_approved = approved
    plan.graphic_profile_decided_hash = content_hash
    decision = (
        _("Avsteget från den grafiska profilen godkänns.")
        if approved
        else _("Avsteget från den grafiska profilen godkänns inte.")
    )
    PlanEvent.objects.create(
        plan=locked,
        from_status=locked.status,
        to_status=locked.status,
        actor=by,
        note=f"{decision} {note}".strip(),
        content_hash=content_hash,
    )
    record_audit(
        "plan_graphic_profile_decided",
        by=by,
        obj=plan,
        details={
            "approved": approved,
            "note": note[:500],
            "status": locked.status,
            "content_hash": content_hash,
        },
    )


@transaction.atomic
def approve_plan(plan: ActivityPlan, *, by, note: str = "") -> ActivityPlan:
    """Approval puts the channel into the register, or updates it, and makes this plan the
    channel's current plan: the plan in force until now is superseded."""
    plan = ActivityPlan.objects.select_for_update().get(pk=plan.pk)
    if not is_information_unit(by):
        raise PermissionDeniedError
    if selectors.missing_signers(plan):
        raise TransitionNotAllowed(_("Planen saknar underskrifter och kan inte godkännas."))
    decision = selectors.graphic_profile_decision(plan)
    if plan.graphic_profile == GraphicProfile.DEVIATION and decision is None:
        raise TransitionNotAllowed(
            _("Ta först ställning till det begärda avsteget från den grafiska profilen.")
        )
    if decision is False:
        raise TransitionNotAllowed(
            _(
                "Avsteget från den grafiska profilen är inte godkänt. Återremittera planen så att "
                "verksamheten kan ändra den och signera den på nytt."
            )
        )
    # Refused before the plan in force is touched: a second click on "approve" found this plan
    # already approved, took it for the plan in force and superseded it before failing.
    if (plan.status, PlanStatus.APPROVED) not in TRANSITIONS:
        raise TransitionNotAllowed(
            _("Planen är %(current)s och kan inte godkännas.")
            % {"current": PlanStatus(plan.status).label.lower()}
        )
    previous = selectors.current_plan(plan.channel) if plan.channel_id else None
    if previous is not None:
        _transition(
            previous,
            PlanStatus.SUPERSEDED,
            by=by,
            note=_("Revision %(revision)s är godkänd.") % {"revision": plan.revision},
        )
    _transition(plan, PlanStatus.APPROVED, by=by, note=note)
    # The administrators' addresses were checked against the municipal domains on saving.
    owner_emails = [user.email for user in plan.administrators.all() if user.email]
    values = {
        "platform": plan.platform,
        "url": plan.url,
        "account_name": plan.account_name,
        "unit": plan.unit,
        "description": plan.purpose,
        "contact_email": next(iter(owner_emails), ""),
    }
    try:
        channel = channel_services.register_channel_from_plan(plan.channel, by=by, values=values)
    except ValidationError as error:
        raise TransitionNotAllowed(
            _("Kanalen kunde inte föras in i registret: %(errors)s")
            % {"errors": " ".join(error.messages)}
        ) from error
    if plan.channel_id != channel.pk:
        ActivityPlan.objects.filter(pk=plan.pk).update(channel=channel)
        plan.channel = channel
    _store_approved_pdf(plan)
    # Arkivering: the approved plan is kept in the archive too.
    signals.plan_approved.send(sender=ActivityPlan, plan=plan)
    _notify(plan, "approved")
    return plan


@transaction.atomic
def return_plan(plan: ActivityPlan, *, by, note: str) -> ActivityPlan:
    if not note.strip():
        raise TransitionNotAllowed(_("Skriv en kommentar om vad som ska ändras."))
    _transition(plan, PlanStatus.RETURNED, by=by, note=note)
    _notify(plan, "returned")
    return plan


@transaction.atomic
def reject_plan(plan: ActivityPlan, *, by, note: str) -> ActivityPlan:
    if not note.strip():
        raise TransitionNotAllowed(_("Ange skälen till avslaget."))
    _transition(plan, PlanStatus.REJECTED, by=by, note=note)
    _notify(plan, "rejected")
    return plan


@transaction.atomic
def start_revision(plan: ActivityPlan, *, by) -> ActivityPlan:
    """A change to an active channel is a new revision of its current plan, through the same
    workflow. Under a row lock: a double click gives the same draft."""
    current = ActivityPlan.objects.select_for_update().get(pk=plan.pk)
    if not selectors.may_act_for_unit(by, current.unit_id):
        raise PermissionDeniedError
    if not selectors.is_current(current):
        raise TransitionNotAllowed(_("Bara kanalens gällande plan kan revideras."))
    already_open = selectors.open_plan_for_channel(current.channel)
    if already_open is not None:
        return already_open
    administrators = list(current.administrators.all())
    daily_operators = list(current.daily_operators.all())
    latest = ActivityPlan.objects.filter(channel=current.channel).order_by("-revision").first()
    revision = ActivityPlan.objects.get(pk=current.pk)
    revision.pk = None
    revision._state.adding = True
    revision.status = PlanStatus.DRAFT
    revision.revision = latest.revision + 1
    revision.supersedes = current
    revision.graphic_profile_approved = None
    revision.graphic_profile_decided_hash = ""
    # The draft is not the signed plan: it carries neither its PDF nor the PDF's hash.
    revision.approved_pdf = ""
    revision.approved_pdf_sha256 = ""
    revision.prepared_by = by
    revision.prepared_on = timezone.localdate()
    try:
        with transaction.atomic():
            revision.save()
    except IntegrityError:
        # Another request made the revision between our check and our insert.
        return ActivityPlan.objects.get(channel=current.channel, status__in=OPEN)
    revision.administrators.set(administrators)
    revision.daily_operators.set(daily_operators)
    record_audit(
        "plan_revision_started",
        by=by,
        obj=revision,
        details={
            "from": current.pk,
            "status": revision.status,
            "content_hash": revision.content_hash(),
        },
    )
    return revision


def _store_approved_pdf(plan: ActivityPlan) -> None:
    """The approved plan is kept as a PDF with its SHA-256 (a copy goes to Informationsenheten)."""
    data = pdf.render_plan_pdf(plan)
    plan.approved_pdf.save(
        f"aktivitetsplan-{plan.pk}-rev{plan.revision}.pdf", ContentFile(data), save=False
    )
    plan.approved_pdf_sha256 = pdf.sha256(data)
    ActivityPlan.objects.filter(pk=plan.pk).update(
        approved_pdf=plan.approved_pdf.name, approved_pdf_sha256=plan.approved_pdf_sha256
    )


def _notify(plan: ActivityPlan, event: str) -> None:
    from atvida_social.outbox.services import enqueue

    from ..tasks import send_plan_notification

    # Through the outbox: recorded with the change, sent after commit, and retried by the
    # relay when the broker or the mail server is down, so the action itself never fails.
    enqueue(send_plan_notification, plan.pk, event)
