"""Built-in detectors: personnummer and samordningsnummer, phone numbers, e-mail, links."""

import pytest

from moderation.matching import Action, Category, Matcher

MUNICIPAL = ["atvidaberg.se"]
ALLOWED = ["polisen.se", "krisinformation.se"]
BLOCKED = ["evil.example", "bad.polisen.se"]


def found(text, source=None):
    """(excerpt, source) of the built-in matches in ``text``."""
    matcher = Matcher(
        [], allowed_domains=ALLOWED, blocked_domains=BLOCKED, municipal_domains=MUNICIPAL
    )
    return [
        (text[m.start : m.end], m.source)
        for m in matcher.match(text)
        if source is None or m.source == source
    ]


# Personnummer and samordningsnummer (personnummer.dev rules)


@pytest.mark.parametrize(
    "number",
    [
        "811218-9876",  # YYMMDD-NNNN
        "811218+9876",  # + : a hundred years or older
        "8112189876",  # YYMMDDNNNN
        "19811218-9876",  # YYYYMMDD-NNNN
        "198112189876",  # YYYYMMDDNNNN
        "000229-1235",  # - : 2000, a leap year
        "20000229-1235",
    ],
)
def test_a_valid_personnummer_is_hidden_as_personal_data(number):
    [match] = Matcher([]).match(f"Mitt nummer är {number}, ring mig.")

    assert (match.start, match.end) == (15, 15 + len(number))
    assert (match.category, match.action) == (Category.PERSONUPPGIFTER, Action.HIDE)
    assert match.source == "personnummer"


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("811218-9877", "Luhn check digit"),
        ("811318-9875", "month 13"),
        ("811218-0008", "birth number 000"),
        ("000229+1235", "+ means 1900, not a leap year"),
        ("19000229-1235", "1900 is not a leap year"),
        ("811191-9877", "samordningsnummer for 31 November"),
        ("1811218-9876", "part of a longer number"),
        ("811218-98761", "part of a longer number"),
    ],
)
def test_an_invalid_personnummer_is_not_reported(number, why):
    assert found(f"Nummer {number} här", "personnummer") == [], why
    assert found(f"Nummer {number} här", "samordningsnummer") == [], why


@pytest.mark.parametrize("number", ["811278-9873", "811291-9876"])
def test_a_valid_samordningsnummer_has_its_day_plus_sixty(number):
    [match] = Matcher([]).match(f"Samordningsnummer {number}")

    assert match.source == "samordningsnummer"
    assert (match.category, match.action) == (Category.PERSONUPPGIFTER, Action.HIDE)


def test_a_ten_digit_number_that_is_a_personnummer_is_not_also_a_phone_number():
    assert found("Ring 0101011237") == [("0101011237", "personnummer")]


# Phone numbers


@pytest.mark.parametrize(
    "number",
    [
        "070-123 45 67",
        "0701234567",
        "+46 70 123 45 67",
        "+46701234567",
        "0046 70-123 45 67",
        "0120-123 45",  # Åtvidaberg
        "08-123 456 78",
        "08-123 456",  # eight digits, the fewest a Swedish number has
        "+46 (0)8-123 456 78",
    ],
)
def test_a_swedish_phone_number_is_flagged_as_personal_data(number):
    [match] = Matcher([]).match(f"Ring mig på {number} i kväll")

    assert (match.start, match.end) == (12, 12 + len(number))
    assert (match.category, match.action) == (Category.PERSONUPPGIFTER, Action.FLAG)
    assert match.source == "phone"


@pytest.mark.parametrize(
    "text",
    [
        "Mötet är 2026-03-27 kl 10.30",
        "Postnummer 597 30 Åtvidaberg",
        "Det kostar 12 345 kr",
        "Ring 070-12 om du vill",
        "Kod 0123456 och 42 st.",  # six digits after the 0: too short for a Swedish number
    ],
)
def test_dates_prices_and_short_numbers_are_not_phone_numbers(text):
    assert found(text, "phone") == []


# E-mail addresses


def test_a_private_email_address_is_flagged_as_personal_data():
    [match] = Matcher([]).match("Skriv till anna.svensson@gmail.com.")

    assert (match.start, match.end) == (11, 34)
    assert (match.category, match.action, match.detail) == (
        Category.PERSONUPPGIFTER,
        Action.FLAG,
        "gmail.com",
    )


@pytest.mark.parametrize(
    "address",
    ["info@atvidaberg.se", "rektor@skolan.Atvidaberg.se", "tips@polisen.se"],
)
def test_an_address_on_the_municipal_or_an_allowed_domain_is_not_private(address):
    assert found(f"Skriv till {address}") == []


def test_an_email_address_is_not_also_reported_as_a_link():
    assert found("Mejla kalle.nu@hotmail.com") == [("kalle.nu@hotmail.com", "email")]


# Links


@pytest.mark.parametrize(
    "link",
    [
        "https://exempel.com/sida?x=1",
        "http://exempel.com",
        "www.exempel.com",
        "exempel.nu",
        "kolla.exempel.se/erbjudande",
        "https://sv.wikipedia.org/wiki/Åtvidaberg_(ort)",
    ],
)
def test_every_other_link_is_flagged(link):
    assert found(f"Se {link}, den är bra.") == [(link, "link")]
    [match] = Matcher([]).match(f"Se {link}")
    assert (match.category, match.action) == (Category.LANKAR, Action.FLAG)


@pytest.mark.parametrize(
    "link",
    [
        "https://www.atvidaberg.se/kontakt",
        "atvidaberg.se",
        "https://polisen.se/tips",
        "https://www.krisinformation.se",
        "https://xn--tvidaberg-42a.se/",
    ],
)
def test_a_link_to_an_allowed_domain_or_its_subdomains_is_not_flagged(link):
    matcher = Matcher(
        [],
        allowed_domains=[*ALLOWED, "åtvidaberg.se"],
        blocked_domains=BLOCKED,
        municipal_domains=MUNICIPAL,
    )

    assert matcher.match(f"Läs mer på {link}.") == []


@pytest.mark.parametrize(
    "link", ["https://evil.example/x", "https://cdn.evil.example", "bad.polisen.se/sida"]
)
def test_a_link_to_a_blocked_domain_is_hidden_even_under_an_allowed_one(link):
    [match] = Matcher(
        [], allowed_domains=ALLOWED, blocked_domains=BLOCKED, municipal_domains=MUNICIPAL
    ).match(f"Klicka {link} nu")

    assert (match.category, match.action, match.source) == (
        Category.LANKAR,
        Action.HIDE,
        "blocked_link",
    )


def test_ordinary_abbreviations_and_times_are_not_links():
    assert found("Vi ses t.ex. kl.10 eller o.s.v. i dag.") == []
    assert found("Se exempel.com, t.ex. kl.10 o.s.v.") == [("exempel.com", "link")]
