from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.fields import IdChoiceField, IdMultipleChoiceField
from atvida_social.organisation.models import Unit
from channels.models import Channel

from .categories import Category
from .models import Item, Rule
from .workflow import MANUAL, DecisionKind, ItemKind, SlaState


class QueueFilterForm(forms.Form):
    channel = IdChoiceField(
        label=_("Kanal"), queryset=Channel.objects.none(), required=False, empty_label=_("Alla")
    )
    unit = IdChoiceField(
        label=_("Verksamhet"), queryset=Unit.objects.none(), required=False, empty_label=_("Alla")
    )
    category = forms.ChoiceField(
        label=_("Kategori"), choices=[("", _("Alla")), *Category.choices], required=False
    )
    sla = forms.ChoiceField(
        label=_("Svarstid"), choices=[("", _("Alla")), *SlaState.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Typ"), choices=[("", _("Alla")), *ItemKind.choices], required=False
    )
    assigned = forms.ChoiceField(
        label=_("Tilldelad"),
        choices=[("", _("Alla")), ("mig", _("Mig")), ("ingen", _("Ingen"))],
        required=False,
    )

    def __init__(self, *args, channels, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels
        self.fields["unit"].queryset = units


class ItemForm(forms.Form):
    """A staff member registers by hand what arrived (e.g. a message read on the platform)."""

    channel = IdChoiceField(label=_("Kanal"), queryset=Channel.objects.none())
    kind = forms.ChoiceField(label=_("Typ"), choices=ItemKind.choices)
    external_id = forms.CharField(
        label=_("Id på plattformen"),
        max_length=200,
        help_text=_("Står i inläggets adress; samma id registreras bara en gång."),
    )
    author = forms.CharField(label=_("Avsändare (som det visas)"), max_length=200, required=False)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))
    url = forms.URLField(
        label=_("Adress på plattformen"), max_length=1000, required=False, assume_scheme="https"
    )
    received_at = forms.DateTimeField(
        label=_("Inkom"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Beslut"), choices=[(k, DecisionKind(k).label) for k in MANUAL]
    )
    category = forms.ChoiceField(
        label=_("Kategori (vid borttagning)"),
        choices=[("", "–"), *Category.choices],
        required=False,
    )
    reply_text = forms.CharField(
        label=_("Svar"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000, required=False
    )
    forwarded_to = IdChoiceField(
        label=_("Vidarebefordra till person"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="–",
    )
    forwarded_to_unit = IdChoiceField(
        label=_("Vidarebefordra till verksamhet"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label="–",
    )
    diarienummer = forms.CharField(label=_("Diarienummer"), max_length=100, required=False)
    reason = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    police_report = forms.BooleanField(label=_("Polisanmäls"), required=False)
    police_reference = forms.CharField(
        label=_("Polisens diarienummer"), max_length=100, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forwarded_to"].queryset = (
            get_user_model().objects.filter(is_active=True).select_related("unit")
        )
        self.fields["forwarded_to_unit"].queryset = Unit.objects.order_by("name")


class AssignForm(forms.Form):
    assigned_to = IdChoiceField(
        label=_("Tilldela"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Ingen"),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = people


class BulkDecisionForm(DecisionForm):
    items = IdMultipleChoiceField(
        label=_("Inlägg"), queryset=Item.objects.none(), widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["name", "kind", "pattern", "category", "action", "is_active", "test_mode"]


class TryTextForm(forms.Form):
    text = forms.CharField(
        label=_("Prova en text mot reglerna"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
    )


class AbsenceForm(forms.Form):
    """An absence and its substitute; the people offered are those the user may register
    for, and their unit's colleagues. The service decides."""

    operator = IdChoiceField(
        label=_("Vem är frånvarande?"), queryset=get_user_model().objects.none()
    )
    starts_at = forms.DateTimeField(
        label=_("Från"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Till"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    substitute = IdChoiceField(
        label=_("Ersättare"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Ingen ersättare"),
        help_text=_(
            "En kollega i samma verksamhet som tar över tilldelningar och påminnelser under "
            "frånvaron."
        ),
    )
    reason = forms.CharField(label=_("Anledning (valfri)"), max_length=200, required=False)

    def __init__(self, *args, operators, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operators
        self.fields["substitute"].queryset = colleagues
