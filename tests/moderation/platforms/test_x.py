"""The X connector against the simulator: pulls (pages, resumption, increments, limits,
expired access), actions (endpoints, idempotence, the nearest thing X allows), the
connection test and the renewal of an expired access token."""

import datetime
import json
import time
from pathlib import Path

import httpx
import pytest

from moderation.platforms import registry
from moderation.platforms.base import (
    AccessExpired,
    ActionResult,
    ActionTarget,
    PlatformError,
    RateLimited,
)
from moderation.platforms.simulator.state import Fault
from moderation.platforms.x import connector as x_connector
from moderation.platforms.x import simulator as x_simulator
from moderation.platforms.x.connector import XConnector

ACCOUNT = "1234567890"
TOKEN = "xa-hemlig-token-4711"
REFRESH = "xr-hemlig-fornyelse-0815"


@pytest.fixture
def world(simulator):
    simulator.grant("x", TOKEN, ACCOUNT, x_simulator.PERMISSIONS)
    return simulator


def connect(page_size: int = 5, **credentials) -> XConnector:
    connector = registry.connector_for(
        "x", account_id=ACCOUNT, credentials={"access_token": TOKEN, **credentials}
    )
    connector.page_size = page_size
    return connector


def own_post(state, text="Simhallen är stängd vecka 44."):
    return state.add("x", ACCOUNT, "post", text, author="Kommunen", by_account=True)


def reply_to(state, parent, text="Varför då?", author="Anna Svensson"):
    return state.add("x", ACCOUNT, "comment", text, author=author, parent=parent.id)


def mention(state, text="@kommunen hej!", author="Bo Ek"):
    """A post by someone else that mentions the account and starts its own conversation."""
    return state.add("x", ACCOUNT, "comment", text, author=author)


def pull(connector, kind, cursor=""):
    """Every page of `kind` from `cursor`: (the items' ids in order, the last cursor)."""
    ids = []
    while True:
        page = connector.fetch(kind, cursor)
        ids += [item.external_id for item in page.items]
        cursor = page.cursor
        if not page.more:
            return ids, cursor


def target(obj) -> ActionTarget:
    return ActionTarget(external_id=obj.id, kind="comment", parent=obj.parent)


# --- Pull -------------------------------------------------------------------------------


def test_own_posts_are_read_page_by_page_to_the_end(world):
    posts = [own_post(world, f"Inlägg {number}") for number in range(12)]

    ids, _cursor = pull(connect(), "posts")

    assert sorted(ids) == sorted(post.id for post in posts)
    calls = world.calls_to("x", "GET")
    assert [call.path for call in calls] == [f"/users/{ACCOUNT}/tweets"] * 3
    assert "pagination_token" not in calls[0].params
    assert calls[1].params["pagination_token"]
    assert calls[2].params["pagination_token"]
    assert calls[0].params["max_results"] == "5"
    assert calls[0].params["expansions"] == "author_id"


@pytest.mark.parametrize("fault", ["server_error", "cut_short"])
def test_a_failure_mid_pull_resumes_after_the_last_saved_page(world, fault):
    comments = [mention(world, f"@kommunen nummer {number}") for number in range(12)]
    connector = connect()
    first = connector.fetch("mentions", "")
    assert first.more
    world.inject(Fault("x", fault, path=f"/users/{ACCOUNT}/mentions"))

    with pytest.raises(PlatformError):
        connector.fetch("mentions", first.cursor)
    rest, _cursor = pull(connector, "mentions", first.cursor)

    seen = [item.external_id for item in first.items] + rest
    assert sorted(seen) == sorted(comment.id for comment in comments)
    assert len(seen) == len(set(seen))


def test_a_second_pull_reads_only_what_is_new_or_edited(world):
    post = own_post(world)
    replies = [reply_to(world, post, f"Svar {number}") for number in range(7)]
    connector = connect()
    _ids, cursor = pull(connector, "mentions")
    world.edit("x", replies[2].id, "Svar 2, ändrat")
    newcomer = mention(world, "@kommunen ny fråga")

    page = connector.fetch("mentions", cursor)

    assert not page.more
    assert {item.external_id: item.text for item in page.items} == {
        newcomer.id: "@kommunen ny fråga",
        # The edit has a new id on X and keeps the first one here.
        replies[2].id: "Svar 2, ändrat",
    }
    assert world.calls_to("x")[-1].params["since_id"]


