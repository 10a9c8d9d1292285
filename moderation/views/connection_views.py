"""A channel's connection to its platform (entered, tested, pulled now, removed), the list of
every connection for Informationsenheten, and trying a failed platform action again:
parse → check access (selector) → act (service) → respond."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from atvida_social.organisation.exceptions import DomainError, PermissionDeniedError
from atvida_social.organisation.forms import add_service_errors
from atvida_social.organisation.roles import information_unit_required

from .. import selectors
from ..forms import ConnectionForm
from ..models import PlatformAction, PlatformConnection
from ..platforms import registry
from ..services import connections, platform_actions, pulls


def _is_demo() -> bool:
    """Every platform points at the simulator: each connection is a demo platform's."""
    return bool(getattr(settings, "PLATFORM_SIMULATOR_URL", ""))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def connection(request, pk: int):
    channel = selectors.channel_for_connection_manager(request.user, pk)
    existing = PlatformConnection.objects.filter(channel=channel).first()
    connector_class = registry.connector_class(channel.platform)
    form = None
    if connector_class is not None:
        form = ConnectionForm(
            request.POST if request.method == "POST" else None,
            connector_class=connector_class,
            initial={"account_id": existing.account_id} if existing else None,
        )
        if request.method == "POST" and form.is_valid():
            # The selector above refused whoever may not manage the connection (a 403 before
            # the form is read); the service's own refusal, for any other caller, would show
            # here as a form error (a DomainError), nothing saved.
            try:
                connections.save_connection(
                    channel,
                    by=request.user,
                    account_id=form.cleaned_data["account_id"],
                    credentials=form.credentials,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Anslutningen är sparad. Testa den för att se att den fungerar.")
                )
                return redirect("moderation:connection", channel.pk)
    elif request.method == "POST":
        messages.error(
            request,
            _("Verktyget kan inte anslutas till %(platform)s.")
            % {"platform": channel.get_platform_display()},
        )
        return redirect("moderation:connection", channel.pk)
    return render(
        request,
        "moderation/connection_detail.html",
        {
            "channel": channel,
            "connection": existing,
            # A class in a template context is called by the template engine: pass its label.
            "account_id_label": connector_class.ACCOUNT_ID_LABEL if connector_class else "",
            "form": form,
            "is_demo": _is_demo(),
            "secret_fields": [form[f"secret_{name}"] for name in form.secret_names] if form else [],
            "saved_secrets": existing is not None,
        },
    )


def _connection_of(request, pk: int) -> PlatformConnection:
    channel = selectors.channel_for_connection_manager(request.user, pk)
    return get_object_or_404(PlatformConnection.objects.select_related("channel"), channel=channel)


@login_required
@require_POST
def connection_test(request, pk: int):
    # The service answers who may test (a 403); the selector only hides what is not seen.
    link = selectors.connection_for_viewer(request.user, pk)
    try:
        result = connections.test_connection(link, by=request.user)
    except PermissionDeniedError as error:
        raise PermissionDenied from error
    (messages.success if result.ok else messages.error)(request, result.message)
    return redirect("moderation:connection", pk)


@login_required
@require_POST
def connection_pull(request, pk: int):
    # The service answers who may pull now (a 403); the selector only hides what is not seen.
    link = selectors.connection_for_viewer(request.user, pk)
    try:
        pulls.request_pull(link, by=request.user)
    except PermissionDeniedError as error:
        raise PermissionDenied from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Kanalen hämtas nu. Nya inlägg kommer till kön."))
    return redirect("moderation:connection", pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def connection_remove(request, pk: int):
    link = _connection_of(request, pk)
    if request.method == "POST":
        connections.remove_connection(link, by=request.user)
        messages.success(
            request,
            _("Anslutningen är borttagen. Inläggen som redan hämtats finns kvar."),
        )
        return redirect("moderation:connection", pk)
    return render(
        request,
        "moderation/connection_confirm_remove.html",
        {"channel": link.channel, "connection": link, "is_demo": _is_demo()},
    )


@information_unit_required
@require_http_methods(["GET", "HEAD"])
def connection_list(request):
    return render(
        request,
        "moderation/connection_list.html",
        {"connections": selectors.connections_for_list(), "is_demo": _is_demo()},
    )


@login_required
@require_POST
def platform_action_retry(request, pk: int):
    action = get_object_or_404(PlatformAction.objects.only("pk", "item_id"), pk=pk)
    # The service answers who may retry (a 403); the selector only hides what is not seen.
    item = selectors.item_for_viewer(request.user, action.item_id)
    try:
        platform_actions.retry_platform_action(
            PlatformAction.objects.get(pk=action.pk), by=request.user
        )
    except PermissionDeniedError as error:
        raise PermissionDenied from error
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Åtgärden görs om på plattformen."))
    return redirect("moderation:item-detail", item.pk)
