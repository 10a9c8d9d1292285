"""Form fields and widgets that every app's forms share."""

from django import forms


class HttpsURLField(forms.URLField):
    """An address typed without a scheme is read as https (Django 6's default)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class DateInput(forms.DateInput):
    """The browser's own date picker, which needs the ISO format to show a stored value."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