def test_replies_are_searched_as_replies_to_the_account(world):
    post = own_post(world)
    answer = reply_to(world, post)
    mention(world)

    ids, _cursor = pull(connect(page_size=10), "replies")

    assert ids == [answer.id]
    [call] = world.calls_to("x")
    assert call.path == "/tweets/search/recent"
    assert call.params["query"] == f"to:{ACCOUNT} -from:{ACCOUNT} is:reply"
    assert call.params["max_results"] == "10"


def test_a_reply_names_its_parent_and_an_own_post_is_the_municipalitys(world):
    post = own_post(world)
    answer = reply_to(world, post, author="Anna Svensson")

    [item] = connect().fetch("mentions", "").items
    [own] = connect().fetch("posts", "").items

    assert (item.external_id, item.kind, item.parent) == (answer.id, "comment", post.id)
    assert item.author.startswith("Anna Svensson (@")
    assert (own.external_id, own.kind, own.parent) == (post.id, "post", None)


def test_a_used_up_window_is_rate_limited_with_its_reset_and_no_further_call(world):
    mention(world)
    x_simulator.set_remaining(world, TOKEN, "mentions", 1)
    connector = connect()
    connector.fetch("mentions", "")
    calls = len(world.calls_to("x"))

    with pytest.raises(RateLimited) as raised:
        connector.fetch("mentions", "")

    assert len(world.calls_to("x")) == calls
    assert raised.value.retry_at > datetime.datetime.now(tz=datetime.UTC)
    assert connector.limits["endpoints"]["mentions"]["remaining"] == 0
    assert connector.limits["summary"].startswith("Omnämnanden: 0 av 450 anrop kvar till ")


