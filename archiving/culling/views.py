"""The culling pages (gallring): Informationsenheten reviews and approves a proposed culling,
records the decision it rests on and places or lifts legal holds; Informationsenheten and
the archivist read the culling log, as a page and as CSV. Parse → check access (selector)
→ act (service) → respond."""

import csv
import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from atvida_social.organisation.exceptions import DomainError
from atvida_social.organisation.forms import add_service_errors
from channels.opendata import spreadsheet_safe
from moderation.workflow import ItemStatus

from . import selectors, services
from .forms import DispositionDecisionForm, ItemHoldForm, LegalHoldForm
from .models import DispositionDecision

LOG_PER_PAGE = 25


def _login_first(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def culling_required(view):
    """Informationsenheten only; others 403, anonymous visitors the login page."""

    @_login_first
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        selectors.ensure_may_cull(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def culling_log_required(view):
    """Informationsenheten and the archivist; others 403, anonymous visitors the login page."""

    @_login_first
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.may_read_culling_log(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _review(request, *, decision_form=None, hold_form=None, status: int = 200):
    proposal = selectors.proposal_under_review()
    summary = None
    if proposal is not None:
        summary = selectors.culling_summary(selectors.proposed_items(proposal))
    return render(
        request,
        "archiving/culling_review.html",
        {
            "tab": "culling",
            "proposal": proposal,
            "summary": summary,
            # An item no longer marked trivial (removed for a breach, say) shows no text.
            "sample": [
                (item, item.status == ItemStatus.TRIVIAL)
                for item in (summary.sample if summary else [])
            ],
            "decision": DispositionDecision.objects.current(),
            "decision_form": decision_form or DispositionDecisionForm(),
            "holds": list(selectors.active_holds()),
            "hold_form": hold_form or LegalHoldForm(),
        },
        status=status,
    )


@culling_required
@require_GET
def culling_review(request):
    return _review(request)


@culling_required
@require_POST
def culling_approve(request, pk: int):
    proposal = selectors.proposal_for_review(request.user, pk)
    try:
        services.approve_culling(proposal, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Gallringen är godkänd och körs nu i bakgrunden. Varje inlägg kontrolleras en "
                "gång till innan det tas bort. Resultatet syns i gallringsloggen."
            ),
        )
    return redirect("archiving:culling-review")


@culling_required
@require_POST
def culling_discard(request, pk: int):
    proposal = selectors.proposal_for_review(request.user, pk)
    try:
        services.discard_culling(proposal, by=request.user, note="avvisat på gallringssidan")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Förslaget är avvisat. Inget av det gallras."))
    return redirect("archiving:culling-review")


@culling_required
@require_POST
def decision_record(request):
    form = DispositionDecisionForm(request.POST)
    if form.is_valid():
        try:
            decision = services.record_disposition_decision(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Beslutet %(reference)s gäller nu för gallringen.")
                % {"reference": decision.reference},
            )
            return redirect("archiving:culling-review")
    return _review(request, decision_form=form)


def _place_hold(request, form, target, *, done: str) -> bool:
    """Place the hold the valid `form` asks for on `target` (a channel or an item) and say
    `done`; False, with the refusal on the form, when the service refuses."""
    try:
        services.place_legal_hold(target, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        add_service_errors(form, error)
    except DomainError as error:
        form.add_error(None, error.message)
    else:
        messages.success(request, done)
        return True
    return False


@culling_required
@require_POST
def hold_place(request):
    form = LegalHoldForm(request.POST)
    if form.is_valid():
        channel = form.cleaned_data["channel"]
        done = _("Gallringsstopp för %(channel)s. Inget från kanalen gallras förrän det hävs.")
        if _place_hold(request, form, channel, done=done % {"channel": channel}):
            return redirect("archiving:culling-review")
    return _review(request, hold_form=form)


@culling_required
@require_http_methods(["GET", "POST"])
def item_hold(request, item_id: int):
    """One item's legal holds: place one with a reason, or lift the item's own."""
    item = selectors.item_for_hold(request.user, item_id)
    form = ItemHoldForm(request.POST) if request.method == "POST" else ItemHoldForm()
    if request.method == "POST" and form.is_valid():
        done = _("Gallringsstopp för inlägget %(item)s. Det gallras inte förrän stoppet hävs.")
        if _place_hold(request, form, item, done=done % {"item": item.external_id}):
            return redirect("archiving:item-hold", item.pk)
    return render(
        request,
        "archiving/item_hold.html",
        {
            "tab": "culling",
            "item": item,
            "is_culled": item.status == ItemStatus.CULLED,
            "holds": selectors.holds_covering(item),
            "form": form,
        },
    )


@culling_required
@require_POST
def hold_release(request, pk: int):
    hold = selectors.legal_hold_for(request.user, pk)
    try:
        services.release_legal_hold(hold, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        held = (
            _("inlägget %(item)s") % {"item": hold.item_external_id}
            if hold.item_external_id
            else str(hold.channel)
        )
        messages.success(request, _("Gallringsstoppet för %(held)s är hävt.") % {"held": held})
    # Lifted from the item's own page, the answer is that page again.
    if hold.item_id is not None and request.POST.get("from") == "item":
        return redirect("archiving:item-hold", hold.item_id)
    return redirect("archiving:culling-review")


def _by(record) -> str:
    if record.by_id is None:
        return record.job
    return record.by.get_full_name() or record.by.username


@culling_log_required
@require_GET
def culling_log(request):
    page = Paginator(selectors.culling_log(), LOG_PER_PAGE).get_page(request.GET.get("sida"))
    records = selectors.with_per_channel(list(page.object_list))
    for record in records:
        record.by_text = _by(record)
    return render(
        request,
        "archiving/culling_log.html",
        {
            "tab": "culling",
            "page": page,
            "records": records,
            "may_cull": selectors.may_cull(request.user),
            "querystring": "",
        },
    )


CSV_HEADER = [
    "tidpunkt",
    "av",
    "beslut",
    "förslag",
    "kanal",
    "socialt medium",
    "gallrade inlägg",
    "varav markeringar i tråd",
    "tidigast inkommet",
    "senast inkommet",
    "rensade texter",
]


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@culling_log_required
@require_GET
def culling_log_csv(request):
    """The whole log, one row per record and channel (a record that only purged texts has
    one row without a channel). UTF-8 with a byte-order mark and semicolons."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def write(cells) -> None:
        writer.writerow([spreadsheet_safe(str(cell)) for cell in cells])

    write(CSV_HEADER)
    records = selectors.with_per_channel(list(selectors.culling_log()))
    for record in records:
        common = [_when(record.created_at), _by(record), record.decision_reference]
        proposal = str(record.proposal_id or "")
        purged = record.purged_texts
        for line in record.per_channel or [None]:
            if line is None:
                write([*common, proposal, "", "", 0, 0, "", "", purged])
            else:
                write(
                    [
                        *common, proposal, line["channel__account_name"], line["platform"],
                        line["items"], line["markers"], _when(line["earliest"]),
                        _when(line["latest"]), purged,
                    ]
                )  # fmt: skip
            purged = 0  # counted once per record
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="gallringslogg.csv"'
    return response
