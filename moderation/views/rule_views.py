"""The rules page of Informationsenheten: the rules and domain lists, a box to try a text
against them, and editing a rule."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from atvida_social.organisation.forms import add_service_errors
from atvida_social.organisation.roles import information_unit_required

from .. import classification, services
from ..categories import Category, RuleAction
from ..forms import RuleForm, TryTextForm
from ..models import Rule


@information_unit_required
def rule_list(request):
    rules = list(Rule.objects.all())
    for rule in rules:
        rule.problem = classification.rule_problem(rule)
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("Regeln är sparad."))
            return redirect("moderation:rule-list")
    return render(
        request,
        "moderation/rule_form.html",
        {"form": form, "rule": rule, "regex_text_limit": settings.MODERATION_REGEX_TEXT_LIMIT},
    )