def test_a_429_is_rate_limited_until_x_rate_limit_reset():
    reset = int(time.time()) + 123
    too_many = {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank"}
    transport = httpx.MockTransport(
        lambda request: httpx.Response(
            429,
            json={**too_many, "status": 429},
            headers={
                "x-rate-limit-limit": "75",
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(reset),
            },
        )
    )
    connector = registry.connector_for(
        "x", account_id=ACCOUNT, credentials={"access_token": TOKEN}, transport=transport
    )

    with pytest.raises(RateLimited) as raised:
        connector.fetch("posts", "")

    assert raised.value.retry_at.timestamp() == reset


def test_an_injected_rate_limit_stops_the_pull(world):
    world.inject(Fault("x", "rate_limit"))

    with pytest.raises(RateLimited):
        connect().fetch("posts", "")


def test_an_expired_token_is_access_expired_without_the_token_in_the_message(world):
    world.expire("x", TOKEN)

    with pytest.raises(AccessExpired) as raised:
        connect().fetch("posts", "")

    assert "ange en ny" in str(raised.value)
    assert TOKEN not in str(raised.value)


def test_an_expired_access_is_renewed_once_and_handed_back_to_be_saved(world):
    own_post(world)
    x_simulator.grant_refresh(world, REFRESH, TOKEN)
    world.expire("x", TOKEN)
    connector = connect(refresh_token=REFRESH, client_id="app-1")

    page = connector.fetch("posts", "")

    assert len(page.items) == 1
    renewed = connector.new_credentials
    assert renewed["access_token"] != TOKEN
    assert renewed["refresh_token"] != REFRESH
    assert renewed["client_id"] == "app-1"
    assert world.calls_to("x", "POST")[0].body == {
        "grant_type": "refresh_token",
        "refresh_token": REFRESH,
        "client_id": "app-1",
    }


def test_a_refused_renewal_is_access_expired_without_a_secret_in_the_message(world):
    world.expire("x", TOKEN)
    connector = connect(refresh_token=REFRESH, client_id="app-1")

    with pytest.raises(AccessExpired) as raised:
        connector.fetch("posts", "")

    assert TOKEN not in str(raised.value)
    assert REFRESH not in str(raised.value)
    assert connector.new_credentials is None


def test_gone_names_the_posts_deleted_on_x(world):
    post = own_post(world)
    kept, deleted = reply_to(world, post), reply_to(world, post, "Tas bort")
    world.delete_by_author("x", deleted.id)

    assert connect().gone([kept.id, deleted.id]) == {deleted.id}
    assert world.calls_to("x")[-1].params["ids"] == f"{kept.id},{deleted.id}"


def test_gone_counts_only_not_found_as_gone_in_a_recorded_answer():
    recorded = (Path(x_simulator.__file__).parent / "fixtures" / "lookup_some_gone.json").read_text(
        encoding="utf-8"
    )
    transport = httpx.MockTransport(lambda request: httpx.Response(200, text=recorded))
    connector = registry.connector_for(
        "x", account_id=ACCOUNT, credentials={"access_token": TOKEN}, transport=transport
    )

    gone = connector.gone(["1853420000000000001", "1853421000000000002", "1853430000000000004"])

    # "Authorization Error" (a protected account) is not a deletion.
    assert gone == {"1853421000000000002"}


# --- Replies deep in the account's conversations ----------------------------------------


def pull_items(connector, kind, cursor=""):
    """Every page of `kind` from `cursor`: (the items in order, the last cursor)."""
    items = []
    while True:
        page = connector.fetch(kind, cursor)
        items += page.items
        cursor = page.cursor
        if not page.more:
            return items, cursor


def conversation_searches(state):
    return [
        call
        for call in state.calls_to("x", "GET")
        if call.path == "/tweets/search/recent"
        and call.params.get("query", "").startswith("conversation_id:")
    ]


def searched(state) -> list[str]:
    """The conversations searched, in order, one per first page."""
    return [
        call.params["query"].split()[0].removeprefix("conversation_id:")
        for call in conversation_searches(state)
        if "next_token" not in call.params
    ]


def test_a_reply_to_a_reply_in_the_accounts_conversation_is_found_by_searching_it(world):
    post = own_post(world)
    answer = reply_to(world, post)
    ours = world.add("x", ACCOUNT, "post", "Vi svarar!", by_account=True, parent=answer.id)
    to_us = reply_to(world, ours, "Tack för svaret.", author="Bo Ek")
    deep = reply_to(world, answer, "Håller inte med dig, Anna.", author="Cilla Berg")
    connector = connect()
    mentioned, _cursor = pull(connector, "mentions")
    replied, _cursor = pull(connector, "replies")

    items, cursor = pull_items(connector, "conversations")

    # Neither answering the account nor naming it: no other kind reads it.
    assert deep.id not in mentioned + replied
    # What answers the account, and its own posts, come by "replies" and "posts".
    assert {to_us.id, answer.id} <= set(replied)
    assert [(item.external_id, item.kind, item.parent) for item in items] == [
        (deep.id, "comment", answer.id)
    ]
    [found] = [call for call in world.calls_to("x") if call.path == f"/users/{ACCOUNT}/tweets"]
    assert found.params["exclude"] == "retweets,replies"
    assert found.params["start_time"]
    [search] = conversation_searches(world)
    assert search.params["query"] == f"conversation_id:{post.id} -from:{ACCOUNT} -to:{ACCOUNT}"
    assert search.params["since_id"] == post.id
    assert json.loads(cursor)["conversations"][post.id][0] == deep.id


def test_a_conversation_is_read_to_its_end_and_the_next_round_reads_only_what_is_new(world):
    answer = reply_to(world, own_post(world))
    deep = [
        reply_to(world, answer, f"Svar i tråden {number}", author=f"Person {number}")
        for number in range(12)
    ]
    connector = connect(page_size=10)
    first, cursor = pull_items(connector, "conversations")
    newcomer = reply_to(world, deep[3], "Ett nytt svar", author="Dan Ek")

    again, _cursor = pull_items(connector, "conversations", cursor)

    ids = [item.external_id for item in first]
    assert sorted(ids) == sorted(reply.id for reply in deep)
    assert len(ids) == len(set(ids))
    # Oldest first within a page: a reply comes after what it answers.
    assert ids[:10] == sorted(ids[:10], key=int)
    assert [item.external_id for item in again] == [newcomer.id]
    pages = conversation_searches(world)
    assert [bool(call.params.get("next_token")) for call in pages] == [False, True, False]
    assert pages[-1].params["since_id"] == deep[-1].id


def test_a_round_searches_a_few_conversations_the_least_recently_searched_first(world, monkeypatch):
    monkeypatch.setattr(x_connector, "CONVERSATIONS_PER_ROUND", 2)
    first, second, third = (own_post(world, f"Inlägg {number}") for number in range(3))
    connector = connect()

    _items, cursor = pull_items(connector, "conversations")
    pull_items(connector, "conversations", cursor)

    assert searched(world) == [third.id, second.id, first.id, third.id]


def test_conversations_past_recent_search_reach_are_left_and_forgotten(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC))
    own_post(world, "För gammal för sökningen")
    time_machine.move_to(datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC))
    kept = own_post(world, "Ny vecka")
    connector = connect()
    _items, cursor = pull_items(connector, "conversations")
    time_machine.move_to(datetime.datetime(2026, 12, 5, 10, 0, tzinfo=datetime.UTC))
    newest = own_post(world, "Ännu en vecka")

    found = connector.fetch("conversations", cursor)
    pull_items(connector, "conversations", found.cursor)

    assert searched(world) == [kept.id, newest.id]
    assert list(json.loads(found.cursor)["conversations"]) == [newest.id]
    assert json.loads(found.cursor)["queue"] == [newest.id]


