"""A service's refusal (ValidationError) shown to the person: as messages above the page, or
beside the form's fields."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def report_errors(request, error: ValidationError) -> None:
    for field_messages in error.message_dict.values():
        for message in field_messages:
            messages.error(request, message)


def form_errors(form, error: ValidationError) -> None:
    """The service's refusal beside the form's fields (or above the form)."""
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)
