from django import forms
from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.fields import DateInput, HttpsURLField
from atvida_social.organisation.models import Unit

from .models import Channel, ChannelStatus, Party, PartyLink, Platform


class ChannelForm(forms.ModelForm):
    class Meta:
        model = Channel
        fields = [
            "platform",
            "account_name",
            "url",
            "unit",
            "status",
            "started_on",
            "ended_on",
            "description",
            "contact_email",
        ]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}
        field_classes = {"url": HttpsURLField}
        help_texts = {
            "url": _("Fullständig adress som börjar med https://, på plattformens egen domän."),
            "description": _("Visas för medborgare: vad kanalen används till."),
            "contact_email": _("En adress på kommunens domän."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.select_related("administration")


class ChannelFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök"), required=False, max_length=100)
    platform = forms.ChoiceField(
        label=_("Socialt medium"), required=False, choices=[("", _("Alla")), *Platform.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alla")), *ChannelStatus.choices]
    )


class PartyFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök parti"), required=False, max_length=100)
    represented = forms.ChoiceField(
        label=_("Representerat"),
        required=False,
        choices=[("", _("Alla")), ("ja", _("Ja")), ("nej", _("Nej"))],
    )


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ["name", "is_represented", "term_start", "term_end"]


class PartyLinkForm(forms.ModelForm):
    class Meta:
        model = PartyLink
        fields = ["platform", "url"]
        field_classes = {"url": HttpsURLField}

    def __init__(self, *args, party=None, **kwargs):
        super().__init__(*args, **kwargs)
        if party is not None:
            self.instance.party = party


class PublishForm(forms.Form):
    # The version the preview was based on: publishing refuses if another came in between.
    base = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
