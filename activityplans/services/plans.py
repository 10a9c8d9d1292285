"""Every write to an activity plan: one function per step of the workflow (Bilaga 2)."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.roles import Role, has_role, is_information_unit
from atvida_social.organisation.validators import is_municipal_email, is_swedish_phone
from channels import services as channel_services

from .. import pdf, selectors
from ..exceptions import NotASigner, TransitionNotAllowed, WrongPassword
from ..models import ActivityPlan, GraphicProfile, PlanEvent, Signature
from ..workflow import FINAL, PlanStatus, actor_kind


def may_act_for_unit(user, plan: ActivityPlan) -> bool:
    # The unit's account owners and manager, and whoever drew the plan up.
    in_unit = user.unit_id == plan.unit_id and (
        has_role(user, Role.ACCOUNT_OWNER) or has_role(user, Role.MANAGER)
    )
    return in_unit or plan.prepared_by_id == user.pk or is_information_unit(user)


def _transition(plan: ActivityPlan, to: str, *, by, note: str = "") -> ActivityPlan:
    """The one place a plan changes state: checks the table, locks the row, logs the move."""
    locked = ActivityPlan.objects.select_for_update().get(pk=plan.pk)
    kind = actor_kind(locked.status, to)
    if kind is None:
        raise TransitionNotAllowed(
            _("Planen är %(current)s och kan inte bli %(target)s.")
            % {
                "current": PlanStatus(locked.status).label.lower(),
                "target": PlanStatus(to).label.lower(),
            }
        )
    allowed = {
        "unit": lambda: may_act_for_unit(by, locked),
        "signer": lambda: any(u.pk == by.pk for u in locked.required_signers()),
        "info": lambda: is_information_unit(by),
    }[kind]()
    if not allowed:
        raise PermissionDeniedError
    PlanEvent.objects.create(
        plan=locked, from_status=locked.status, to_status=to, actor=by, note=note
    )
    plan.status = locked.status = to
    plan.status_changed_at = locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_changed_at"])
    record_audit("plan_status_changed", by=by, obj=plan, details={"to": to, "note": note[:500]})
    return plan


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


def people_problems(plan_like, administrators, daily_operators) -> dict[str, list[str]]:
    """The rules on who runs the account (Vem ska administrera kontot? Daglig drift)."""
    errors: dict[str, list[str]] = {}
    if len(administrators) < 2 and not plan_like.is_administration_head_blog:
        errors["administrators"] = [
            _(
                "Minst två administratörer behövs för alla konton "
                "(gäller ej förvaltningschefers bloggar)."
            )
        ]
    if not administrators:
        errors.setdefault("administrators", []).append(_("Ange minst en administratör."))
    admin_problems = _contact_problems(administrators, _("Administratören"))
    if admin_problems:
        errors.setdefault("administrators", []).extend(admin_problems)
    if not daily_operators:
        errors["daily_operators"] = [_("Ange minst en person för den dagliga driften.")]
    operator_problems = _contact_problems(daily_operators, _("Personen för daglig drift"))
    if operator_problems:
        errors.setdefault("daily_operators", []).extend(operator_problems)
    return errors


@transaction.atomic
def save_plan(plan: ActivityPlan, *, by, administrators, daily_operators) -> int:
    """Create or edit a plan; returns how many signatures the edit voided."""
    adding = plan._state.adding
    if adding:
        if not (may_act_for_unit(by, plan) or by.unit_id == plan.unit_id):
            raise PermissionDeniedError
    else:
        if not may_act_for_unit(by, plan):
            raise PermissionDeniedError
        if not plan.is_editable:
            raise TransitionNotAllowed(_("Planen kan inte ändras i det här läget."))
    before = None if adding else ActivityPlan.objects.get(pk=plan.pk)
    signed_before = [] if adding else selectors.valid_signatures(before)
    hash_before = None if adding else before.content_hash()
    plan.full_clean()
    plan.save()
    plan.administrators.set(administrators)
    plan.daily_operators.set(daily_operators)
    voided = 0
    if signed_before and hash_before != plan.content_hash():
        voided = len(signed_before)
    record_audit(
        "plan_created" if adding else "plan_changed",
        by=by,
        obj=plan,
        details={"voided_signatures": voided},
    )
    if voided and plan.status == PlanStatus.AWAITING_SIGNATURES:
        _notify(plan, "to_sign")
    return voided


@transaction.atomic
def submit_plan(plan: ActivityPlan, *, by) -> ActivityPlan:
    """Send the plan to its manager and account owners for signing."""
    _transition(plan, PlanStatus.AWAITING_SIGNATURES, by=by)
    _notify(plan, "to_sign")
    return plan


@transaction.atomic
def withdraw_plan(plan: ActivityPlan, *, by) -> ActivityPlan:
    return _transition(plan, PlanStatus.DRAFT, by=by, note=_("Tillbakadragen för ändring."))


@transaction.atomic
def sign_plan(plan: ActivityPlan, *, by, password: str) -> Signature | None:
    """The signer re-enters their password; the signature covers the content's hash.

    Signing twice the same content changes nothing (a double submit is harmless).
    """
    plan = ActivityPlan.objects.select_for_update().get(pk=plan.pk)
    if all(u.pk != by.pk for u in plan.required_signers()):
        raise NotASigner
    if plan.status != PlanStatus.AWAITING_SIGNATURES:
        raise TransitionNotAllowed(_("Planen väntar inte på underskrifter."))
    if not by.check_password(password or ""):
        record_audit("plan_sign_failed", by=by, obj=plan)
        raise WrongPassword
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
    """Informationsenheten approves deviations (Avsändare och grafisk profil)."""
    if not is_information_unit(by):
        raise PermissionDeniedError
    if plan.graphic_profile != GraphicProfile.DEVIATION:
        raise TransitionNotAllowed(_("Planen begär inget avsteg från den grafiska profilen."))
    if plan.status != PlanStatus.IN_REVIEW:
        raise TransitionNotAllowed(_("Beslut om grafisk profil fattas under granskningen."))
    ActivityPlan.objects.filter(pk=plan.pk).update(graphic_profile_approved=approved)
    plan.graphic_profile_approved = approved
    record_audit(
        "plan_graphic_profile_decided",
        by=by,
        obj=plan,
        details={"approved": approved, "note": note},
    )


@transaction.atomic
def approve_plan(plan: ActivityPlan, *, by, note: str = "") -> ActivityPlan:
    """Approval puts the channel into the register (status aktiv), or updates it."""
    plan = ActivityPlan.objects.select_for_update().get(pk=plan.pk)
    if selectors.missing_signers(plan):
        raise TransitionNotAllowed(_("Planen saknar underskrifter och kan inte godkännas."))
    if plan.graphic_profile == GraphicProfile.DEVIATION and plan.graphic_profile_approved is None:
        raise TransitionNotAllowed(
            _("Ta först ställning till det begärda avsteget från den grafiska profilen.")
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
    """A change to an active channel is a new revision of its plan, through the same workflow."""
    if plan.status != PlanStatus.APPROVED or plan.channel_id is None:
        raise TransitionNotAllowed(_("Bara en godkänd plan kan revideras."))
    if not may_act_for_unit(by, plan):
        raise PermissionDeniedError
    open_revision = ActivityPlan.objects.filter(channel=plan.channel).exclude(status__in=FINAL)
    if open_revision.exists():
        return open_revision.get()
    latest = ActivityPlan.objects.filter(channel=plan.channel).order_by("-revision").first()
    administrators = list(plan.administrators.all())
    daily_operators = list(plan.daily_operators.all())
    revision = ActivityPlan.objects.get(pk=plan.pk)
    revision.pk = None
    revision._state.adding = True
    revision.status = PlanStatus.DRAFT
    revision.revision = latest.revision + 1
    revision.supersedes = latest
    revision.graphic_profile_approved = None
    revision.prepared_by = by
    revision.prepared_on = timezone.localdate()
    revision.save()
    revision.administrators.set(administrators)
    revision.daily_operators.set(daily_operators)
    record_audit("plan_revision_started", by=by, obj=revision, details={"from": plan.pk})
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
