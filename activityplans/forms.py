from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.models import Unit
from atvida_social.organisation.roles import Role, is_information_unit
from channels.forms import DateInput, HttpsURLField
from channels.models import Channel

from .models import ActivityPlan
from .services import people_problems
from .workflow import FINAL


class StaffChoiceField(forms.ModelMultipleChoiceField):
    # Ids beyond a 64-bit key cannot exist; Django does not guard `pk__in` against them.
    MAX_ID = 2**63 - 1

    def _check_values(self, value):
        for pk in value:
            if str(pk).isdigit() and int(pk) > self.MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)

    def label_from_instance(self, user):
        unit = f", {user.unit}" if user.unit_id else ""
        return f"{user.get_full_name() or user.username}{unit} ({user.phone or 'telefon saknas'})"


class ManagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.get_full_name() or user.username}, {user.title or user.unit}"


class PlanForm(forms.ModelForm):
    administrators = StaffChoiceField(
        queryset=None,
        label=_("Vem ska administrera kontot?"),
        help_text=_(
            "Minst två administratörer behövs för alla konton (gäller ej förvaltningschefers "
            "bloggar). Telefon och e-post hämtas från deras profiler. Håll ned Ctrl (Cmd på "
            "Mac) för att välja flera."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    daily_operators = StaffChoiceField(
        queryset=None,
        label=_("Vem ska stå för den dagliga driften?"),
        help_text=_(
            "Den eller de som gör inlägg, besvarar frågor och modererar. Håll ned Ctrl (Cmd "
            "på Mac) för att välja flera."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = ActivityPlan
        fields = [
            "platform", "url", "account_name", "unit", "purpose", "audience", "goals",
            "measurable_goals", "is_administration_head_blog", "administrators",
            "daily_operators", "office_hours_only", "monitoring", "publishing_frequency",
            "hours_per_week", "other", "graphic_profile", "graphic_profile_deviation",
            "confidentiality_measures", "how_it_strengthens", "how_goals_are_measured",
            "how_audience_is_reached", "why_this_channel", "who_writes_and_archives",
            "consulted_information_unit", "guidelines_followed", "manager", "prepared_on",
        ]  # fmt: skip
        field_classes = {"url": HttpsURLField, "manager": ManagerChoiceField}
        widgets = {
            "prepared_on": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.Textarea(attrs={"rows": 2}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "measurable_goals": forms.Textarea(attrs={"rows": 2}),
            "monitoring": forms.Textarea(attrs={"rows": 2}),
            "other": forms.Textarea(attrs={"rows": 3}),
            "graphic_profile": forms.RadioSelect,
            "graphic_profile_deviation": forms.Textarea(attrs={"rows": 2}),
            "confidentiality_measures": forms.Textarea(attrs={"rows": 2}),
            "how_it_strengthens": forms.Textarea(attrs={"rows": 2}),
            "how_goals_are_measured": forms.Textarea(attrs={"rows": 2}),
            "how_audience_is_reached": forms.Textarea(attrs={"rows": 2}),
            "why_this_channel": forms.Textarea(attrs={"rows": 2}),
            "who_writes_and_archives": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        staff = get_user_model().objects.filter(is_active=True).select_related("unit")
        self.fields["administrators"].queryset = staff
        self.fields["daily_operators"].queryset = staff
        self.fields["manager"].queryset = staff.filter(groups__name=Role.MANAGER)
        units = Unit.objects.select_related("administration")
        if not is_information_unit(user):
            units = units.filter(pk=user.unit_id)
        self.fields["unit"].queryset = units

    def clean(self):
        cleaned = super().clean()
        platform, url = cleaned.get("platform"), cleaned.get("url")
        taken = Channel.objects.filter(platform=platform, url=url)
        if self.instance.channel_id:
            taken = taken.exclude(pk=self.instance.channel_id)
        if platform and url and taken.exists():
            self.add_error(
                "url",
                _(
                    "Kanalen finns redan i registret. Ändra den genom en ny revision av "
                    "kanalens aktivitetsplan."
                ),
            )
        # One plan per channel: also stops a resubmitted form from making a second draft.
        open_plans = (
            ActivityPlan.objects.filter(platform=platform, url=url)
            .exclude(status__in=FINAL)
            .exclude(pk=self.instance.pk)
        )
        if platform and url and open_plans.exists():
            self.add_error(
                "url", _("Det finns redan en pågående aktivitetsplan för den här kanalen.")
            )
        administrators = list(cleaned.get("administrators") or [])
        operators = list(cleaned.get("daily_operators") or [])
        self.instance.is_administration_head_blog = cleaned.get(
            "is_administration_head_blog", False
        )
        for field, messages in people_problems(self.instance, administrators, operators).items():
            for message in messages:
                self.add_error(field, message)
        return cleaned


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("Ditt lösenord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Du signerar med ditt eget lösenord."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class OptionalNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Kommentar (valfri)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )


class GraphicProfileDecisionForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("Beslut om avsteg från den grafiska profilen"),
        choices=[("ja", _("Avsteget godkänns")), ("nej", _("Avsteget godkänns inte"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )


class CredentialForm(forms.Form):
    username = forms.CharField(label=_("Användarnamn"), max_length=500)
    password = forms.CharField(
        label=_("Lösenord"),
        max_length=500,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )
    recovery_notes = forms.CharField(
        label=_("Återställningskoder för tvåstegsverifiering och anteckningar"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
    )
    expires_on = forms.DateField(
        label=_("Åtkomsten löper ut"),
        required=False,
        widget=DateInput(),
        help_text=_("Om plattformens åtkomst löper ut, t.ex. Metas token efter cirka 60 dagar."),
    )


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför behöver du se inloggningsuppgifterna?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Skälet sparas i granskningsloggen."),
    )
    password = forms.CharField(
        label=_("Ditt lösenord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Bekräfta med ditt eget lösenord att det är du."),
    )
