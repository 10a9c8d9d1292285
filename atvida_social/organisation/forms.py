from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
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
