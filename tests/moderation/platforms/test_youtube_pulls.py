"""Pulling a connected YouTube channel through the pull service (services.pulls) against
the simulated YouTube: a later edit of the channel's own video becomes a version of its
item, the earlier text kept, and an unchanged video changes nothing."""

import json
import time

import pytest

from moderation.models import PlatformConnection
from moderation.platforms.youtube import simulator as sim
from moderation.services import pulls
from tests.conftest import moderated_channel

pytestmark = pytest.mark.django_db

CHANNEL = "UCkommunAtvidaberg000001"
REFRESH = "1//0gRefreshTokenSecret-xyzzy"


@pytest.fixture
def connection(simulator, library, alice, bob, dora):
    simulator.grant("youtube", REFRESH, CHANNEL, sim.PERMISSIONS)
    channel = moderated_channel(
        library, alice, bob, dora, platform="youtube", url="https://www.youtube.com/@bibblan"
    )
    return PlatformConnection.objects.create(
        channel=channel,
        platform="youtube",
        account_id=CHANNEL,
        credentials=json.dumps(
            {"refresh_token": REFRESH, "client_id": "123-abc.apps", "client_secret": "hemlig"}
        ),
    )


def test_an_edited_video_becomes_a_new_version_with_the_earlier_text_kept(simulator, connection):
    video = sim.add_video(
        simulator, CHANNEL, "Budget 2027", "Så används skatten.", created=time.time() - 900
    )
    pulls.pull_connection(connection.pk)
    sim.edit_video(simulator, video.id, "Budget 2027 (rättad)", "Så används skattepengarna.")

    result = pulls.pull_connection(connection.pk)

    item = connection.channel.items.get(external_id=video.id)
    assert (result.error, result.created) == ("", 0)
    assert item.text == "Budget 2027 (rättad)\n\nSå används skattepengarna."
    assert [version.text for version in item.versions.all()] == [
        "Budget 2027\n\nSå används skatten."
    ]


def test_an_unchanged_video_adds_no_version(simulator, connection):
    video = sim.add_video(simulator, CHANNEL, "Budget 2027", created=time.time() - 900)
    pulls.pull_connection(connection.pk)

    again = pulls.pull_connection(connection.pk)

    item = connection.channel.items.get(external_id=video.id)
    # Nothing handed over: the check found the text it handed over last.
    assert (again.error, again.created, again.seen) == ("", 0, 0)
    assert item.text == "Budget 2027"
    assert not item.versions.exists()