def test_a_conversation_passing_the_reach_while_its_round_waits_is_not_searched(
    world, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC))
    older = own_post(world, "Först")
    time_machine.move_to(datetime.datetime(2026, 12, 4, 9, 0, tzinfo=datetime.UTC))
    newer = own_post(world, "Sedan")
    time_machine.move_to(datetime.datetime(2026, 12, 5, 7, 30, tzinfo=datetime.UTC))
    x_simulator.set_remaining(world, TOKEN, "search", x_connector.SEARCH_RESERVE + 1)
    connector = connect()
    _items, cursor = pull_items(connector, "conversations")
    assert json.loads(cursor)["queue"] == [older.id]
    time_machine.move_to(datetime.datetime(2026, 12, 5, 9, 0, tzinfo=datetime.UTC))

    page = connector.fetch("conversations", cursor)

    assert searched(world) == [newer.id]
    assert (page.more, json.loads(page.cursor)["queue"]) == (False, None)
    assert list(json.loads(page.cursor)["conversations"]) == [newer.id]


def test_the_conversations_stop_for_now_before_the_search_window_is_used_up(world):
    posts = [own_post(world, f"Inlägg {number}") for number in range(3)]
    x_simulator.set_remaining(world, TOKEN, "search", x_connector.SEARCH_RESERVE + 1)
    connector = connect()
    _items, cursor = pull_items(connector, "conversations")
    calls = len(world.calls_to("x"))
    later = connect()
    later.limits = connector.limits

    page = later.fetch("conversations", cursor)

    assert searched(world) == [posts[2].id]
    assert json.loads(cursor)["queue"] == [posts[1].id, posts[0].id]
    assert (page.items, page.more, json.loads(page.cursor)) == ([], False, json.loads(cursor))
    assert len(world.calls_to("x")) == calls
    assert "Sökning: 5 av 450 anrop kvar till " in connector.limits["summary"]


def test_a_429_on_a_conversation_search_is_rate_limited_until_its_reset(world):
    own_post(world)
    world.inject(
        Fault("x", "rate_limit", path="/tweets/search/recent", query="query=conversation_id:")
    )
    connector = connect()
    found = connector.fetch("conversations", "")

    with pytest.raises(RateLimited) as raised:
        connector.fetch("conversations", found.cursor)

    assert raised.value.retry_at > datetime.datetime.now(tz=datetime.UTC)
    assert connector.limits["endpoints"]["search"]["remaining"] == 0


# --- Actions ----------------------------------------------------------------------------


def test_hiding_a_reply_in_the_accounts_conversation_hides_it_on_x_and_twice_is_done(world):
    answer = reply_to(world, own_post(world))
    connector = connect()

    first = connector.hide(target(answer))
    second = connector.hide(target(answer))

    assert (first.state, first.message) == (ActionResult.DONE, "Dold på X.")
    assert second.state == ActionResult.DONE
    assert world.get("x", answer.id).hidden
    puts = world.calls_to("x", "PUT")
    assert [(call.path, call.body) for call in puts] == [
        (f"/tweets/{answer.id}/hidden", {"hidden": True})
    ] * 2


