"""The Instagram connector against the simulator: media, comments with their replies and
direct messages pulled incrementally and resumably; limits and expired tokens; each action
on the right endpoint, idempotent, and what Instagram does not allow."""

import datetime
import json
import time

import pytest
from django.utils import timezone

from moderation.platforms.base import (
    AccessExpired,
    ActionResult,
    ActionTarget,
    PlatformError,
    RateLimited,
)
from moderation.platforms.instagram import connector as igconnector
from moderation.platforms.instagram import simulator as igsim
from moderation.platforms.registry import connector_for
from moderation.platforms.simulator.graph import CALLS_PER_HOUR
from moderation.platforms.simulator.state import Fault

ACCOUNT = "17841405822304914"
TOKEN = "IGQV-kontots-hemliga-token-456"
START = time.time() - 3 * 3600


@pytest.fixture
def account(simulator):
    igsim.seed_demo(simulator, ACCOUNT, TOKEN)
    return simulator


def connector():
    return connector_for("instagram", account_id=ACCOUNT, credentials={"access_token": TOKEN})


def media(state):
    return state.listing("instagram", ACCOUNT, "post")


def comment_on(state, parent, text, *, author="anna.andersson", at=None):
    return state.add(
        "instagram", ACCOUNT, "comment", text, author=author, parent=parent, created=at
    )


def pull(con, kind, cursor=""):
    items = []
    for _page in range(200):
        page = con.fetch(kind, cursor)
        items.extend(page.items)
        cursor = page.cursor
        if not page.more:
            return items, cursor
    raise AssertionError("the pull did not end")


def gets(state, path):
    return [call for call in state.calls_to("instagram", "GET") if call.path == path]


def test_media_are_pulled_over_several_pages_and_then_only_new_ones(account):
    for number in range(30):
        account.add(
            "instagram", ACCOUNT, "post", f"Bild {number}", by_account=True, created=START + number
        )
    for item in media(account)[:2]:
        item.created = START - 10
    items, cursor = pull(connector(), "posts")
    new = account.add("instagram", ACCOUNT, "post", "Ny bild", by_account=True)

    again, _cursor = pull(connector(), "posts", cursor)

    assert len(items) == 32
    assert len({item.external_id for item in items}) == 32
    assert len(gets(account, f"/{ACCOUNT}/media")) == 3
    assert [item.external_id for item in again] == [new.id]


def test_comments_come_with_their_replies_across_pages(account):
    post = media(account)[0]
    first = comment_on(account, post.id, "Första")
    for number in range(29):
        comment_on(account, post.id, f"Kommentar {number}")
    reply = comment_on(account, first.id, "Svar", author="bo")

    items, _cursor = pull(connector(), "comments")

    assert len(items) == 31
    by_id = {item.external_id: item for item in items}
    assert by_id[first.id].parent == post.id
    assert by_id[reply.id].parent == first.id
    assert "replies{" in gets(account, f"/{post.id}/comments")[0].params["fields"]


def replies_to(state, comment, count):
    return [
        comment_on(state, comment.id, f"Svar {number}", author=f"svarare{number}")
        for number in range(count)
    ]


def test_replies_past_the_first_page_are_followed_to_the_end_by_their_cursor(account):
    post = media(account)[0]
    first = comment_on(account, post.id, "Många svarar på den här")
    written = replies_to(account, first, 60)
    comment_on(account, post.id, "Och en till")

    items, _cursor = pull(connector(), "comments")

    ids = [item.external_id for item in items]
    assert len(ids) == len(set(ids)) == 62
    assert {item.parent for item in items if item.external_id in {r.id for r in written}} == {
        first.id
    }
    pages = gets(account, f"/{first.id}/replies")
    assert len(pages) == 2  # 25 came with the comment; then 25 and 10
    assert all(call.params["after"] and "access_token" not in call.params for call in pages)
    assert "replies{" not in pages[0].params["fields"]


