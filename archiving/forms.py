from django import forms
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.fields import IdChoiceField
from atvida_social.organisation.models import Unit
from channels.models import Channel

from .services.requests import NOTE_MAX_LENGTH


class SnapshotFilterForm(forms.Form):
    channel = IdChoiceField(
        label=_("Kanal"), queryset=Channel.objects.none(), required=False, empty_label=_("Alla")
    )
    unit = IdChoiceField(
        label=_("Verksamhet"), queryset=Unit.objects.none(), required=False, empty_label=_("Alla")
    )
    year = forms.IntegerField(label=_("År"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.exclude(status="planerad").select_related(
            "unit"
        )
        self.fields["unit"].queryset = Unit.objects.filter(channels__isnull=False).distinct()


class SnapshotRequestForm(forms.Form):
    """The reason for a snapshot on demand ("vid större förändringar")."""

    note = forms.CharField(
        label=_("Motivering"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Vilken större förändring gör att kanalen ska dokumenteras nu? Motiveringen sparas "
            "med ögonblicksbilden."
        ),
    )


# --- Culling (gallring), issue 10 ---


class DispositionDecisionForm(forms.Form):
    """The decision in the dokumenthanteringsplan that culling rests on."""

    reference = forms.CharField(
        label=_("Referens"),
        max_length=200,
        help_text=_("Beslutets diarienummer eller paragraf, till exempel KS 2026/17 § 4."),
    )
    description = forms.CharField(
        label=_("Beskrivning"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad beslutet säger om gallring av inlägg och kommentarer."),
    )
    adopted_on = forms.DateField(
        label=_("Antaget"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Datum då beslutet antogs (ÅÅÅÅ-MM-DD)."),
    )


class ItemHoldForm(forms.Form):
    """A legal hold on one item: it is not culled until the hold is lifted."""

    reason = forms.CharField(
        label=_("Anledning"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Till exempel en begäran om allmän handling eller ett pågående ärende."),
    )


class LegalHoldForm(ItemHoldForm):
    """A legal hold on a channel: nothing of it is culled until the hold is lifted."""

    channel = IdChoiceField(label=_("Kanal"), queryset=Channel.objects.none())
    field_order = ["channel", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.select_related("unit")
