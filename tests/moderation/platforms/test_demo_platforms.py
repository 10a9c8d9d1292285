"""Every platform the tool connects to works on the demo platform as `make run` sets it up:
the demo account and credentials `seed_demo` gives a channel open the simulator's account,
and a pull stores its own posts with no error."""

import json

import pytest

from moderation.models import PlatformConnection
from moderation.platforms import demo, registry
from moderation.platforms.simulator import app
from moderation.services import pulls
from moderation.workflow import ItemKind
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

URLS = {
    "facebook": "https://www.facebook.com/bibblan-demo",
    "instagram": "https://www.instagram.com/bibblan_demo",
    "x": "https://x.com/bibblan_demo",
    "youtube": "https://www.youtube.com/@bibblan-demo",
    "blogg": "https://bibblan.atvidaberg.se/",
}


def test_every_platform_with_a_connector_is_on_the_demo_platform():
    assert sorted(registry.connectable_platforms()) == sorted(URLS)


@pytest.mark.parametrize("platform", sorted(URLS))
def test_a_demo_connection_pulls_the_demo_accounts_own_posts(simulator, library, platform):
    channel = ChannelFactory(unit=library, platform=platform, url=URLS[platform])
    account_id = demo.demo_account_id(channel)
    token = "demo-hemlig-4711"
    app._module(registry.api_name(platform)).seed_demo(simulator, account_id, token)
    connection = PlatformConnection.objects.create(
        channel=channel,
        platform=platform,
        account_id=account_id,
        credentials=json.dumps(demo.demo_credentials(channel, account_id, token)),
    )

    result = pulls.pull_connection(connection.pk)

    assert (result.error, result.skipped) == ("", "")
    assert channel.items.filter(kind=ItemKind.POST).exists()
