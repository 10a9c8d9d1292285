import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from atvida_social.organisation.validators import (
    normalise_swedish_phone,
    validate_municipal_email,
    validate_single_line,
    validate_swedish_phone,
)


@pytest.mark.parametrize(
    "number",
    [
        "0120-830 00",
        "070-123 45 67",
        "+46 70 123 45 67",
        "0046701234567",
        "08-123 456",
        "(013) 12 34 56",
    ],
)
def test_swedish_phone_numbers_are_accepted(number):
    validate_swedish_phone(number)


@pytest.mark.parametrize(
    "number",
    ["", "12345", "070-123", "0701234567890", "+47 22 33 44 55", "07O-1234567", "00-1234567"],
)
def test_other_phone_numbers_are_refused_in_swedish(number):
    with pytest.raises(ValidationError, match="svenskt telefonnummer"):
        validate_swedish_phone(number)


def test_international_prefix_normalises_to_national_form():
    assert normalise_swedish_phone("+46 (0)70-123 45 67") == "0701234567"


def test_email_on_the_municipal_domain_is_accepted():
    validate_municipal_email("Karin.Kullberg@Atvidaberg.se")


@pytest.mark.parametrize(
    "address", ["karin@gmail.com", "karin@atvidaberg.se.evil.com", "karin@sub.atvidaberg.sex"]
)
def test_email_outside_the_municipal_domains_is_refused(address):
    with pytest.raises(ValidationError, match="kommunens domän"):
        validate_municipal_email(address)


@override_settings(MUNICIPALITY_EMAIL_DOMAINS=["kinda.se", "kommun.kinda.se"])
def test_official_domains_come_from_settings():
    validate_municipal_email("a@kommun.kinda.se")
    with pytest.raises(ValidationError):
        validate_municipal_email("a@atvidaberg.se")


@pytest.mark.parametrize(
    "value",
    ["Bibblan\nrad två", "Bibblan\r", "Bibb\x00lan", "Bibblan\u202egnp.exe", "a\u2066b", "a\x85b"],
)
def test_single_line_refuses_line_breaks_controls_and_direction_overrides(value):
    with pytest.raises(ValidationError) as caught:
        validate_single_line(value)
    assert "en rad" in caught.value.messages[0]


@pytest.mark.parametrize("value", ["", "Åtvidabergs bibliotek", "@hemti_abg – kultur & fritid"])
def test_single_line_accepts_ordinary_names(value):
    validate_single_line(value)
