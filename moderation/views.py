"""The moderation queue, an item and its thread, decisions, and the rules: parse → check access
(selector) → act (service) → respond."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from atvida_social.organisation.exceptions import DomainError, PermissionDeniedError
from atvida_social.organisation.models import Unit
from atvida_social.organisation.roles import (
    information_unit_required,
)
from channels.models import Channel
from channels.selectors import published_channels

from . import citizens, classification, deadlines, panels, selectors, services
from .categories import Category, RuleAction
from .forms import (
    AbsenceForm,
    AssignForm,
    BulkDecisionForm,
    DecisionForm,
    ItemForm,
    QueueFilterForm,
    RuleForm,
    TryTextForm,
)
from .models import Rule
from .services import supervision
from .workflow import SlaState


def _filtered_queue(request, now):
    items = selectors.queue(request.user)
    channels = Channel.objects.visible_to(request.user).select_related("unit")
    units = Unit.objects.visible_to(request.user)
    filters = QueueFilterForm(request.GET or None, channels=channels, units=units)
    if filters.is_valid():
        data = filters.cleaned_data
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
        if data["sla"] == SlaState.LATE:
            items = items.filter(due_at__lt=now)
        elif data["sla"] == SlaState.SOON_LATE:
            items = items.filter(warn_at__lte=now, due_at__gte=now)
        elif data["sla"] == SlaState.IN_TIME:
            items = items.filter(Q(warn_at__gt=now) | Q(due_at__isnull=True))
    return items, filters


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
            "rows": [(item, deadlines.sla_state_of(item, now)) for item in page],
            "filters": filters
            if filters.is_bound
            else QueueFilterForm(
                channels=filters.fields["channel"].queryset,
                units=filters.fields["unit"].queryset,
            ),
            "querystring": query.urlencode(),
            "bulk_form": DecisionForm(auto_id="id_bulk_%s"),
        },
    )


@login_required
def item_detail(request, pk: int):
    item = selectors.item_for_viewer(request.user, pk)
    now = timezone.now()
    return render(
        request,
        "moderation/item_detail.html",
        {
            "item": item,
            "thread": selectors.thread(item),
            "matches": list(item.matches.select_related("rule")),
            "highlighted": selectors.highlighted(item, request.user),
            "decisions": selectors.decisions_of(item),
            "sla": deadlines.sla_state_of(item, now),
            "may_moderate": selectors.may_moderate(request.user, item.channel),
            "may_handle": selectors.may_handle(request.user, item),
            "may_read_removed": selectors.may_read_removed_text(request.user),
            "panels": panels.item_panels(request.user, item),
            "form": DecisionForm(),
            "assign_form": AssignForm(
                initial={"assigned_to": item.assigned_to_id},
                people=selectors.moderators_of(item.channel),
            ),
        },
    )


def _report_errors(request, error: ValidationError) -> None:
    for field_messages in error.message_dict.values():
        for message in field_messages:
            messages.error(request, message)


def _form_errors(form, error: ValidationError) -> None:
    """The service's refusal beside the form's fields (or above the form)."""
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


@login_required
@require_POST
def item_decide(request, pk: int):
    item = selectors.item_for_viewer(request.user, pk)
    if not selectors.may_handle(request.user, item):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _report_errors(request, ValidationError(form.errors))
        return redirect("moderation:item-detail", item.pk)
    data = dict(form.cleaned_data)
    kind = data.pop("kind")
    try:
        services.decide_item(item, by=request.user, kind=kind, **data)
    except ValidationError as error:
        _report_errors(request, error)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Beslutet är registrerat."))
    return redirect("moderation:item-detail", item.pk)


@login_required
@require_POST
def item_assign(request, pk: int):
    item = selectors.item_for_viewer(request.user, pk)
    if not selectors.may_moderate(request.user, item.channel):
        raise PermissionDenied
    form = AssignForm(request.POST, people=selectors.moderators_of(item.channel))
    if not form.is_valid():
        _report_errors(request, ValidationError(form.errors))
        return redirect("moderation:item-detail", item.pk)
    chosen = form.cleaned_data["assigned_to"]
    try:
        assigned = services.assign_item(item, by=request.user, to=chosen)
    except ValidationError as error:
        _report_errors(request, error)
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
    form = BulkDecisionForm(request.POST, items=selectors.queue(request.user))
    if not form.is_valid():
        _report_errors(request, ValidationError(form.errors))
        return redirect("moderation:item-list")
    data = dict(form.cleaned_data)
    items, kind = list(data.pop("items")), data.pop("kind")
    try:
        services.decide_items(items, by=request.user, kind=kind, **data)
    except PermissionDeniedError as error:
        raise PermissionDenied from error
    except ValidationError as error:
        _report_errors(request, error)
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
    channels = Channel.objects.visible_to(request.user).filter(status="aktiv")
    form = ItemForm(request.POST or None, channels=channels)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        channel = data.pop("channel")
        try:
            item, created = services.register_item(channel, data, by=request.user)
        except PermissionDeniedError as error:
            raise PermissionDenied from error
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if created:
                messages.success(request, _("Inlägget är registrerat."))
            else:
                messages.info(request, _("Inlägget fanns redan; här är det."))
            return redirect("moderation:item-detail", item.pk)
    return render(request, "moderation/item_form.html", {"form": form})


@information_unit_required
def rule_list(request):
    rules = Rule.objects.all()
    try_form = TryTextForm(request.GET or None)
    tried = None
    if try_form.is_valid():
        text = try_form.cleaned_data["text"]
        tried = [
            (
                match,
                Category(match.category).label,
                RuleAction(match.action).label,
                text[match.start : match.end],
            )
            for match in classification.try_text(text)
        ]
    return render(
        request,
        "moderation/rule_list.html",
        {"rules": rules, "try_form": try_form, "tried": tried},
    )


@information_unit_required
@require_http_methods(["GET", "POST"])
def rule_edit(request, pk: int | None = None):
    rule = get_object_or_404(Rule, pk=pk) if pk is not None else None
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_rule(form.save(commit=False), by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Regeln är sparad."))
            return redirect("moderation:rule-list")
    return render(request, "moderation/rule_form.html", {"form": form, "rule": rule})


@login_required
def channel_house_rules(request, pk: int):
    """The channel's house rules as text to paste on the platform, for the staff who see the
    channel ("informera om syftet … vilka typer av kommentarer som inte får förekomma")."""
    channel = get_object_or_404(
        Channel.objects.visible_to(request.user).select_related("unit"), pk=pk
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


# --- Supervision: weekly review and absences (Bilaga 1) ----------------------------------


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
    channel = get_object_or_404(Channel.objects.visible_to(request.user), pk=pk)
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
        except PermissionDeniedError as error:
            raise PermissionDenied from error
        except ValidationError as error:
            _form_errors(form, error)
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
            _report_errors(request, error)
        else:
            messages.success(request, _("Frånvaron är avslutad."))
        return redirect("moderation:absence-list")
    return render(
        request,
        "moderation/absence_confirm_end.html",
        {"absence": absence, "started": absence.starts_at <= timezone.now()},
    )
