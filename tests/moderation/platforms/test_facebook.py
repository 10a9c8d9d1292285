"""The Facebook connector against the simulator: pulls across pages, resumed after a failure
mid-page and incremental; Meta's limits; expired tokens; every action on the right endpoint,
idempotent; the permission test; and a comment stored the same by webhook and by pull."""

import datetime
import json
import time

import pytest
from django.utils import timezone

from moderation.models import Item
from moderation.platforms.base import (
    AccessExpired,
    ActionResult,
    ActionTarget,
    PlatformError,
    RateLimited,
)
from moderation.platforms.facebook import connector as fb_connector
from moderation.platforms.facebook import mapping
from moderation.platforms.facebook import simulator as fbsim
from moderation.platforms.registry import connector_for
from moderation.platforms.simulator.graph import CALLS_PER_HOUR
from moderation.platforms.simulator.state import Fault
from moderation.services import ingest
from tests.factories import ChannelFactory

PAGE = "104523998765432"
TOKEN = "EAAB-sidans-hemliga-token-123"
START = time.time() - 3 * 3600


@pytest.fixture
def page(simulator):
    """The page with its two demo posts, the second one newest."""
    fbsim.seed_demo(simulator, PAGE, TOKEN)
    return simulator


def connector():
    return connector_for("facebook", account_id=PAGE, credentials={"access_token": TOKEN})


def posts(state):
    return state.listing("facebook", PAGE, "post")


def comment_on(state, parent, text, *, author="Anna Andersson", at=None):
    return state.add("facebook", PAGE, "comment", text, author=author, parent=parent, created=at)


def pull(con, kind, cursor=""):
    """Every page of `kind` until the platform has no more; the items and the last cursor."""
    items = []
    for _page in range(200):
        page = con.fetch(kind, cursor)
        items.extend(page.items)
        cursor = page.cursor
        if not page.more:
            return items, cursor
    raise AssertionError("the pull did not end")


def gets(state, path):
    return [call for call in state.calls_to("facebook", "GET") if call.path == path]


# --- Pulls ------------------------------------------------------------------------------


def test_posts_are_pulled_over_several_pages_each_once(page):
    for number in range(30):
        page.add(
            "facebook", PAGE, "post", f"Inlägg {number}", by_account=True, created=START + number
        )

    items, _cursor = pull(connector(), "posts")

    assert len(items) == 32
    assert len({item.external_id for item in items}) == 32
    assert {item.kind for item in items} == {"post"}
    listing = gets(page, f"/{PAGE}/posts")
    assert len(listing) == 2
    assert listing[0].params["limit"] == "25"
    assert "after" in listing[1].params


def test_a_second_pull_of_posts_reads_only_the_new_ones(page):
    for post in posts(page):
        post.created = START
    _items, cursor = pull(connector(), "posts")
    new = page.add("facebook", PAGE, "post", "Nytt inlägg", by_account=True)

    items, _cursor = pull(connector(), "posts", cursor)

    assert [item.external_id for item in items] == [new.id]


def test_comments_and_replies_are_pulled_across_pages_threaded(page):
    post = posts(page)[0]
    first = comment_on(page, post.id, "Första")
    for number in range(fb_connector.COMMENTS_PAGE_SIZE + 4):
        comment_on(page, post.id, f"Kommentar {number}")
    reply = comment_on(page, first.id, "Svar på första", author="Bo")

    items, _cursor = pull(connector(), "comments")

    total = fb_connector.COMMENTS_PAGE_SIZE + 6
    assert len(items) == total
    assert len({item.external_id for item in items}) == total
    by_id = {item.external_id: item for item in items}
    assert by_id[first.id].parent == post.id
    assert by_id[reply.id].parent == first.id
    assert len(gets(page, f"/{post.id}/comments")) == 2
    assert gets(page, f"/{post.id}/comments")[0].params["filter"] == "stream"


@pytest.mark.parametrize("fault", ["server_error", "cut_short"])
def test_a_failure_mid_page_resumes_from_the_saved_cursor_skipping_nothing(page, fault):
    post = posts(page)[0]
    total = 2 * fb_connector.COMMENTS_PAGE_SIZE + 10
    for number in range(total):
        comment_on(page, post.id, f"Kommentar {number}")
    con = connector()
    stored, cursor = [], ""
    while not stored:  # up to and including the first page of comments
        result = con.fetch("comments", cursor)
        stored.extend(result.items)
        cursor = result.cursor
    page.inject(Fault("facebook", fault, path=f"/{post.id}/comments"))

    with pytest.raises(PlatformError):
        con.fetch("comments", cursor)
    rest, _cursor = pull(connector(), "comments", cursor)

    ids = [item.external_id for item in stored + rest]
    assert len(ids) == total
    assert len(set(ids)) == total