def test_unhiding_shows_the_reply_again(world):
    answer = reply_to(world, own_post(world))
    connector = connect()
    connector.hide(target(answer))

    outcome = connector.unhide(target(answer))

    assert (outcome.state, outcome.message) == (ActionResult.DONE, "Visas igen på X.")
    assert not world.get("x", answer.id).hidden
    assert world.calls_to("x", "PUT")[-1].body == {"hidden": False}


def test_an_edited_reply_is_hidden_in_its_newest_version(world):
    answer = reply_to(world, own_post(world))
    world.edit("x", answer.id, "Ändrad text")

    connect().hide(target(answer))

    [put] = world.calls_to("x", "PUT")
    assert put.path != f"/tweets/{answer.id}/hidden"
    assert put.path == f"/tweets/{x_simulator.versions(world, answer)[-1]}/hidden"
    assert world.get("x", answer.id).hidden


def test_a_mention_outside_the_accounts_conversations_cannot_be_hidden(world):
    outside = mention(world)

    outcome = connect().hide(target(outside))

    assert outcome.state == ActionResult.NOT_POSSIBLE
    assert "bara i konversationer som kommunens konto har startat" in outcome.message
    assert not world.calls_to("x", "PUT")
    # A post that starts its own conversation needs no look-up of the conversation.
    assert [call.path for call in world.calls_to("x")] == [f"/tweets/{outside.id}"]
    assert not world.get("x", outside.id).hidden


def test_a_reply_in_someone_elses_conversation_cannot_be_hidden(world):
    strangers = mention(world, "Någon annans tråd")
    inside = reply_to(world, strangers, "@kommunen vad tycker ni?")

    assert connect().hide(target(inside)).state == ActionResult.NOT_POSSIBLE
    assert not world.calls_to("x", "PUT")


def test_the_accounts_own_post_cannot_be_hidden(world):
    post = own_post(world)

    outcome = connect().hide(target(post))

    assert outcome.state == ActionResult.NOT_POSSIBLE
    assert "egna inlägg" in outcome.message


def test_deleting_a_reply_hides_it_as_the_nearest_thing(world):
    answer = reply_to(world, own_post(world))
    connector = connect()

    first = connector.delete(target(answer))
    second = connector.delete(target(answer))

    assert (first.state, first.message) == (
        ActionResult.NEAREST,
        "Dold på X – X låter inte kommunen radera andras inlägg.",
    )
    assert second.state == ActionResult.NEAREST
    stored = world.get("x", answer.id)
    assert stored.hidden
    assert stored.visible
    assert not world.calls_to("x", "DELETE")


def test_deleting_a_mention_outside_the_conversations_is_not_possible(world):
    outside = mention(world)

    outcome = connect().delete(target(outside))

    assert outcome.state == ActionResult.NOT_POSSIBLE
    assert outcome.message.startswith("X låter inte kommunen radera andras inlägg")
    assert "Inget gjordes på X" in outcome.message
    assert world.get("x", outside.id).visible
    assert not world.calls_to("x", "PUT")
    assert not world.calls_to("x", "DELETE")


def test_deleting_the_accounts_own_post_deletes_it_and_twice_is_done(world):
    post = own_post(world)
    connector = connect()

    first = connector.delete(target(post))
    second = connector.delete(target(post))

    assert (first.state, first.message) == (ActionResult.DONE, "Raderat på X.")
    assert (second.state, second.message) == (ActionResult.DONE, "Finns inte längre på X.")
    assert world.get("x", post.id).removed
    assert [call.path for call in world.calls_to("x", "DELETE")] == [f"/tweets/{post.id}"]


def test_hides_stop_before_x_limit_of_50_per_15_minutes(world):
    post = own_post(world)
    first, second = reply_to(world, post), reply_to(world, post, "Ett till")
    x_simulator.set_remaining(world, TOKEN, "hide", 1)
    connector = connect()
    connector.hide(target(first))
    calls = len(world.calls_to("x"))

    with pytest.raises(RateLimited) as raised:
        connector.hide(target(second))

    assert len(world.calls_to("x")) == calls
    assert raised.value.retry_at > datetime.datetime.now(tz=datetime.UTC)
    assert not world.get("x", second.id).hidden
    assert connector.limits["endpoints"]["hide"] == {
        "limit": 50,
        "remaining": 0,
        "reset": connector.limits["endpoints"]["hide"]["reset"],
    }


