"""The culling pages' forms: the decision culling rests on and a legal hold (gallringsstopp)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.fields import IdChoiceField
from channels.models import Channel


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
