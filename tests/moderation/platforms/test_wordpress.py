"""The WordPress connector against the simulated blog: pulls page by page, resumable and
incremental; its errors and limits; each action's call and effect."""

import datetime

import pytest

from moderation.platforms import base
from moderation.platforms.simulator.state import Fault
from moderation.platforms.wordpress import connector as wordpress_connector

from . import blog


def pull_all(connector, kind, cursor=""):
    """Every page until `more` is False: (items, cursor)."""
    items = []
    while True:
        page = connector.fetch(kind, cursor)
        items.extend(page.items)
        cursor = page.cursor
        if not page.more:
            return items, cursor


@pytest.fixture
def post(simulator):
    return blog.open_blog(simulator)


def test_comments_are_read_page_by_page_to_the_end(simulator, post, monkeypatch):
    monkeypatch.setattr(wordpress_connector, "PER_PAGE", 10)
    written = blog.comments(simulator, post, 25)
    connector = blog.connector()

    first = connector.fetch("comments", "")
    items, _cursor = pull_all(connector, "comments", first.cursor)

    assert first.more is True
    assert [item.external_id for item in [*first.items, *items]] == [c.id for c in written]
    assert len(simulator.calls_to("wordpress", "GET")) == 3
    call = simulator.calls_to("wordpress", "GET")[0]
    assert call.path == f"/sites/{blog.SITE}/comments"
    assert call.params | {"page": "1"} == {
        "context": "edit",
        "status": "all",
        "orderby": "date_gmt",
        "order": "asc",
        "per_page": "10",
        "page": "1",
    }


def test_a_fault_on_the_second_page_resumes_from_the_first_pages_cursor(
    simulator, post, monkeypatch
):
    monkeypatch.setattr(wordpress_connector, "PER_PAGE", 10)
    written = blog.comments(simulator, post, 25)
    connector = blog.connector()
    first = connector.fetch("comments", "")
    simulator.inject(Fault("wordpress", "cut_short", path=f"/sites/{blog.SITE}/comments"))

    with pytest.raises(base.PlatformError):
        connector.fetch("comments", first.cursor)
    rest, _cursor = pull_all(connector, "comments", first.cursor)

    ids = [item.external_id for item in [*first.items, *rest]]
    assert ids == [c.id for c in written]


def test_a_second_pull_hands_on_only_new_and_edited_comments(simulator, post):
    old = blog.comments(simulator, post, 5)
    connector = blog.connector()
    _items, cursor = pull_all(connector, "comments")
    simulator.edit("wordpress", old[2].id, "Ändrad: när öppnar ni?")
    new = blog.comment(simulator, post, "En ny fråga.", ago=1)

    items, _cursor = pull_all(connector, "comments", cursor)

    assert [(item.external_id, item.text) for item in items] == [
        (old[2].id, "Ändrad: när öppnar ni?"),
        (new.id, "En ny fråga."),
    ]


def test_posts_are_pulled_and_an_edited_post_comes_again(simulator, post):
    connector = blog.connector()
    items, cursor = pull_all(connector, "posts")
    simulator.edit("wordpress", post.id, "Sommarläsning\n\nNu med fler böcker.")

    again, _cursor = pull_all(connector, "posts", cursor)

    assert [(i.external_id, i.kind) for i in items] == [(f"post-{post.id}", "post")]
    assert [i.text for i in again] == ["Sommarläsning\n\nNu med fler böcker."]


def test_gone_names_the_comments_deleted_or_trashed_on_the_blog(simulator, post):
    kept, deleted, trashed = blog.comments(simulator, post, 3)
    simulator.delete_by_author("wordpress", deleted.id)
    trashed.removed = True

    gone = blog.connector().gone([kept.id, deleted.id, trashed.id, f"post-{post.id}"])

    assert gone == {deleted.id, trashed.id}
    (call,) = simulator.calls_to("wordpress", "GET")
    assert call.params["include"] == f"{kept.id},{deleted.id},{trashed.id}"


def test_a_rate_limit_gives_its_retry_time_and_no_further_call(simulator, post):
    simulator.inject(Fault("wordpress", "rate_limit"))
    connector = blog.connector()

    with pytest.raises(base.RateLimited) as raised:
        connector.fetch("comments", "")
    with pytest.raises(base.RateLimited):
        connector.fetch("comments", "")

    assert raised.value.retry_at > datetime.datetime.now(datetime.UTC) + datetime.timedelta(
        seconds=100
    )
    assert len(simulator.calls) == 1


def test_the_connector_stops_before_the_hosts_limit(simulator, post):
    simulator.usage["wordpress"] = {"limit": 3}
    connector = blog.connector()

    connector.fetch("posts", "")
    connector.fetch("posts", "")
    with pytest.raises(base.RateLimited):
        connector.fetch("posts", "")

    # One call is left for the site's own use.
    assert len(simulator.calls) == 2
    assert connector.limits["remaining"] == 1
    assert "anrop kvar" in connector.limits["summary"]


def test_a_revoked_application_password_is_access_expired_without_the_secret(simulator, post):
    simulator.expire("wordpress", blog.CREDENTIAL)

    with pytest.raises(base.AccessExpired) as raised:
        blog.connector().fetch("comments", "")

    assert "401" in str(raised.value)
    assert blog.PASSWORD not in str(raised.value)
    assert blog.USER not in str(raised.value)


