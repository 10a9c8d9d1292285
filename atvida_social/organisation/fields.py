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


# Ids beyond a 64-bit key cannot exist; Django does not guard lookups against them, and the
# database driver raises an overflow instead of "not found".
MAX_ID = 2**63 - 1


def _beyond_any_id(value) -> bool:
    text = str(value).strip()
    return text.isdigit() and int(text) > MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    """A choice of one object by id, where an impossible id is an invalid choice."""

    def to_python(self, value):
        if value not in self.empty_values and _beyond_any_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several objects by id, where an impossible id is an invalid choice."""

    def _check_values(self, value):
        for pk in value:
            if _beyond_any_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
