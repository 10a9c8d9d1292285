"""Pulling a connected X account through the pull service (services.pulls) against the
simulated X: a reply deep in the account's own conversation arrives in its thread, nothing
is stored twice, and a rate limit on the conversation search rests the connection without
losing where the search stood."""

import datetime
import json

import pytest

from moderation.models import PlatformConnection, PullCursor
from moderation.platforms.simulator.state import Fault
from moderation.platforms.x import simulator as x_simulator
from moderation.services import pulls
from tests.conftest import moderated_channel

pytestmark = pytest.mark.django_db

ACCOUNT = "2244994945"
TOKEN = "xa-hemlig-token-4711"


@pytest.fixture
def connection(simulator, library, alice, bob, dora):
    simulator.grant("x", TOKEN, ACCOUNT, x_simulator.PERMISSIONS)
    channel = moderated_channel(
        library, alice, bob, dora, platform="x", url="https://x.com/bibblan"
    )
    return PlatformConnection.objects.create(
        channel=channel,
        platform="x",
        account_id=ACCOUNT,
        credentials=json.dumps({"access_token": TOKEN}),
    )


def own_post(state, text="Simhallen är stängd vecka 44."):
    return state.add("x", ACCOUNT, "post", text, author="Kommunen", by_account=True)


def reply_to(state, parent, text="Varför då?", author="Anna Svensson"):
    return state.add("x", ACCOUNT, "comment", text, author=author, parent=parent.id)


def conversations_cursor(connection) -> dict:
    return json.loads(PullCursor.objects.get(connection=connection, kind="conversations").cursor)


def test_a_reply_deep_in_the_accounts_conversation_is_stored_under_what_it_answers(
    simulator, connection
):
    post = own_post(simulator)
    answer = reply_to(simulator, post)
    deep = reply_to(simulator, answer, "Det där stämmer inte, Anna.", author="Cilla Berg")

    result = pulls.pull_connection(connection.pk)

    assert result.error == ""
    item = connection.channel.items.get(external_id=deep.id)
    assert (item.kind, item.parent.external_id, item.parent.parent.external_id) == (
        "comment",
        answer.id,
        post.id,
    )


def test_a_second_pull_stores_nothing_twice(simulator, connection):
    post = own_post(simulator)
    answer = reply_to(simulator, post)
    reply_to(simulator, answer, "Det där stämmer inte.", author="Cilla Berg")
    # Naming the account: it comes by the mentions and by its conversation alike.
    named = reply_to(
        simulator,
        answer,
        f"Vad säger @{x_simulator.username(ACCOUNT)} om det här?",
        author="Dan Ek",
    )

    first = pulls.pull_connection(connection.pk)
    again = pulls.pull_connection(connection.pk)

    assert (first.error, first.created, again.error, again.created) == ("", 4, "", 0)
    assert connection.channel.items.count() == 4
    last_search = [
        call
        for call in simulator.calls_to("x", "GET")
        if call.params.get("query", "").startswith("conversation_id:")
    ][-1]
    assert last_search.params["since_id"] == named.id


def test_a_rate_limit_on_the_conversation_search_rests_the_pull_and_keeps_its_cursor(
    simulator, connection, time_machine
):
    answer = reply_to(simulator, own_post(simulator))
    pulls.pull_connection(connection.pk)
    before = conversations_cursor(connection)
    deep = reply_to(simulator, answer, "Det där stämmer inte.", author="Cilla Berg")
    simulator.inject(
        Fault("x", "rate_limit", path="/tweets/search/recent", query="query=conversation_id:")
    )

    limited = pulls.pull_connection(connection.pk)

    connection.refresh_from_db()
    assert limited.error.startswith("X:s gräns för antalet anrop är nådd")
    assert connection.backoff_until > datetime.datetime.now(tz=datetime.UTC)
    assert connection.next_pull_at >= connection.backoff_until
    kept = conversations_cursor(connection)
    [conversation] = before["conversations"]
    assert kept["conversations"][conversation] == before["conversations"][conversation]
    assert kept["queue"] == [conversation]
    assert not connection.channel.items.filter(external_id=deep.id).exists()

    time_machine.move_to(connection.backoff_until + datetime.timedelta(seconds=1))
    rested = pulls.pull_connection(connection.pk)

    assert (rested.error, rested.skipped) == ("", "")
    stored = connection.channel.items.get(external_id=deep.id)
    assert stored.parent.external_id == answer.id
