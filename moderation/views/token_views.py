"""Informationsenheten's page of the machine ways in: the API tokens (which channel has which,
when each was last used, and revoking one; the secret itself is never shown again after it
was created) and the webhook deliveries that have not become items cleanly."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from atvida_social.organisation.roles import information_unit_required

from ..models import IngestToken, WebhookDelivery
from ..services import ingest

DELIVERIES_LISTED = 100


@information_unit_required
@require_http_methods(["GET", "HEAD"])
def token_list(request):
    tokens = IngestToken.objects.select_related("channel__unit", "created_by").order_by(
        "channel__unit__name", "channel__account_name", "channel_id", "-created_at", "pk"
    )
    # Waiting, given up, or with an error: the latest hundred, without their bodies.
    deliveries = (
        WebhookDelivery.objects.select_related("channel")
        .defer("body")
        .filter(Q(processed_at__isnull=True) | ~Q(error="") | ~Q(comment_errors=[]))
        .order_by("-received_at", "-pk")[:DELIVERIES_LISTED]
    )
    return render(
        request, "moderation/token_list.html", {"tokens": tokens, "deliveries": deliveries}
    )


@information_unit_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_revoke(request, pk: int):
    token = get_object_or_404(IngestToken.objects.select_related("channel"), pk=pk)
    if request.method == "POST":
        ingest.revoke_ingest_token(token, by=request.user)
        messages.success(request, _("API-nyckeln är återkallad."))
        return redirect("moderation:token-list")
    return render(request, "moderation/token_confirm_revoke.html", {"token": token})