def test_a_failure_while_following_replies_resumes_skipping_nothing(account):
    post = media(account)[0]
    first = comment_on(account, post.id, "Många svarar på den här")
    replies_to(account, first, 80)
    con = connector()
    stored, cursor = [], ""
    for _call in range(10):  # up to the first page of replies followed
        result = con.fetch("comments", cursor)
        stored.extend(result.items)
        cursor = result.cursor
        if gets(account, f"/{first.id}/replies"):
            break
    account.inject(Fault("instagram", "server_error", path=f"/{first.id}/replies"))

    with pytest.raises(PlatformError):
        con.fetch("comments", cursor)
    rest, _cursor = pull(connector(), "comments", cursor)

    ids = [item.external_id for item in stored + rest]
    assert len(ids) == len(set(ids)) == 81


def test_the_replies_of_one_comment_are_read_to_a_bound(account, monkeypatch):
    monkeypatch.setattr(igconnector, "MAX_REPLY_PAGES", 2)
    post = media(account)[0]
    first = comment_on(account, post.id, "Många svarar på den här")
    replies_to(account, first, 80)

    items, _cursor = pull(connector(), "comments")

    assert len(items) == 1 + 50
    assert len(gets(account, f"/{first.id}/replies")) == 1


@pytest.mark.parametrize("fault", ["server_error", "cut_short"])
def test_a_failure_mid_page_resumes_from_the_saved_cursor_skipping_nothing(account, fault):
    post = media(account)[0]
    for number in range(60):
        comment_on(account, post.id, f"Kommentar {number}")
    con = connector()
    stored, cursor = [], ""
    while not stored:
        result = con.fetch("comments", cursor)
        stored.extend(result.items)
        cursor = result.cursor
    account.inject(Fault("instagram", fault, path=f"/{post.id}/comments"))

    with pytest.raises(PlatformError):
        con.fetch("comments", cursor)
    rest, _cursor = pull(connector(), "comments", cursor)

    ids = [item.external_id for item in stored + rest]
    assert len(ids) == len(set(ids)) == 60


def test_a_second_pull_of_comments_reads_only_media_with_new_comments(account):
    quiet, busy = media(account)
    comment_on(account, quiet.id, "Inget nytt här")
    _items, cursor = pull(connector(), "comments")
    account.calls.clear()
    new = comment_on(account, busy.id, "En ny kommentar")

    items, _cursor = pull(connector(), "comments", cursor)

    assert [item.external_id for item in items] == [new.id]
    assert gets(account, f"/{quiet.id}/comments") == []


def test_direct_messages_are_read_from_instagrams_conversations(account):
    first = account.add("instagram", ACCOUNT, "message", "Hej!", author="cecilia", created=START)
    items, cursor = pull(connector(), "messages")
    later = account.add("instagram", ACCOUNT, "message", "Hallå?", author="cecilia")

    again, _cursor = pull(connector(), "messages", cursor)

    assert [(i.external_id, i.kind, i.author) for i in items] == [(first.id, "message", "cecilia")]
    assert gets(account, "/me/conversations")[0].params["platform"] == "instagram"
    assert [item.external_id for item in again] == [later.id]


def test_at_ninety_percent_of_metas_usage_the_next_call_waits(account):
    account.usage["instagram"] = {TOKEN: int(CALLS_PER_HOUR * 0.9) - 1}
    con = connector()

    con.fetch("posts", "")
    calls = len(account.calls)
    with pytest.raises(RateLimited) as raised:
        con.fetch("comments", "")

    assert len(account.calls) == calls
    assert raised.value.retry_at > timezone.now() + datetime.timedelta(minutes=59)


def test_a_rate_limit_error_raises_rate_limited(account):
    account.inject(Fault("instagram", "rate_limit"))

    with pytest.raises(RateLimited) as raised:
        connector().fetch("comments", "")

    assert raised.value.retry_at > timezone.now()


@pytest.mark.parametrize("fault", ["expired", "server_error", "cut_short", "rate_limit"])
def test_no_error_message_holds_the_token(account, fault):
    account.inject(Fault("instagram", fault))

    with pytest.raises(PlatformError) as raised:
        connector().fetch("posts", "")

    assert TOKEN not in str(raised.value)


