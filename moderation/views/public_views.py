"""The public side of moderation, for everyone without a login: a page per channel of the
published register (purpose, watching, response times, house rules) and the form that
reports offensive content (Det här bör verksamheten tänka på)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from atvida_social.organisation.audit import client_ip
from channels.selectors import published_channels

from ..citizens import channel_facts, house_rules_context, privacy_controller, response_wait
from ..forms import ReportForm
from ..services import reports


@require_safe
def channel_page(request, pk: int):
    """Only a channel in the published register, and still in use, has a page."""
    channel = get_object_or_404(published_channels().select_related("unit__administration"), pk=pk)
    return render(
        request,
        "moderation/public/channel_detail.html",
        {"channel": channel, "facts": channel_facts(channel), **house_rules_context()},
    )


def _controller(form) -> str:
    """Personuppgiftsansvarig for the report: the chosen channel's nämnd (or Kommunstyrelsen);
    before a channel is chosen, both, as the guideline divides them."""
    value = str(form["channel"].value() or "")
    if value.isdigit() and len(value) < 19:
        channel = (
            published_channels().select_related("unit__administration").filter(pk=value).first()
        )
        if channel is not None:
            return privacy_controller(channel)
    return str(
        _(
            "den nämnd som ansvarar för kanalen du anmäler (den står på kanalens sida), "
            "annars %(fallback)s"
        )
        % {"fallback": settings.PRIVACY_CONTROLLER}
    )


def _privacy(form) -> dict:
    return {
        "culling_months": settings.CULLING_AGE_MONTHS,
        "controller": _controller(form),
        "privacy_email": settings.PRIVACY_CONTACT_EMAIL,
        "rate_window_minutes": reports.rate_window() // 60,
    }


def _render_form(request, form, *, status: int = 200, rate_limited: bool = False):
    return render(
        request,
        "moderation/public/report_form.html",
        {
            "form": form,
            **house_rules_context(),
            "rate_limited": rate_limited,
            "honeypot": reports.HONEYPOT_FIELD,
            **_privacy(form),
        },
        status=status,
    )


def _preselected(request) -> dict:
    value = request.GET.get("kanal", "")
    return {"channel": value} if value.isdigit() and len(value) < 19 else {}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report(request):
    """GET: the form (a channel chosen by ?kanal=<id>). POST: counted against the address's
    rate limit, then stored and answered with a redirect to the receipt (POST/redirect/GET)."""
    channels = published_channels()
    if request.method != "POST":
        return _render_form(request, ReportForm(initial=_preselected(request), channels=channels))
    try:
        reports.check_rate(client_ip(request))
    except reports.RateLimited as limited:
        # What the visitor wrote is kept in the form, so nothing is lost while waiting.
        kept = {name: request.POST.get(name, "") for name in ReportForm.base_fields}
        response = _render_form(
            request,
            ReportForm(initial=kept, channels=channels),
            status=429,
            rate_limited=True,
        )
        response["Retry-After"] = str(limited.retry_after)
        return response
    if request.POST.get(reports.HONEYPOT_FIELD):
        # A bot filled in the field no person sees: the usual answer, and nothing is stored.
        token = reports.receipt_token(reports.new_reference())
        return redirect("citizens:report-receipt", token=token)
    form = ReportForm(request.POST, channels=channels)
    if form.is_valid():
        try:
            item = reports.submit_report(form.cleaned_data)
        except ValidationError as error:  # the channel left the register meanwhile
            for field, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return redirect(
                "citizens:report-receipt", token=reports.receipt_token(item.external_id)
            )
    return _render_form(request, form)


@never_cache
@require_safe
def report_receipt(request, token: str):
    """Shows the reference and what happens next, nothing else: the address is signed, so
    only the visitor who sent the report reaches it."""
    reference = reports.reference_from_token(token)
    if reference is None:
        raise Http404("Kvittot finns inte.")
    return render(
        request,
        "moderation/public/report_receipt.html",
        {"reference": reference, "wait": response_wait(None)},
    )
