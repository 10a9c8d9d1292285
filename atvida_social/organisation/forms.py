from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class LengthCheckedLogin:
    """Django's login form sets the username's max_length without a validator, so a long
    name would reach authenticate() and the lockout table (varchar 255) and crash there."""

    def clean_username(self):
        username = self.cleaned_data["username"]
        MaxLengthValidator(150)(username)
        return username


class AdminLoginForm(LengthCheckedLogin, AdminAuthenticationForm):
    pass


class LoginForm(LengthCheckedLogin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Fel användarnamn eller lösenord. Observera att båda fälten skiljer på stora "
            "och små bokstäver."
        ),
        "inactive": _("Kontot är inaktiverat. Kontakta informationsenheten."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Användarnamn")
        self.fields["password"].label = _("Lösenord")
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Sök verksamhet"), required=False, max_length=100)


def add_service_errors(form, error: ValidationError) -> None:
    """A service's refusal shown beside the form's fields it names, the rest above the form:
    the service enforces the rule, the form only shows what it said."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)
