"""Supervision (Bilaga 1): the channels a person looks after and their reviews, and the
operators' absences with their substitutes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from atvida_social.organisation.exceptions import DomainError, PermissionDeniedError
from atvida_social.organisation.forms import add_service_errors

from .. import selectors
from ..forms import AbsenceForm
from ..services import supervision
from .errors import report_errors


@login_required
def supervision_list(request):
    """The channels the user looks after: how often each is watched, when it was last
    reviewed and whether the review is overdue, with a button to mark it reviewed."""
    now = timezone.now()
    rows = supervision.supervision_of(selectors.supervised_channels(request.user), now=now)
    return render(request, "moderation/supervision_list.html", {"rows": rows, "now": now})


@login_required
@require_POST
def channel_review(request, pk: int):
    channel = get_object_or_404(selectors.channels_for_viewer(request.user), pk=pk)
    try:
        supervision.mark_channel_reviewed(channel, by=request.user)
    except PermissionDeniedError as error:
        raise PermissionDenied from error
    messages.success(request, _("Tillsynen av %(channel)s är registrerad.") % {"channel": channel})
    return redirect("moderation:supervision")


@login_required
@require_http_methods(["GET", "POST"])
def absence_list(request):
    operators, colleagues = selectors.absence_people(request.user)
    form = AbsenceForm(
        request.POST or None,
        operators=operators,
        colleagues=colleagues,
        initial={"operator": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            supervision.register_absence(
                data["operator"],
                by=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                substitute=data["substitute"],
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except DomainError as error:
            # The form offers only those the user may register for; the service decides.
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Frånvaron är registrerad."))
            return redirect("moderation:absence-list")
    absences = list(selectors.absences_for_viewer(request.user))
    may_end = {
        absence.pk
        for absence in absences
        if selectors.may_register_absence_for(request.user, absence.operator)
    }
    return render(
        request,
        "moderation/absence_list.html",
        {"form": form, "absences": absences, "may_end": may_end, "now": timezone.now()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def absence_end(request, pk: int):
    """Ending an absence early (or withdrawing a planned one) asks for a confirmation."""
    absence = get_object_or_404(
        selectors.absences_for_viewer(request.user, now=timezone.now()), pk=pk
    )
    if not selectors.may_register_absence_for(request.user, absence.operator):
        raise PermissionDenied
    if request.method == "POST":
        try:
            supervision.end_absence(absence, by=request.user)
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("Frånvaron är avslutad."))
        return redirect("moderation:absence-list")
    return render(
        request,
        "moderation/absence_confirm_end.html",
        {"absence": absence, "started": absence.starts_at <= timezone.now()},
    )