def test_a_second_pull_of_comments_reads_only_the_threads_that_changed(page):
    quiet, busy = posts(page)
    for post in (quiet, busy):
        post.created = post.updated = START
    kept = comment_on(page, quiet.id, "Inget nytt här", at=START + 1)
    edited = comment_on(page, busy.id, "Före ändringen", at=START + 2)
    _items, cursor = pull(connector(), "comments")
    page.calls.clear()
    page.edit("facebook", edited.id, "Efter ändringen", at=START + 60)
    new = comment_on(page, busy.id, "En ny kommentar")

    items, _cursor = pull(connector(), "comments", cursor)

    assert {(item.external_id, item.text) for item in items} == {
        (edited.id, "Efter ändringen"),
        (new.id, "En ny kommentar"),
    }
    assert kept.id not in {item.external_id for item in items}
    assert gets(page, f"/{quiet.id}/comments") == []


def test_direct_messages_are_pulled_and_a_second_pull_reads_only_new_ones(page):
    first = page.add("facebook", PAGE, "message", "Hej!", author="Cecilia", created=START)
    _items, cursor = pull(connector(), "messages")
    assert _items[0].external_id == first.id
    assert (_items[0].kind, _items[0].author) == ("message", "Cecilia")
    later = page.add("facebook", PAGE, "message", "Är ni där?", author="Cecilia")

    items, _cursor = pull(connector(), "messages", cursor)

    assert [item.external_id for item in items] == [later.id]


# --- Limits and access ------------------------------------------------------------------


def test_at_ninety_percent_of_metas_usage_the_next_call_waits(page):
    page.usage["facebook"] = {TOKEN: int(CALLS_PER_HOUR * 0.9) - 1}
    con = connector()

    first = con.fetch("posts", "")  # answered at 90 %
    calls = len(page.calls)
    with pytest.raises(RateLimited) as raised:
        con.fetch("posts", first.cursor)

    assert len(page.calls) == calls
    wait = raised.value.retry_at - timezone.now()
    assert datetime.timedelta(minutes=59) < wait <= datetime.timedelta(hours=1)
    assert con.limits["usage_percent"] == 90
    assert "90 % av Metas anropsgräns" in con.limits["summary"]


def test_limits_kept_from_an_earlier_pull_stop_the_next_connector_before_any_call(page):
    page.usage["facebook"] = {TOKEN: int(CALLS_PER_HOUR * 0.9) - 1}
    first = connector()
    first.fetch("posts", "")
    calls = len(page.calls)
    later = connector()
    later.limits = json.loads(json.dumps(first.limits))  # as PlatformConnection.limits keeps it

    with pytest.raises(RateLimited):
        later.fetch("posts", "")

    assert len(page.calls) == calls


def test_a_rate_limit_error_raises_rate_limited_and_makes_no_further_call(page):
    page.inject(Fault("facebook", "rate_limit"))
    con = connector()

    with pytest.raises(RateLimited) as raised:
        con.fetch("posts", "")
    with pytest.raises(RateLimited):
        con.hide(ActionTarget("1", "comment"))

    assert raised.value.retry_at > timezone.now() + datetime.timedelta(minutes=59)
    assert len(page.calls) == 1


def test_an_expired_token_raises_access_expired(page):
    page.expire("facebook", TOKEN)

    with pytest.raises(AccessExpired, match="Ange en ny token"):
        connector().fetch("comments", "")


@pytest.mark.parametrize("fault", ["server_error", "cut_short", "expired", "rate_limit"])
def test_no_error_message_holds_the_token(page, fault):
    page.inject(Fault("facebook", fault))

    with pytest.raises(PlatformError) as raised:
        connector().test()

    assert TOKEN not in str(raised.value)
    assert TOKEN not in raised.value.message


def test_the_permission_test_names_what_is_missing_in_swedish(simulator):
    simulator.grant("facebook", TOKEN, PAGE, {"pages_show_list", "pages_read_engagement"})

    missing = connector().test()

    assert missing == [
        "Läsa besökarnas inlägg och kommentarer (pages_read_user_content)",
        "Dölja, ta bort och besvara kommentarer (pages_manage_engagement)",
        "Läsa och besvara meddelanden i Messenger (pages_messaging)",
    ]


def test_a_token_with_every_permission_misses_nothing(page):
    assert connector().test() == []
    assert gets(page, "/debug_token")[0].params["input_token"] == TOKEN


# --- Actions ----------------------------------------------------------------------------


@pytest.fixture
def comment(page):
    return comment_on(page, posts(page)[0].id, "Du är en idiot")


def test_hide_posts_is_hidden_true_and_twice_ends_done(page, comment):
    con = connector()
    target = ActionTarget(comment.id, "comment")

    outcomes = [con.hide(target), con.hide(target)]

    assert [(o.state, o.message) for o in outcomes] == [(ActionResult.DONE, "Dold på Facebook")] * 2
    calls = page.calls_to("facebook", "POST")
    assert [(c.path, c.body) for c in calls] == [(f"/{comment.id}", {"is_hidden": "true"})] * 2
    assert page.get("facebook", comment.id).hidden


def test_unhide_posts_is_hidden_false(page, comment):
    comment.hidden = True

    outcome = connector().unhide(ActionTarget(comment.id, "comment"))

    assert outcome.state == ActionResult.DONE
    assert page.calls_to("facebook", "POST")[0].body == {"is_hidden": "false"}
    assert not page.get("facebook", comment.id).hidden


