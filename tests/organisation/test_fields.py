"""The shared form fields and widgets that channels' and activity plans' forms use."""

import datetime

from atvida_social.organisation.fields import DateInput, HttpsURLField


def test_address_typed_without_scheme_is_read_as_https():
    assert HttpsURLField().clean("www.facebook.com/atvidaberg") == (
        "https://www.facebook.com/atvidaberg"
    )


def test_date_input_gives_the_browser_date_picker_an_iso_date():
    html = DateInput().render("started_on", datetime.date(2026, 3, 5))

    assert 'type="date"' in html
    assert 'value="2026-03-05"' in html
