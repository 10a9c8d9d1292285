"""Staff pages of the register: channels, parties and publishing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from atvida_social.organisation.exceptions import DomainError
from atvida_social.organisation.roles import information_unit_required, is_information_unit

from . import flags, register, selectors, services
from .forms import (
    ChannelFilterForm,
    ChannelForm,
    PartyFilterForm,
    PartyForm,
    PartyLinkForm,
    PublishForm,
)
from .models import Channel, Party, PartyLink, RegisterVersion


@login_required
def channel_list(request):
    channels = flags.annotate_flags(
        Channel.objects.visible_to(request.user).select_related("unit__administration")
    )
    filters = ChannelFilterForm(request.GET or None)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            channels = channels.filter(
                Q(account_name__icontains=data["q"])
                | Q(url__icontains=data["q"])
                | Q(unit__name__icontains=data["q"])
            )
        if data["platform"]:
            channels = channels.filter(platform=data["platform"])
        if data["status"]:
            channels = channels.filter(status=data["status"])
        if data["flag"]:
            channels = flags.filter_by_flag(channels, data["flag"])
    page = Paginator(channels, 50).get_page(request.GET.get("sida"))
    for channel in page.object_list:
        channel.raised_flags = flags.raised_flags(channel)
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "channels/channel_list.html",
        {
            "page": page,
            "filters": filters if filters.is_bound else ChannelFilterForm(),
            "querystring": query.urlencode(),
            "can_edit": is_information_unit(request.user),
            "has_flags": bool(flags.channel_flags()),
        },
    )


@login_required
def channel_detail(request, pk: int):
    channel = get_object_or_404(
        flags.annotate_flags(
            Channel.objects.visible_to(request.user).select_related(
                "unit__administration", "register_exception_by"
            )
        ),
        pk=pk,
    )
    return render(
        request,
        "channels/channel_detail.html",
        {
            "channel": channel,
            "raised_flags": flags.raised_flags(channel),
            "can_edit": is_information_unit(request.user),
        },
    )


def _edit(request, form, *, save, template, success_message, success_url, context=None):
    """Shared by every create/edit form: validate, call the service, report in Swedish.

    `success_url` takes the saved object and names where to go next.
    """
    if request.method == "POST" and form.is_valid():
        try:
            instance = save(form.save(commit=False), by=request.user, changed=form.changed_data)
        except DomainError as error:
            # A rule the service enforces, shown beside the field it concerns when it names one.
            field = getattr(error, "field", None)
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(request, success_message)
            return redirect(success_url(instance))
    return render(request, template, {"form": form, **(context or {})})


@information_unit_required
@require_http_methods(["GET", "POST"])
def channel_edit(request, pk: int | None = None):
    channel = (
        get_object_or_404(Channel.objects.select_related("register_exception_by"), pk=pk)
        if pk
        else None
    )
    form = ChannelForm(request.POST or None, instance=channel)

    def save(instance, *, by, changed):
        reason = form.cleaned_data["exception_reason"]
        return services.save_channel(instance, by=by, changed=changed, exception_reason=reason)

    return _edit(
        request,
        form,
        save=save,
        template="channels/channel_form.html",
        success_message=_("Kanalen är sparad. Den visas publikt först när registret publiceras."),
        success_url=lambda saved: reverse("channels:channel-detail", args=[saved.pk]),
        context={"channel": channel},
    )


@information_unit_required
def party_list(request):
    parties = Party.objects.prefetch_related("links")
    filters = PartyFilterForm(request.GET or None)
    if filters.is_valid():
        if filters.cleaned_data["q"]:
            parties = parties.filter(name__icontains=filters.cleaned_data["q"])
        if filters.cleaned_data["represented"]:
            parties = parties.filter(is_represented=filters.cleaned_data["represented"] == "ja")
    return render(
        request,
        "channels/party_list.html",
        {"parties": parties, "filters": filters if filters.is_bound else PartyFilterForm()},
    )


@information_unit_required
@require_http_methods(["GET", "POST"])
def party_edit(request, pk: int | None = None):
    party = get_object_or_404(Party, pk=pk) if pk else None
    form = PartyForm(request.POST or None, instance=party)
    return _edit(
        request,
        form,
        save=services.save_party,
        template="channels/party_form.html",
        success_message=_("Partiet är sparat."),
        success_url=lambda saved: reverse("channels:party-list"),
        context={"party": party},
    )


@information_unit_required
@require_http_methods(["GET", "POST"])
def party_link_edit(request, party_pk: int, pk: int | None = None):
    party = get_object_or_404(Party, pk=party_pk)
    link = get_object_or_404(PartyLink, pk=pk, party=party) if pk else None
    form = PartyLinkForm(request.POST or None, instance=link, party=party)
    return _edit(
        request,
        form,
        save=services.save_party_link,
        template="channels/party_link_form.html",
        success_message=_("Länken är sparad."),
        success_url=lambda saved: reverse("channels:party-list"),
        context={"party": party, "link": link},
    )


@information_unit_required
@require_http_methods(["GET", "POST"])
def party_link_delete(request, party_pk: int, pk: int):
    link = get_object_or_404(PartyLink.objects.select_related("party"), pk=pk, party_id=party_pk)
    if request.method == "POST":
        services.delete_party_link(link, by=request.user)
        messages.success(request, _("Länken är borttagen."))
        return redirect("channels:party-list")
    return render(request, "channels/party_link_confirm_delete.html", {"link": link})


@information_unit_required
@require_http_methods(["GET", "POST"])
def publish(request):
    if request.method == "POST":
        form = PublishForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Förhandsgranskningen saknas. Granska ändringarna igen."))
            return redirect("channels:publish")
        try:
            version = services.publish_register(by=request.user, base=form.cleaned_data["base"])
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("channels:publish")
        messages.success(
            request, _("Version %(number)s är publicerad.") % {"number": version.number}
        )
        return redirect("channels:version-list")
    latest = selectors.latest_version()
    diff = services.publish_preview()
    return render(
        request,
        "channels/publish.html",
        {
            "diff": diff,
            "unchanged": register.is_empty(diff),
            "latest": latest,
            "form": PublishForm(initial={"base": latest.number if latest else 0}),
        },
    )


@information_unit_required
def version_list(request):
    versions = RegisterVersion.objects.defer("content").select_related("published_by")
    rows = [{"version": v, "summary": register.summarise(v.change_summary)} for v in versions]
    return render(request, "channels/version_list.html", {"rows": rows})