def test_delete_removes_and_deleting_what_is_gone_ends_done(page, comment):
    con = connector()
    target = ActionTarget(comment.id, "comment")

    outcomes = [con.delete(target), con.delete(target)]

    assert [o.state for o in outcomes] == [ActionResult.DONE] * 2
    assert [c.path for c in page.calls_to("facebook", "DELETE")] == [f"/{comment.id}"] * 2
    assert page.get("facebook", comment.id).removed


def test_hiding_a_comment_its_author_deleted_ends_done(page, comment):
    page.delete_by_author("facebook", comment.id)

    outcome = connector().hide(ActionTarget(comment.id, "comment"))

    assert outcome.state == ActionResult.DONE
    assert "Finns inte längre på Facebook" in outcome.message


def test_reply_posts_a_comment_as_the_page_and_returns_it(page, comment):
    outcome = connector().reply(ActionTarget(comment.id, "comment"), "Vi tar bort kommentaren.")

    call = page.calls_to("facebook", "POST")[0]
    assert (call.path, call.body) == (
        f"/{comment.id}/comments",
        {"message": "Vi tar bort kommentaren."},
    )
    reply = outcome.reply
    stored = page.get("facebook", reply.external_id)
    assert (stored.text, stored.parent, stored.by_account) == (
        "Vi tar bort kommentaren.",
        comment.id,
        True,
    )
    assert (reply.kind, reply.parent, reply.text) == ("post", comment.id, stored.text)
    assert outcome.state == ActionResult.DONE


@pytest.mark.parametrize("action", ["hide", "unhide", "delete"])
def test_a_direct_message_cannot_be_hidden_or_deleted_and_nothing_is_called(page, action):
    message = page.add("facebook", PAGE, "message", "Hej", author="Cecilia")

    outcome = getattr(connector(), action)(ActionTarget(message.id, "message"))

    assert outcome.state == ActionResult.NOT_POSSIBLE
    assert "Messenger" in outcome.message
    assert page.calls == []


def test_a_direct_message_is_answered_through_the_send_api(page):
    message = page.add("facebook", PAGE, "message", "Hej", author="Cecilia")

    outcome = connector().reply(ActionTarget(message.id, "message"), "Hej Cecilia!")

    call = page.calls_to("facebook", "POST")[0]
    assert call.path == "/me/messages"
    assert json.loads(call.body["recipient"]) == {"id": message.author_id}
    assert json.loads(call.body["message"]) == {"text": "Hej Cecilia!"}
    assert call.body["messaging_type"] == "RESPONSE"
    assert outcome.state == ActionResult.DONE
    assert page.get("facebook", outcome.reply.external_id).text == "Hej Cecilia!"


def test_gone_names_the_comments_no_longer_on_facebook_in_one_batch(page, comment):
    post = posts(page)[0]
    deleted = comment_on(page, post.id, "Ångrar mig")
    page.delete_by_author("facebook", deleted.id)

    gone = connector().gone([comment.id, deleted.id, "812345678901234_404"])

    assert gone == {deleted.id, "812345678901234_404"}
    assert [c.path for c in page.calls_to("facebook")] == ["/"]


# --- The webhook and the pull -----------------------------------------------------------

CREATED = int(START)  # within the window of posts whose threads the pull walks


@pytest.mark.django_db
def test_a_comment_is_stored_the_same_by_webhook_and_by_pull(page, channel):
    post = posts(page)[0]
    post.created = CREATED - 3600
    sim_comment = comment_on(page, post.id, "Varför är simhallen stängd? 🏊", at=CREATED)
    pulled_post = next(i for i in pull(connector(), "posts")[0] if i.external_id == post.id)
    pulled = pull(connector(), "comments")[0][0]
    webhook_value = {
        "item": "comment",
        "verb": "add",
        "comment_id": sim_comment.id,
        "post_id": post.id,
        "parent_id": post.id,
        "from": {"id": sim_comment.author_id, "name": "Anna Andersson"},
        "message": "Varför är simhallen stängd? 🏊",
        "created_time": CREATED,
    }
    by_webhook = mapping.item_from_webhook_value(webhook_value)
    assert by_webhook.as_item_data() == pulled.as_item_data()

    by_pull = ChannelFactory(unit=channel.unit)
    ingest.ingest_items(by_pull, [pulled_post.as_item_data(), pulled.as_item_data()])
    ingest.ingest_items(channel, [pulled_post.as_item_data()])
    body = json.dumps(
        {
            "object": "page",
            "entry": [{"id": PAGE, "changes": [{"field": "feed", "value": webhook_value}]}],
        }
    ).encode()
    delivery, _new = ingest.receive_webhook_delivery(channel, body)
    created = ingest.process_webhook_delivery(delivery.pk)

    assert created == 1
    fields = ("external_id", "kind", "author", "text", "received_at", "url", "parent__external_id")
    assert (
        Item.objects.filter(channel=channel, external_id=sim_comment.id).values(*fields).get()
        == Item.objects.filter(channel=by_pull, external_id=sim_comment.id).values(*fields).get()
    )
