"""Activity plan pages: parse → check access (selector) → act (service) → respond."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from atvida_social.organisation.exceptions import (
    DomainError,
    IncorrectPassword,
    LockedOut,
    PermissionDeniedError,
)
from atvida_social.organisation.files import stored_file_response
from atvida_social.organisation.forms import add_service_errors
from atvida_social.organisation.roles import (
    information_unit_required,
)

from . import pdf, selectors, services
from .exceptions import WrongPassword
from .forms import (
    CredentialForm,
    GraphicProfileDecisionForm,
    NoteForm,
    OptionalNoteForm,
    PlanForm,
    RevealForm,
    SignForm,
)
from .models import ActivityPlan, Credential, Signature
from .services.credentials import SECRET_FIELDS
from .workflow import OPEN, PlanStatus


@login_required
def plan_list(request):
    plans = selectors.plans_for_viewer(request.user)
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    page = Paginator(plans, 50).get_page(request.GET.get("sida"))
    return render(
        request,
        "activityplans/plan_list.html",
        {
            "page": page,
            "statuses": PlanStatus.choices,
            "status": status,
            "can_create": selectors.may_draw_up(request.user),
            "querystring": f"status={status}" if status in PlanStatus.values else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int | None = None):
    user = request.user
    if pk is None:
        if not selectors.may_draw_up(user):
            raise PermissionDenied
        plan = None
        instance = ActivityPlan(prepared_by=user, prepared_on=timezone.localdate(), unit=user.unit)
    else:
        plan = selectors.plan_for_viewer(user, pk)
        # The form is not shown to someone who may not save it.
        if not selectors.may_act_for_unit(user, plan.unit_id):
            raise PermissionDenied
        if not plan.is_editable:
            messages.error(request, _("Planen kan inte ändras i det här läget."))
            return redirect(plan)
        instance = plan
    form = PlanForm(request.POST or None, instance=instance, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            voided = services.save_plan(
                form.save(commit=False),
                by=user,
                administrators=form.cleaned_data["administrators"],
                daily_operators=form.cleaned_data["daily_operators"],
            )
        except ValidationError as error:
            # Who may save was decided above, on the same rule the service applies.
            add_service_errors(form, error)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Aktivitetsplanen är sparad."))
            if voided:
                messages.warning(
                    request,
                    ngettext(
                        "Planen har ändrats efter att den signerats: %(count)s underskrift har "
                        "upphävts och måste göras om.",
                        "Planen har ändrats efter att den signerats: %(count)s underskrifter har "
                        "upphävts och måste göras om.",
                        voided,
                    )
                    % {"count": voided},
                )
            return redirect(form.instance)
    return render(request, "activityplans/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_detail(request, pk: int):
    plan = selectors.plan_for_viewer(request.user, pk)
    # Loaded once: the content hash, the signers and the valid signatures all read these.
    prefetch_related_objects(
        [plan],
        "administrators",
        "daily_operators",
        Prefetch("signatures", queryset=Signature.objects.select_related("signer")),
    )
    signatures = list(plan.signatures.all())
    current = plan.content_hash()
    return render(
        request,
        "activityplans/plan_detail.html",
        {
            "plan": plan,
            "signatures": [(s, s.content_hash == current) for s in signatures],
            "missing": selectors.missing_signers(plan) if plan.status in OPEN else [],
            "events": plan.events.select_related("actor"),
            "administrators": plan.administrators.all(),
            "daily_operators": plan.daily_operators.all(),
            "revisions": ActivityPlan.objects.filter(channel=plan.channel).exclude(pk=plan.pk)
            if plan.channel_id
            else [],
            "replaced_by": selectors.replaced_by(plan),
            "graphic_profile_decision": selectors.graphic_profile_decision(plan),
            "actions": selectors.allowed_actions(request.user, plan),
            # Three forms on one page: distinct ids, same field names.
            "note_form": NoteForm(auto_id="id_decision_%s"),
            "optional_note_form": OptionalNoteForm(auto_id="id_approval_%s"),
            "graphic_form": GraphicProfileDecisionForm(auto_id="id_graphic_%s"),
        },
    )


def _act(request, pk: int, action, success, form_class=None):
    plan = selectors.plan_for_viewer(request.user, pk)
    kwargs = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(plan)
        kwargs = form.cleaned_data
    try:
        action(plan, by=request.user, **kwargs)
    except PermissionDeniedError as error:
        raise PermissionDenied from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success(plan) if callable(success) else success)
    return redirect(plan)


@login_required
@require_POST
def plan_submit(request, pk: int):
    return _act(request, pk, services.submit_plan, _submitted_message)


def _submitted_message(plan) -> str:
    if plan.status == PlanStatus.SIGNED:
        return _(
            "Planen är oförändrad sedan den signerades: underskrifterna gäller och planen väntar "
            "på informationsenhetens granskning."
        )
    return _("Planen är skickad för signering.")


@login_required
@require_POST
def plan_withdraw(request, pk: int):
    return _act(request, pk, services.withdraw_plan, _("Planen är tillbaka som utkast."))


@login_required
@require_POST
def plan_start_review(request, pk: int):
    return _act(request, pk, services.start_review, _("Granskningen är påbörjad."))


@login_required
@require_POST
def plan_decide_graphic_profile(request, pk: int):
    return _act(
        request,
        pk,
        services.decide_graphic_profile,
        _("Beslutet om grafisk profil är registrerat."),
        GraphicProfileDecisionForm,
    )


@login_required
@require_POST
def plan_approve(request, pk: int):
    return _act(
        request,
        pk,
        services.approve_plan,
        format_html(
            '{} <a class="alert-link" href="{}">{}</a>',
            _("Planen är godkänd och kanalen finns i registret."),
            reverse("channels:publish"),
            _("Publicera registret för att visa den."),
        ),
        OptionalNoteForm,
    )


@login_required
@require_POST
def plan_return(request, pk: int):
    return _act(
        request,
        pk,
        services.return_plan,
        _("Planen är återremitterad till verksamheten."),
        NoteForm,
    )


@login_required
@require_POST
def plan_reject(request, pk: int):
    return _act(request, pk, services.reject_plan, _("Planen är avslagen."), NoteForm)


@login_required
@require_POST
def plan_revise(request, pk: int):
    plan = selectors.plan_for_viewer(request.user, pk)
    try:
        revision = services.start_revision(plan, by=request.user)
    except PermissionDeniedError as error:
        raise PermissionDenied from error
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(plan)
    messages.success(
        request, _("Revision %(number)s av planen är ett utkast.") % {"number": revision.revision}
    )
    return redirect("activityplans:plan-edit", revision.pk)


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def plan_sign(request, pk: int):
    plan = selectors.plan_for_viewer(request.user, pk)
    if not selectors.is_signer(request.user, plan):
        raise PermissionDenied
    form = SignForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_plan(
                plan, by=request.user, password=form.cleaned_data["password"], request=request
            )
        except WrongPassword as error:
            form.add_error("password", error.message)
        except LockedOut as error:
            form.add_error(None, error.message)
            status = 429
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Du har signerat aktivitetsplanen."))
            return redirect(plan)
    return render(
        request, "activityplans/plan_sign.html", {"plan": plan, "form": form}, status=status
    )


@login_required
@require_safe
def plan_pdf(request, pk: int):
    """The unit and Informationsenheten download the plan: an approved plan as stored, any
    other state rendered from its present content and marked as a draft."""
    plan = selectors.plan_for_viewer(request.user, pk)
    filename = f"aktivitetsplan-{plan.pk}-rev{plan.revision}.pdf"
    if pdf.is_stored_as_signed(plan):
        return stored_file_response(plan.approved_pdf, filename, content_type="application/pdf")
    response = HttpResponse(pdf.plan_pdf(plan), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@sensitive_post_parameters("username", "password", "recovery_notes")
@login_required
@require_http_methods(["GET", "POST"])
def credential_edit(request, pk: int):
    """An account owner hands the login over to Informationsenheten for safekeeping."""
    plan = selectors.plan_for_viewer(request.user, pk)
    if not selectors.may_hand_over(request.user, plan):
        raise PermissionDenied
    # The page shows who handed the login over and when, never the secrets: none is decrypted.
    existing = (
        Credential.objects.filter(channel_id=plan.channel_id)
        .select_related("entered_by")
        .defer(*SECRET_FIELDS)
        .first()
    )
    form = CredentialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_credential(plan, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Inloggningsuppgifterna är lämnade till informationsenheten.")
            )
            return redirect(plan)
    return render(
        request,
        "activityplans/credential_form.html",
        {"plan": plan, "form": form, "existing": existing},
    )


@information_unit_required
def credential_list(request):
    credentials = Credential.objects.select_related("channel__unit", "entered_by").defer(
        "username", "password", "recovery_notes"
    )
    return render(request, "activityplans/credential_list.html", {"credentials": credentials})


@sensitive_post_parameters("reason", "password")
@never_cache
@information_unit_required
@require_http_methods(["GET", "POST"])
def credential_reveal(request, pk: int):
    # The secrets stay encrypted until the service has confirmed the password.
    credential = get_object_or_404(
        Credential.objects.select_related("channel").defer(*SECRET_FIELDS), pk=pk
    )
    form = RevealForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            revealed = services.reveal_credential(
                credential, by=request.user, request=request, **form.cleaned_data
            )
        except IncorrectPassword as error:
            form.add_error("password", error.message)
        except LockedOut as error:
            form.add_error(None, error.message)
            status = 429
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return render(
                request, "activityplans/credential_revealed.html", {"credential": revealed}
            )
    return render(
        request,
        "activityplans/credential_reveal.html",
        {"credential": credential, "form": form},
        status=status,
    )
