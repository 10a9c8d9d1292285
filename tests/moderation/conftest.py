import datetime

import pytest

from atvida_social.organisation.roles import Role
from tests.factories import ActivityPlanFactory, ChannelFactory, UserFactory


@pytest.fixture
def dora(library):
    """Biblioteket's daily operator, named in the channel's current plan."""
    return UserFactory(username="dora", unit=library, roles=[Role.DAILY_OPERATOR])


@pytest.fixture
def channel(library, alice, bob, dora):
    """Biblioteket's Facebook page, with an approved plan that names dora and alice."""
    channel = ChannelFactory(
        unit=library, platform="facebook", url="https://www.facebook.com/bibblan-moderering"
    )
    ActivityPlanFactory(
        unit=library,
        channel=channel,
        platform="facebook",
        url=channel.url,
        status="godkand",
        manager=bob,
        prepared_by=alice,
        administrators=[alice],
        daily_operators=[dora],
    )
    return channel


# Friday 27 March 2026, 16:30 Stockholm time (CET, +01:00).
FRIDAY_AFTERNOON = "2026-03-27T16:30:00+01:00"


def item_data(**overrides) -> dict:
    data = {
        "external_id": "fb-1",
        "kind": "question",
        "author": "Anna Andersson",
        "text": "När öppnar biblioteket på lördag?",
        "received_at": FRIDAY_AFTERNOON,
        "url": "https://www.facebook.com/bibblan-moderering/posts/1",
        "parent": None,
    }
    return data | overrides


@pytest.fixture
def now():
    return datetime.datetime.fromisoformat("2026-03-30T09:00:00+02:00")
