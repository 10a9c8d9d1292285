from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.fields import IdChoiceField, IdMultipleChoiceField
from atvida_social.organisation.models import Unit
from channels.models import Channel

from . import selectors
from .categories import Category
from .citizens import HOUSE_RULES, OTHER_REASON, OTHER_REASON_TITLE
from .models import Item, Rule
from .services.reports import clean_report
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
    # Direct messages are incoming public records until registered or judged trivial; this
    # lists them, also one settled otherwise before that was refused.
    unregistered = forms.BooleanField(label=_("Ej diarieförda direktmeddelanden"), required=False)
    # Decided items whose effect on the platform failed: the decision stands, the platform
    # still shows the item until someone tries again or does it there.
    plattformsfel = forms.BooleanField(label=_("Misslyckades på plattformen"), required=False)

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
    # Asked only where a removal is a rejection that cannot be undone (YouTube).
    confirm_reject = forms.BooleanField(
        label=_(
            "YouTube kan inte ta bort andras kommentarer, bara avvisa dem, och en avvisad "
            "kommentar kan aldrig publiceras igen. Avvisa ändå?"
        ),
        required=False,
    )

    def __init__(self, *args, kinds=None, asks_to_reject=False, **kwargs):
        """`kinds` narrows the decisions offered to those open to the item; a posted form
        accepts every manual decision, so that the service says why one is refused.
        `asks_to_reject`: a removal of this item is a rejection on YouTube, and the form
        requires `confirm_reject` for it (the service refuses nothing here)."""
        super().__init__(*args, **kwargs)
        self.asks_to_reject = asks_to_reject
        if not asks_to_reject:
            del self.fields["confirm_reject"]
        if kinds is not None:
            self.fields["kind"].choices = [(k, DecisionKind(k).label) for k in kinds]
        self.fields["forwarded_to"].queryset = (
            get_user_model().objects.filter(is_active=True).select_related("unit")
        )
        self.fields["forwarded_to_unit"].queryset = Unit.objects.order_by("name")

    def clean(self):
        data = super().clean()
        if (
            self.asks_to_reject
            and data.get("kind") == DecisionKind.REMOVE
            and not data.get("confirm_reject")
        ):
            self.add_error(
                "confirm_reject",
                _("Bekräfta att kommentaren ska avvisas på YouTube; det går inte att ångra."),
            )
        data.pop("confirm_reject", None)
        return data


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
        # The confirmation is asked when a chosen item is on a connected YouTube channel.
        super().__init__(*args, asks_to_reject=True, **kwargs)
        self.fields["items"].queryset = items

    def clean(self):
        chosen = self.cleaned_data.get("items")
        self.asks_to_reject = chosen is not None and selectors.rejected_instead_of_removed(
            Item.objects.filter(pk__in=[item.pk for item in chosen])
        )
        return super().clean()


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


class StatisticsFilterForm(forms.Form):
    """The statistics page's filters; units and channels are only those the user sees, so
    another unit's is an invalid choice."""

    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100, required=False)
    unit = IdChoiceField(
        label=_("Verksamhet"), queryset=Unit.objects.none(), required=False, empty_label=_("Alla")
    )
    channel = IdChoiceField(
        label=_("Kanal"), queryset=Channel.objects.none(), required=False, empty_label=_("Alla")
    )

    def __init__(self, *args, channels, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        unit, channel = data.get("unit"), data.get("channel")
        if unit is not None and channel is not None and channel.unit_id != unit.pk:
            self.add_error("channel", _("Kanalen hör inte till den valda verksamheten."))
        return data


class ReportForm(forms.Form):
    """A visitor reports offensive content (/sociala-medier/anmal). The fields only carry the
    input; `reports.clean_report` decides, so that the service and the form agree."""

    channel = IdChoiceField(
        label=_("Kanal"),
        queryset=Channel.objects.none(),
        empty_label=_("Välj kanal"),
        help_text=_("Kommunens kanal där innehållet finns."),
    )
    content_url = forms.CharField(
        label=_("Länk till innehållet"),
        widget=forms.URLInput(attrs={"maxlength": 1000, "autocomplete": "url"}),
        help_text=_(
            "Kopiera adressen till inlägget eller kommentaren, till exempel "
            "https://www.facebook.com/…"
        ),
    )
    reason = forms.ChoiceField(label=_("Varför anmäler du innehållet?"), widget=forms.RadioSelect)
    other_reason = forms.CharField(
        label=_("Om du valde Annat: vad är fel?"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 200}),
    )
    message = forms.CharField(
        label=_("Vill du berätta mer? (frivilligt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text=_("Högst 2 000 tecken."),
    )
    name = forms.CharField(
        label=_("Ditt namn (frivilligt)"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 70, "autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("Din e-postadress (frivilligt)"),
        required=False,
        widget=forms.EmailInput(attrs={"maxlength": 120, "autocomplete": "email"}),
        help_text=_("Om du vill att vi ska kunna kontakta dig om anmälan."),
    )

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels.select_related("unit")
        self.fields["channel"].label_from_instance = lambda channel: (
            f"{channel.account_name} ({channel.get_platform_display()}), {channel.unit.name}"
        )
        self.fields["reason"].choices = [
            *((str(rule.category), rule.title) for rule in HOUSE_RULES),
            (OTHER_REASON, OTHER_REASON_TITLE),
        ]

    def clean(self):
        cleaned = super().clean()
        data = {name: cleaned.get(name) for name in self.fields}
        try:
            self.report = clean_report(data)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field not in self.errors:
                    for message in messages:
                        self.add_error(field, message)
        return cleaned


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


class ConnectionForm(forms.Form):
    """A channel's platform access: the account's id and the secrets its connector asks for,
    as password inputs that are never filled in again (the service validates them)."""

    account_id = forms.CharField(label=_("Kontots id på plattformen"), max_length=200)

    def __init__(self, *args, connector_class, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account_id"].label = connector_class.ACCOUNT_ID_LABEL
        self.secret_names = []
        for name, label in connector_class.SECRET_FIELDS:
            self.secret_names.append(name)
            self.fields[f"secret_{name}"] = forms.CharField(
                label=label,
                max_length=4096,
                strip=True,
                widget=forms.PasswordInput(
                    render_value=False, attrs={"autocomplete": "new-password"}
                ),
            )

    @property
    def credentials(self) -> dict:
        return {name: self.cleaned_data[f"secret_{name}"] for name in self.secret_names}
