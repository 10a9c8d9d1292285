"""Validation of contact details, shared by every form that takes them."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_PHONE_SEPARATORS = re.compile(r"[\s\-()/]")
# Area code and subscriber number together: 8 to 10 digits with the leading zero.
_SWEDISH_NATIONAL_NUMBER = re.compile(r"0[1-9]\d{6,8}")


def normalise_swedish_phone(value: str) -> str:
    """'+46 70-123 45 67' → '0701234567'; the stored form stays as the user typed it."""
    digits = _PHONE_SEPARATORS.sub("", value or "")
    if digits.startswith("+46"):
        digits = "0" + digits[3:].removeprefix("0")
    elif digits.startswith("0046"):
        digits = "0" + digits[4:].removeprefix("0")
    return digits


def is_swedish_phone(value: str) -> bool:
    return bool(_SWEDISH_NATIONAL_NUMBER.fullmatch(normalise_swedish_phone(value)))


def validate_swedish_phone(value: str) -> None:
    if not is_swedish_phone(value):
        raise ValidationError(
            _("Ange ett svenskt telefonnummer, till exempel 0120-830 00 eller 070-123 45 67."),
            code="invalid_phone",
        )


def is_municipal_email(value: str) -> bool:
    _local, at, domain = (value or "").rpartition("@")
    return bool(at) and domain.lower() in settings.MUNICIPALITY_EMAIL_DOMAINS


def validate_municipal_email(value: str) -> None:
    """Accounts show an address on the employer's domain (Avsändare och grafisk profil)."""
    if value and not is_municipal_email(value):
        domains = ", ".join(settings.MUNICIPALITY_EMAIL_DOMAINS)
        raise ValidationError(
            _("E-postadressen måste höra till kommunens domän (%(domains)s).")
            % {"domains": domains},
            code="not_municipal_email",
        )


# Control characters (C0, DEL, C1) and the bidirectional overrides, embeddings and isolates
# that can make a name read differently from what is stored (CVE-2021-42574, "Trojan Source").
_FORBIDDEN_IN_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def validate_single_line(value: str) -> None:
    """A name, title or other one-line value: no line breaks, control or direction characters."""
    if value and _FORBIDDEN_IN_LINE.search(value):
        raise ValidationError(
            _(
                "Texten får bara vara en rad och får inte innehålla styrtecken eller tecken "
                "som ändrar skrivriktningen."
            ),
            code="not_single_line",
        )
