"""A service's refusal (ValidationError) shown to the person as messages above the page
(beside a form's fields: `atvida_social.organisation.forms.add_service_errors`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def report_errors(request, error: ValidationError) -> None:
    for field_messages in error.message_dict.values():
        for message in field_messages:
            messages.error(request, message)