def test_a_server_error_is_a_platform_error(simulator, post):
    simulator.inject(Fault("wordpress", "server_error"))

    with pytest.raises(base.PlatformError) as raised:
        blog.connector().fetch("posts", "")

    assert not isinstance(raised.value, base.AccessExpired | base.RateLimited)
    assert "HTTP 500" in raised.value.message


def test_test_reports_the_missing_capabilities_in_swedish(simulator):
    blog.open_blog(simulator, permissions=("read", "edit_posts"))

    assert blog.connector().test() == ["Moderera kommentarer (moderate_comments)"]


def test_test_reports_nothing_missing_with_every_capability(simulator, post):
    assert blog.connector().test() == []
    (call,) = simulator.calls
    assert (call.path, call.params) == (f"/sites/{blog.SITE}/users/me", {"context": "edit"})


# --- Actions ---------------------------------------------------------------------------


def target(obj, kind="comment"):
    return base.ActionTarget(external_id=obj.id, kind=kind)


def test_hide_holds_the_comment_for_moderation_the_nearest_thing(simulator, post):
    written = blog.comment(simulator, post, "Dumheter")
    connector = blog.connector()

    first = connector.hide(target(written))
    second = connector.hide(target(written))

    assert (
        first
        == second
        == base.ActionOutcome(base.ActionResult.NEAREST, "Hålls för granskning på bloggen")
    )
    call = simulator.calls_to("wordpress", "POST")[0]
    assert (call.path, call.body) == (
        f"/sites/{blog.SITE}/comments/{written.id}",
        {"status": "hold"},
    )
    assert simulator.get("wordpress", written.id).status == "hold"


def test_unhide_approves_the_comment_again(simulator, post):
    written = blog.comment(simulator, post, "Hej")
    connector = blog.connector()
    connector.hide(target(written))

    outcome = connector.unhide(target(written))

    assert outcome.state == base.ActionResult.DONE
    assert simulator.calls_to("wordpress", "POST")[-1].body == {"status": "approved"}
    assert simulator.get("wordpress", written.id).status == "approved"


def test_delete_moves_the_comment_to_the_trash_and_twice_is_done(simulator, post):
    written = blog.comment(simulator, post, "Reklam för billiga klockor")
    connector = blog.connector()

    first = connector.delete(target(written))
    second = connector.delete(target(written))

    assert (
        first
        == second
        == base.ActionOutcome(base.ActionResult.DONE, "Flyttad till papperskorgen på bloggen")
    )
    calls = simulator.calls_to("wordpress", "DELETE")
    assert [call.path for call in calls] == [f"/sites/{blog.SITE}/comments/{written.id}"] * 2
    assert calls[0].params == {}  # no force: the trash, not gone for good
    assert simulator.get("wordpress", written.id).status == "trash"


def test_hiding_a_comment_already_gone_ends_done(simulator, post):
    written = blog.comment(simulator, post, "Borta")
    simulator.delete_by_author("wordpress", written.id)

    outcome = blog.connector().hide(target(written))

    assert outcome.state == base.ActionResult.DONE


def test_reply_to_a_comment_posts_under_its_post_and_parent(simulator, post):
    written = blog.comment(simulator, post, "När öppnar ni?")

    outcome = blog.connector().reply(target(written), "Klockan tio.")

    call = simulator.calls_to("wordpress", "POST")[-1]
    assert (call.path, call.body) == (
        f"/sites/{blog.SITE}/comments",
        {"post": int(post.id), "parent": int(written.id), "content": "Klockan tio."},
    )
    assert outcome.state == base.ActionResult.DONE
    assert (outcome.reply.kind, outcome.reply.parent, outcome.reply.text) == (
        "post",
        written.id,
        "Klockan tio.",
    )
    created = simulator.get("wordpress", outcome.reply.external_id)
    assert (created.by_account, created.parent, created.text) == (True, written.id, "Klockan tio.")


def test_reply_to_the_own_post_is_a_top_level_comment(simulator, post):
    outcome = blog.connector().reply(
        base.ActionTarget(external_id=f"post-{post.id}", kind="post"), "Välkomna!"
    )

    call = simulator.calls_to("wordpress", "POST")[-1]
    assert call.body == {"post": int(post.id), "parent": 0, "content": "Välkomna!"}
    assert simulator.get("wordpress", outcome.reply.external_id).parent == post.id


def test_a_direct_message_cannot_be_hidden_on_a_blog(simulator, post):
    outcome = blog.connector().hide(base.ActionTarget(external_id="9", kind="message"))

    assert outcome.state == base.ActionResult.NOT_POSSIBLE
    assert simulator.calls == []


WRONG = {"username": blog.USER, "application_password": "WRONG-secret-99"}


def test_no_secret_in_any_error_message(simulator, post):
    simulator.inject(Fault("wordpress", "server_error"))
    simulator.inject(Fault("wordpress", "rate_limit", path="/sites/x"))
    errors = []
    for call in (
        lambda: blog.connector().fetch("comments", ""),
        lambda: blog.connector(WRONG).test(),
    ):
        with pytest.raises(base.PlatformError) as raised:
            call()
        errors.append(str(raised.value))

    assert all(blog.PASSWORD not in error and "WRONG-secret-99" not in error for error in errors)