def test_an_expired_token_raises_access_expired(account):
    account.expire("instagram", TOKEN)

    with pytest.raises(AccessExpired):
        connector().test()


def test_the_permission_test_names_what_is_missing_in_swedish(simulator):
    simulator.grant("instagram", TOKEN, ACCOUNT, {"instagram_basic", "pages_read_engagement"})

    assert connector().test() == [
        "Läsa, dölja, ta bort och besvara kommentarer (instagram_manage_comments)",
        "Läsa och besvara direktmeddelanden (instagram_manage_messages)",
    ]


@pytest.fixture
def comment(account):
    post = media(account)[0]
    return comment_on(account, post.id, "Dumma kommun")


def target(comment):
    return ActionTarget(comment.id, "comment", parent=comment.parent)


def test_hide_posts_hide_true_and_twice_ends_done(account, comment):
    con = connector()

    outcomes = [con.hide(target(comment)), con.hide(target(comment))]

    assert [(o.state, o.message) for o in outcomes] == [
        (ActionResult.DONE, "Dold på Instagram")
    ] * 2
    calls = account.calls_to("instagram", "POST")
    assert [(c.path, c.body) for c in calls] == [(f"/{comment.id}", {"hide": "true"})] * 2
    assert account.get("instagram", comment.id).hidden


def test_unhide_posts_hide_false(account, comment):
    comment.hidden = True

    connector().unhide(target(comment))

    assert account.calls_to("instagram", "POST")[0].body == {"hide": "false"}
    assert not account.get("instagram", comment.id).hidden


def test_delete_twice_ends_done(account, comment):
    con = connector()

    outcomes = [con.delete(target(comment)), con.delete(target(comment))]

    assert [o.state for o in outcomes] == [ActionResult.DONE] * 2
    assert [c.path for c in account.calls_to("instagram", "DELETE")] == [f"/{comment.id}"] * 2
    assert account.get("instagram", comment.id).removed


def test_reply_posts_to_the_replies_edge(account, comment):
    outcome = connector().reply(target(comment), "Håll god ton, tack.")

    call = account.calls_to("instagram", "POST")[0]
    assert (call.path, call.body) == (f"/{comment.id}/replies", {"message": "Håll god ton, tack."})
    stored = account.get("instagram", outcome.reply.external_id)
    assert (stored.parent, stored.by_account) == (comment.id, True)
    assert (outcome.reply.kind, outcome.reply.parent) == ("post", comment.id)


@pytest.mark.parametrize("action", ["hide", "delete"])
def test_own_media_and_direct_messages_cannot_be_hidden_or_deleted(account, action):
    message = account.add("instagram", ACCOUNT, "message", "Hej", author="cecilia")
    con = connector()

    outcomes = [
        getattr(con, action)(ActionTarget(media(account)[0].id, "post")),
        getattr(con, action)(ActionTarget(message.id, "message")),
    ]

    assert [o.state for o in outcomes] == [ActionResult.NOT_POSSIBLE] * 2
    assert all("Inget gjordes på Instagram" in o.message for o in outcomes)
    assert account.calls == []


def test_a_direct_message_is_answered_through_the_send_api(account):
    message = account.add("instagram", ACCOUNT, "message", "Hej", author="cecilia")

    outcome = connector().reply(ActionTarget(message.id, "message"), "Hej Cecilia!")

    call = account.calls_to("instagram", "POST")[0]
    assert call.path == "/me/messages"
    assert json.loads(call.body["recipient"]) == {"id": message.author_id}
    assert outcome.state == ActionResult.DONE


def test_gone_names_the_comments_no_longer_on_instagram(account, comment):
    deleted = comment_on(account, comment.parent, "Ångrar mig")
    account.delete_by_author("instagram", deleted.id)

    assert connector().gone([comment.id, deleted.id]) == {deleted.id}
