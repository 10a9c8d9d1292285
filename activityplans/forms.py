from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.fields import DateInput, HttpsURLField, IdMultipleChoiceField
from atvida_social.organisation.models import Administration, Unit
from atvida_social.organisation.roles import Role, is_information_unit

from .models import SIGNED_FIELDS, WEEKDAYS, ActivityPlan
from .services import plan_rule_errors


class StaffChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, user):
        unit = f", {user.unit}" if user.unit_id else ""
        return f"{user.get_full_name() or user.username}{unit} ({user.phone or 'telefon saknas'})"


class ManagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.get_full_name() or user.username}, {user.title or user.unit}"


class WeekdaysField(forms.MultipleChoiceField):
    """Weekdays as checkboxes, stored as ISO digits ("135"); a stored value posted back as
    it is ("135") reads the same as the three boxes."""

    def __init__(self, **kwargs):
        super().__init__(choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = [value]
        return [day for part in (value or []) for day in str(part)]

    def clean(self, value):
        days = super().clean(value)
        return "".join(sorted(set(days)))


class PlanForm(forms.ModelForm):
    """Bilaga 2. Offers only the people the service accepts; the service decides."""

    # Not required here: the service's own message says what is missing.
    administrators = StaffChoiceField(
        queryset=None,
        required=False,
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
        required=False,
        label=_("Vem ska stå för den dagliga driften?"),
        help_text=_(
            "Den eller de som gör inlägg, besvarar frågor och modererar. Håll ned Ctrl (Cmd "
            "på Mac) för att välja flera."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    monitoring_weekdays = WeekdaysField(
        required=False,
        label=_("Vilka dagar"),
        help_text=_("För bevakning några gånger eller en gång i veckan: vilka dagar."),
    )

    class Meta:
        model = ActivityPlan
        # The author is recorded by the system; everything else that is signed is here.
        fields = [name for name in SIGNED_FIELDS if name != "prepared_by"]
        field_classes = {"url": HttpsURLField, "manager": ManagerChoiceField}
        widgets = {
            "prepared_on": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.Textarea(attrs={"rows": 2}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "measurable_goals": forms.Textarea(attrs={"rows": 2}),
            "monitoring": forms.Textarea(attrs={"rows": 2}),
            "monitoring_frequency": forms.RadioSelect,
            "monitoring_from": forms.TimeInput(attrs={"type": "time"}),
            "monitoring_until": forms.TimeInput(attrs={"type": "time"}),
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
        units = Unit.objects.select_related("administration")
        staff = get_user_model().objects.filter(is_active=True).select_related("unit")
        managers = staff.filter(groups__name=Role.MANAGER)
        if is_information_unit(user):
            # Informationsenheten may draw up a plan for any unit: the service checks the
            # people against the unit chosen.
            self.fields["unit"].queryset = units
        else:
            unit_id = self.instance.unit_id or user.unit_id
            self.fields["unit"].queryset = units.filter(pk=unit_id)
            head = Administration.objects.filter(units=unit_id).values("head")
            staff = staff.filter(
                Q(unit_id=unit_id) | Q(groups__name=Role.INFORMATION_UNIT)
            ).distinct()
            managers = managers.filter(Q(unit_id=unit_id) | Q(pk__in=head)).distinct()
        self.fields["administrators"].queryset = staff
        self.fields["daily_operators"].queryset = staff
        self.fields["manager"].queryset = managers
        if not self.is_bound:
            self.initial["monitoring_weekdays"] = list(self.instance.monitoring_weekdays or "")

    def _post_clean(self):
        super()._post_clean()
        # The same rules and messages as the service, shown beside the fields.
        administrators = list(self.cleaned_data.get("administrators") or [])
        operators = list(self.cleaned_data.get("daily_operators") or [])
        if self.instance.unit_id is None:
            return
        already_wrong = set(self.errors)
        for field, messages in plan_rule_errors(self.instance, administrators, operators).items():
            target = field if field in self.fields else None
            if target in already_wrong:
                continue
            for message in messages:
                self.add_error(target, message)


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
