"""The profile in the pull (services.pulls): read after the content at most once a day, kept
on the connection and, when it changed, as a version; a failure there loses no item."""

import datetime

import pytest
from django.utils import timezone

from moderation.models import Item, ProfileVersion
from moderation.platforms.simulator.state import Fault
from moderation.services import pulls

from . import blog

NAME = "Bibliotekets blogg"
DESCRIPTION = "Boktips och evenemang från biblioteket."


@pytest.fixture
def channel(library, alice, bob, dora):
    return blog.blog_channel(library, alice, bob, dora)


@pytest.fixture
def post(simulator):
    post = blog.open_blog(simulator)
    simulator.set_profile("wordpress", blog.SITE, name=NAME, description=DESCRIPTION)
    return post


@pytest.fixture
def connection(channel, post):
    return blog.connect(channel)


def profile_calls(simulator) -> list:
    return [
        call
        for call in simulator.calls_to("wordpress")
        if call.path == f"/sites/{blog.SITE}/settings"
    ]


def test_a_pull_keeps_the_profile_on_the_connection_and_as_its_first_version(simulator, connection):
    now = timezone.now()

    result = pulls.pull_connection(connection.pk, now=now)

    connection.refresh_from_db()
    assert result.profile_read
    assert connection.profile == {
        "name": NAME,
        "description": DESCRIPTION,
        "url": f"https://{blog.SITE}",
        "read_at": now.isoformat(),
    }
    [version] = ProfileVersion.objects.filter(channel=connection.channel)
    assert (version.name, version.description, version.read_at) == (NAME, DESCRIPTION, now)
    # After the content: the post was stored first.
    paths = [call.path for call in simulator.calls_to("wordpress")]
    assert paths.index(f"/sites/{blog.SITE}/settings") > paths.index(f"/sites/{blog.SITE}/posts")


def test_the_profile_is_read_at_most_once_a_day(simulator, connection):
    now = timezone.now()
    pulls.pull_connection(connection.pk, now=now)

    hours = datetime.timedelta(hours=1)
    later = pulls.pull_connection(connection.pk, now=now + 23 * hours)
    next_day = pulls.pull_connection(connection.pk, now=now + 24 * hours + hours / 60)

    assert (later.profile_read, next_day.profile_read) == (False, True)
    assert len(profile_calls(simulator)) == 2


def test_a_changed_description_becomes_a_version_and_an_unchanged_one_does_not(
    simulator, connection
):
    now = timezone.now()
    pulls.pull_connection(connection.pk, now=now)
    pulls.pull_connection(connection.pk, now=now + datetime.timedelta(days=1, seconds=1))
    simulator.set_profile("wordpress", blog.SITE, description="Nu med sommarläsning!")

    pulls.pull_connection(connection.pk, now=now + datetime.timedelta(days=2, seconds=2))

    versions = ProfileVersion.objects.filter(channel=connection.channel).order_by("read_at")
    assert [v.description for v in versions] == [DESCRIPTION, "Nu med sommarläsning!"]
    assert versions[1].read_at == now + datetime.timedelta(days=2, seconds=2)
    connection.refresh_from_db()
    assert connection.profile["description"] == "Nu med sommarläsning!"


def test_a_failing_profile_read_keeps_the_items_and_waits_a_day(simulator, connection):
    simulator.inject(Fault("wordpress", "server_error", path=f"/sites/{blog.SITE}/settings"))
    now = timezone.now()

    result = pulls.pull_connection(connection.pk, now=now)
    again = pulls.pull_connection(connection.pk, now=now + datetime.timedelta(hours=1))

    connection.refresh_from_db()
    assert Item.objects.filter(channel=connection.channel).count() == 1
    assert result.created == 1
    assert "HTTP 500" in result.error
    assert connection.profile == {}
    assert connection.profile_tried_at == now
    assert not ProfileVersion.objects.exists()
    assert not again.profile_read
    assert len(profile_calls(simulator)) == 1
