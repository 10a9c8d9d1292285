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
