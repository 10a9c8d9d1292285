"""Informationsenheten's page of API tokens: which channel has which, when each was last
used, and revoking one. The secret itself is never shown again after it was created."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from atvida_social.organisation.roles import information_unit_required

from ..models import IngestToken
from ..services import ingest


@information_unit_required
@require_http_methods(["GET", "HEAD"])
def token_list(request):
    tokens = IngestToken.objects.select_related("channel__unit", "created_by").order_by(
        "channel__unit__name", "channel__account_name", "channel_id", "-created_at", "pk"
    )
    return render(request, "moderation/token_list.html", {"tokens": tokens})


@information_unit_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_revoke(request, pk: int):
    token = get_object_or_404(IngestToken.objects.select_related("channel"), pk=pk)
    if request.method == "POST":
        ingest.revoke_ingest_token(token, by=request.user)
        messages.success(request, _("API-nyckeln är återkallad."))
        return redirect("moderation:token-list")
    return render(request, "moderation/token_confirm_revoke.html", {"token": token})
