"""Names are one line: a line break or a direction override in a name broke mail headers and
can make a name read differently from what is stored."""

import pytest
from django.core.exceptions import ValidationError

from channels import services as channel_services
from tests.factories import ChannelFactory, PartyFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

BAD = ["Bibblan\nBcc: alla@example.com", "Bibblan\u202eflipped"]


@pytest.mark.parametrize("name", BAD)
def test_the_register_refuses_a_channel_name_on_two_lines(ingrid, name):
    channel = ChannelFactory.build(unit=UnitFactory(), account_name=name, status="planerad")

    with pytest.raises(ValidationError) as caught:
        channel_services.save_channel(channel, by=ingrid)

    assert "account_name" in caught.value.message_dict


@pytest.mark.parametrize("name", BAD)
def test_party_unit_and_title_refuse_line_breaks_and_overrides(name):
    party = PartyFactory.build(name=name)
    unit = UnitFactory.build(name=name)
    user = UserFactory.build(title=name)

    for obj, field in ((party, "name"), (unit, "name"), (user, "title")):
        with pytest.raises(ValidationError) as caught:
            obj.full_clean()
        assert field in caught.value.message_dict
