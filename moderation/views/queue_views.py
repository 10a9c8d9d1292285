"""The moderation queue, an item and its thread, decisions and assignment, registering an item
by hand, and a channel's house rules to paste on the platform: parse → check access
(selector) → act (service) → respond."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from atvida_social.organisation.exceptions import DomainError, PermissionDeniedError
from atvida_social.organisation.forms import add_service_errors
from channels.selectors import published_channels

from .. import citizens, deadlines, panels, platform_state, selectors, services, workflow
from ..forms import AssignForm, BulkDecisionForm, DecisionForm, ItemForm, QueueFilterForm
from ..services import secrecy
from ..workflow import MANUAL, ItemKind, ItemStatus
from .errors import report_errors


def _filtered_queue(request, now):
    items = selectors.queue(request.user)
    channels = selectors.channels_for_viewer(request.user).select_related("unit")
    units = selectors.units_for_viewer(request.user)
    filters = QueueFilterForm(request.GET or None, channels=channels, units=units)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["unregistered"]:
            items = selectors.unregistered_messages(request.user)
        if data["plattformsfel"]:
            # Decided items too: the decision is taken, the platform has not carried it out.
            items = selectors.failed_on_platform(
                selectors.items_for_viewer(request.user)
                .select_related("channel__unit", "assigned_to", "parent")
                .prefetch_related(selectors.acting_matches(), selectors.platform_actions_prefetch())
                .order_by("received_at", "pk")
            )
        if data["channel"]:
            items = items.filter(channel=data["channel"])
        if data["unit"]:
            items = items.filter(channel__unit=data["unit"])
        if data["category"]:
            items = items.filter(
                matches__category=data["category"], matches__test_mode=False
            ).distinct()
        if data["kind"]:
            items = items.filter(kind=data["kind"])
        if data["assigned"] == "mig":
            items = items.filter(assigned_to=request.user)
        elif data["assigned"] == "ingen":
            items = items.filter(assigned_to__isnull=True)
        if data["sla"]:
            items = items.in_sla_state(now, data["sla"])
    return items.with_sla_state(now), filters


def _bulk_kinds(filters) -> list[str] | None:
    """The decisions to offer for the listed items: with the list narrowed to one kind of
    item, only those the guideline allows for an open item of that kind."""
    if not filters.is_valid():
        return None
    data = filters.cleaned_data
    kind = ItemKind.MESSAGE if data["unregistered"] else data["kind"]
    if not kind:
        return None
    return [
        decision
        for decision in MANUAL
        if workflow.duty_refusal(kind, ItemStatus.NEW, decision) is None
    ]


@login_required
def item_list(request):
    now = timezone.now()
    items, filters = _filtered_queue(request, now)
    page = Paginator(items, 50).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "moderation/item_list.html",
        {
            "page": page,
            "rows": [
                (item, item.sla_state, platform_state.platform_state(item, now=now))
                for item in page
            ],
            "filters": filters
            if filters.is_bound
            else QueueFilterForm(
                channels=filters.fields["channel"].queryset,
                units=filters.fields["unit"].queryset,
            ),
            "querystring": query.urlencode(),
            "bulk_form": DecisionForm(
                auto_id="id_bulk_%s",
                kinds=_bulk_kinds(filters),
                # Asked when the page lists a YouTube item; the bulk form requires it when a
                # chosen item's channel is connected.
                asks_to_reject=any(item.channel.platform == "youtube" for item in page),
            ),
        },
    )


@login_required
def item_detail(request, pk: int):
    item = selectors.item_for_viewer(request.user, pk)
    now = timezone.now()
    thread, thread_total = selectors.thread_for_page(item)
    may_handle = selectors.may_handle(request.user, item)
    return render(
        request,
        "moderation/item_detail.html",
        {
            "item": item,
            "thread": thread,
            "thread_total": thread_total,
            "thread_visible": selectors.visible_among(
                request.user, (entry.item.pk for entry in thread)
            ),
            "matches": list(item.matches.select_related("rule")),
            "highlighted": selectors.highlighted(item, request.user),
            "held_by_rule": selectors.held_by_rule(item),
            "versions": selectors.versions_visible_to(item, request.user),
            "decisions": selectors.decisions_of(item),
            "sla": deadlines.sla_state_of(item, now),
            "may_moderate": selectors.may_moderate(request.user, item.channel),
            "may_handle": may_handle,
            "may_read_removed": selectors.may_read_removed_text(request.user),
            "panels": panels.item_panels(request.user, item),
            "platform_state": platform_state.platform_state(item, now=now),
            "form": DecisionForm(
                kinds=selectors.decisions_open_to(item),
                asks_to_reject=selectors.rejects_instead_of_removing(item),
            )
            if may_handle
            else None,
            "assign_form": AssignForm(
                initial={"assigned_to": item.assigned_to_id},
                people=selectors.moderators_of(item.channel),
            ),
        },
    )


@login_required
@require_POST
def item_decide(request, pk: int):
    item = selectors.item_for_viewer(request.user, pk)
    if not selectors.may_handle(request.user, item):
        raise PermissionDenied
    form = DecisionForm(request.POST, asks_to_reject=selectors.rejects_instead_of_removing(item))
    if not form.is_valid():
        report_errors(request, ValidationError(form.errors))
        return redirect("moderation:item-detail", item.pk)
    data = dict(form.cleaned_data)
    kind = data.pop("kind")
    try:
        services.decide_item(item, by=request.user, kind=kind, **data)
    except ValidationError as error:
        report_errors(request, error)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Beslutet är registrerat."))
    return redirect("moderation:item-detail", item.pk)


@login_required
@require_POST
def item_secrecy_removed(request, pk: int):
    """A person confirms that an item marked secret is gone from the platform."""
    item = selectors.item_for_viewer(request.user, pk)
    if not selectors.may_handle(request.user, item):
        raise PermissionDenied
    try:
        secrecy.confirm_secret_removed(item, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Borttagningen från plattformen är bekräftad; inlägget har lämnat kön.")
        )
    return redirect("moderation:item-detail", item.pk)


@login_required
@require_POST
def item_assign(request, pk: int):
    item = selectors.item_for_viewer(request.user, pk)
    if not selectors.may_moderate(request.user, item.channel):
        raise PermissionDenied
    form = AssignForm(request.POST, people=selectors.moderators_of(item.channel))
    if not form.is_valid():
        report_errors(request, ValidationError(form.errors))
        return redirect("moderation:item-detail", item.pk)
    chosen = form.cleaned_data["assigned_to"]
    try:
        assigned = services.assign_item(item, by=request.user, to=chosen)
    except ValidationError as error:
        report_errors(request, error)
    else:
        if chosen is not None and assigned.assigned_to != chosen:
            messages.success(
                request,
                _("%(person)s är frånvarande; inlägget är tilldelat ersättaren %(substitute)s.")
                % {"person": chosen, "substitute": assigned.assigned_to},
            )
        else:
            messages.success(request, _("Tilldelningen är sparad."))
    return redirect("moderation:item-detail", item.pk)


@login_required
@require_POST
def bulk_decide(request):
    form = BulkDecisionForm(request.POST, items=selectors.decidable_in_bulk(request.user))
    if not form.is_valid():
        report_errors(request, ValidationError(form.errors))
        return redirect("moderation:item-list")
    data = dict(form.cleaned_data)
    items, kind = list(data.pop("items")), data.pop("kind")
    try:
        services.decide_items(items, by=request.user, kind=kind, **data)
    except PermissionDeniedError as error:
        raise PermissionDenied from error
    except ValidationError as error:
        report_errors(request, error)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "Beslutet är registrerat för %(count)s inlägg.",
                "Beslutet är registrerat för %(count)s inlägg.",
                len(items),
            )
            % {"count": len(items)},
        )
    return redirect("moderation:item-list")


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request):
    channels = selectors.channels_for_viewer(request.user).filter(status="aktiv")
    form = ItemForm(request.POST or None, channels=channels)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        channel = data.pop("channel")
        try:
            item, created = services.register_item(channel, data, by=request.user)
        except PermissionDeniedError as error:
            raise PermissionDenied from error
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if item.pk is None:
                form.add_error(
                    "external_id", _("Inlägget är redan gallrat och registreras inte igen.")
                )
                return render(request, "moderation/item_form.html", {"form": form})
            if created:
                messages.success(request, _("Inlägget är registrerat."))
            else:
                messages.info(request, _("Inlägget fanns redan; här är det."))
            return redirect("moderation:item-detail", item.pk)
    return render(request, "moderation/item_form.html", {"form": form})


@login_required
def channel_house_rules(request, pk: int):
    """The channel's house rules as text to paste on the platform, for the staff who see the
    channel ("informera om syftet … vilka typer av kommentarer som inte får förekomma")."""
    channel = get_object_or_404(
        selectors.channels_for_viewer(request.user).select_related("unit"), pk=pk
    )
    site = settings.SITE_URL.rstrip("/")
    is_published = published_channels().filter(pk=channel.pk).exists()
    if is_published:
        page_url = site + reverse("citizens:channel", args=[channel.pk])
        report_url = f"{site}{reverse('citizens:report')}?kanal={channel.pk}"
    else:
        page_url = site + reverse("public:register")
        report_url = site + reverse("citizens:report")
    return render(
        request,
        "moderation/house_rules.html",
        {
            "channel": channel,
            "is_published": is_published,
            "text": citizens.house_rules_text(channel, page_url=page_url, report_url=report_url),
        },
    )
