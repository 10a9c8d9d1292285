"""Comments on Facebook posts and Instagram media older than the pull's 90-day window, pulled
through the services against the simulator: a rolling sweep looks at a bounded slice of the
older posts each round, continues where the last round stopped and starts over after the
oldest, so that a comment on a 200-day-old post arrives within one sweep, once."""

import json
import math
import time

import pytest

from moderation.models import Item, PullCursor
from moderation.platforms import meta
from moderation.platforms.facebook import simulator as fbsim
from moderation.platforms.instagram import simulator as igsim
from moderation.services import connections, pulls
from tests.conftest import moderated_channel

pytestmark = pytest.mark.django_db

DAY = 24 * 3600
OLDER = 60
PLATFORMS = {
    "facebook": ("104523998765432", "EAAB-sidans-hemliga-token-123", fbsim, "facebook.com"),
    "instagram": ("17841405822304914", "IGQV-kontots-hemliga-token-456", igsim, "instagram.com"),
}


@pytest.fixture(params=sorted(PLATFORMS))
def world(request, simulator, library, alice, bob, dora):
    """The platform's account with its two new demo posts and OLDER posts from 200 days ago
    and earlier (oldest first, as they arrived), connected to a channel: (platform, account,
    older posts, connection)."""
    platform = request.param
    account, token, sim, host = PLATFORMS[platform]
    sim.seed_demo(simulator, account, token)
    now = time.time()
    older = [
        simulator.add(
            platform,
            account,
            "post",
            f"Gammalt inlägg {number}",
            by_account=True,
            created=now - 200 * DAY - (OLDER - number) * 3600,
        )
        for number in range(OLDER)
    ]
    channel = moderated_channel(
        library, alice, bob, dora, platform=platform, url=f"https://www.{host}/bibblan"
    )
    connection = connections.save_connection(
        channel, by=alice, account_id=account, credentials={"access_token": token}
    )
    return platform, account, older, connection


ROUNDS = math.ceil(OLDER / meta.SWEEP_SIZE)


def pull(connection, times: int) -> int:
    """`times` pulls, each due at once; the items they created."""
    created = 0
    for _ in range(times):
        result = pulls.pull_connection(connection.pk)
        assert result.error == ""
        created += result.created
    return created


def thread_reads(simulator, platform, posts) -> list[str]:
    ids = {f"/{post.id}/comments" for post in posts}
    return [call.path for call in simulator.calls_to(platform, "GET") if call.path in ids]


def test_a_comment_on_a_200_day_old_post_arrives_within_one_sweep_and_once(simulator, world):
    platform, account, older, connection = world
    pull(connection, ROUNDS)  # the first sweep: every older post seen once
    oldest = older[0]  # the last the sweep reaches
    written = simulator.add(
        platform, account, "comment", "Gäller detta fortfarande?", parent=oldest.id
    )

    arrived_after = None
    for number in range(1, ROUNDS + 1):
        pull(connection, 1)
        if Item.objects.filter(external_id=written.id).exists():
            arrived_after = number
            break
    created_later = pull(connection, ROUNDS + 1)

    assert arrived_after is not None
    item = Item.objects.get(channel=connection.channel, external_id=written.id)
    assert (item.text, item.parent.external_id) == ("Gäller detta fortfarande?", oldest.id)
    assert created_later == 0


def test_each_round_looks_at_one_bounded_slice_of_the_older_posts(simulator, world):
    platform, account, older, connection = world
    listing = "/{}/{}".format(account, "posts" if platform == "facebook" else "media")

    slices = []
    for _ in range(ROUNDS + 1):
        simulator.calls.clear()
        pull(connection, 1)
        sweeps = [
            call
            for call in simulator.calls_to(platform, "GET")
            if call.path == listing and "until" in call.params
        ]
        assert [call.params["limit"] for call in sweeps] == [str(meta.SWEEP_SIZE)]
        slices.append(set(thread_reads(simulator, platform, older)))

    # Every older post is read in the first sweep, each once; then the sweep starts over.
    first = set().union(*slices[:ROUNDS])
    assert first == {f"/{post.id}/comments" for post in older}
    assert sum(len(s) for s in slices[:ROUNDS]) == OLDER
    assert all(len(s) <= meta.SWEEP_SIZE for s in slices)


def test_older_threads_that_did_not_change_are_not_read_again(simulator, world):
    platform, _account, older, connection = world
    pull(connection, ROUNDS)
    simulator.calls.clear()

    pull(connection, ROUNDS)

    assert thread_reads(simulator, platform, older) == []


@pytest.mark.parametrize(
    "pulled",
    # The demo post is listed after the older ones (it arrived first): the next slice does
    # not reach it (it is handed over at the round's end), or reaches it in that very round.
    [ROUNDS + 1, ROUNDS + 2],
)
def test_a_post_leaving_the_window_keeps_what_the_window_knew_of_it(simulator, world, pulled):
    platform, account, _older, connection = world
    recent = simulator.listing(platform, account, "post")[0]  # a demo post, created now
    simulator.add(platform, account, "comment", "Första", parent=recent.id)
    pull(connection, pulled)
    recent.created -= 100 * DAY  # it is now older than the window
    simulator.calls.clear()

    pull(connection, ROUNDS + 1)

    assert thread_reads(simulator, platform, [recent]) == []


def test_the_cursor_remembers_a_bounded_number_of_older_posts(simulator, world, monkeypatch):
    _platform, _account, older, connection = world
    monkeypatch.setattr(meta, "MAX_SWEEP_TRACKED", 10)

    pull(connection, ROUNDS)

    cursor = json.loads(PullCursor.objects.get(connection=connection, kind="comments").cursor)
    remembered = cursor["sweep"]["seen"]
    assert len(remembered) == 10
    # The most lately seen are kept: the last slice's, the oldest posts.
    assert set(remembered) <= {post.id for post in older[:10]}