def test_a_reply_is_posted_as_the_account_in_the_thread(world):
    question = reply_to(world, own_post(world), "När öppnar simhallen?")

    outcome = connect().reply(target(question), "Den 4 november!")

    assert outcome.state == ActionResult.DONE
    [post_call] = world.calls_to("x", "POST")
    assert (post_call.path, post_call.body) == (
        "/tweets",
        {"text": "Den 4 november!", "reply": {"in_reply_to_tweet_id": question.id}},
    )
    stored = world.get("x", outcome.reply.external_id)
    assert stored.by_account
    assert stored.parent == question.id
    assert (outcome.reply.kind, outcome.reply.parent, outcome.reply.text) == (
        "post",
        question.id,
        "Den 4 november!",
    )


def test_a_reply_x_refuses_is_not_possible_with_a_swedish_message(world):
    question = reply_to(world, own_post(world))
    connector = connect()
    connector.reply(target(question), "Samma svar")

    outcome = connector.reply(target(question), "Samma svar")

    assert outcome.state == ActionResult.NOT_POSSIBLE
    assert "X tog inte emot svaret" in outcome.message


def test_a_server_error_on_an_action_is_a_platform_error_worth_another_try(world):
    answer = reply_to(world, own_post(world))
    world.inject(Fault("x", "server_error", path="/tweets"))

    with pytest.raises(PlatformError) as raised:
        connect().hide(target(answer))

    assert not isinstance(raised.value, RateLimited | AccessExpired)
    assert TOKEN not in str(raised.value)


# --- Connection test --------------------------------------------------------------------


def test_the_connection_test_lists_missing_scopes_in_swedish(world):
    world.grant("x", TOKEN, ACCOUNT, ["tweet.read", "users.read", "offline.access"])
    x_simulator.grant_refresh(world, REFRESH, TOKEN)
    connector = connect(refresh_token=REFRESH, client_id="app-1")

    missing = connector.test()

    assert missing == [
        "tweet.write – svara och radera kommunens inlägg",
        "tweet.moderate.write – dölja svar",
    ]
    assert connector.new_credentials["scope"] == "offline.access tweet.read users.read"


def test_the_connection_test_with_every_scope_misses_nothing(world):
    x_simulator.grant_refresh(world, REFRESH, TOKEN)

    assert connect(refresh_token=REFRESH, client_id="app-1").test() == []
    assert world.calls_to("x", "GET")[-1].path == "/users/me"


def test_a_token_that_cannot_be_renewed_misses_offline_access(world):
    assert connect().test() == ["offline.access – förnya åtkomsten utan ny inloggning"]


def test_a_token_of_another_account_is_refused(world):
    world.grant("x", TOKEN, "999", x_simulator.PERMISSIONS)

    with pytest.raises(PlatformError) as raised:
        connect().test()

    assert "ett annat X-konto" in str(raised.value)


def test_the_demo_seed_gives_a_working_account_with_its_own_posts(simulator):
    x_simulator.seed_demo(simulator, ACCOUNT, TOKEN)

    page = connect().fetch("posts", "")

    assert len(page.items) == 2
    assert all(item.kind == "post" for item in page.items)
    assert json.loads(page.cursor)["since_id"]


def test_an_injected_expired_token_is_access_expired(world):
    world.inject(Fault("x", "expired"))

    with pytest.raises(AccessExpired) as raised:
        connect().fetch("mentions", "")

    assert TOKEN not in str(raised.value)


def test_a_token_without_users_read_is_told_which_scopes_it_misses(world):
    world.grant("x", TOKEN, ACCOUNT, ["tweet.read", "offline.access"])
    x_simulator.grant_refresh(world, REFRESH, TOKEN)

    missing = connect(refresh_token=REFRESH, client_id="app-1").test()

    assert missing[0] == "users.read – läsa kontots uppgifter"
    assert len(missing) == 3


def test_a_refusal_says_to_check_the_apps_permissions(world):
    world.grant("x", TOKEN, ACCOUNT, ["users.read"])

    with pytest.raises(PlatformError) as raised:
        connect().fetch("posts", "")

    assert "kontrollera appens behörigheter" in str(raised.value)
