import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def test_facebook_channel_with_instagram_address_fails_validation(library):
    channel = ChannelFactory.build(
        unit=library, platform="facebook", url="https://www.instagram.com/bibblan"
    )

    with pytest.raises(ValidationError) as error:
        channel.full_clean()

    assert "url" in error.value.message_dict


def test_contact_email_must_be_on_the_municipal_domain(library):
    channel = ChannelFactory.build(unit=library, contact_email="bibblan@gmail.com")

    with pytest.raises(ValidationError) as error:
        channel.full_clean()

    assert "kommunens domän" in error.value.message_dict["contact_email"][0]


def test_closed_channel_needs_an_end_date_not_before_its_start(library):
    channel = ChannelFactory.build(
        unit=library,
        status="avslutad",
        started_on=datetime.date(2025, 3, 1),
        ended_on=datetime.date(2025, 2, 1),
    )

    with pytest.raises(ValidationError) as error:
        channel.full_clean()

    assert "Slutdatum kan inte vara före startdatum." in error.value.message_dict["ended_on"]


def test_active_channel_needs_a_start_date(library):
    channel = ChannelFactory.build(unit=library, status="aktiv", started_on=None)

    with pytest.raises(ValidationError) as error:
        channel.full_clean()

    assert "started_on" in error.value.message_dict
