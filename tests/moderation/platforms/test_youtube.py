"""The YouTube connector against the simulator: pulls, quota, access and actions."""

import datetime
import time

import pytest
import time_machine

from moderation.platforms import registry
from moderation.platforms.base import (
    AccessExpired,
    ActionResult,
    ActionTarget,
    PlatformError,
    RateLimited,
)
from moderation.platforms.simulator.state import Fault
from moderation.platforms.youtube import connector as youtube_connector
from moderation.platforms.youtube import simulator as sim
from moderation.platforms.youtube.connector import YouTubeConnector

CHANNEL = "UCkommunAtvidaberg000001"
REFRESH = "1//0gRefreshTokenSecret-xyzzy"
SECRET = "GOCSPX-klienthemlighet-42"
CREDENTIALS = {"refresh_token": REFRESH, "client_id": "123-abc.apps", "client_secret": SECRET}
UTC = datetime.UTC


@pytest.fixture
def world(simulator):
    simulator.grant("youtube", REFRESH, CHANNEL, sim.PERMISSIONS)
    return simulator


def connector(**kwargs) -> YouTubeConnector:
    con = registry.connector_for("youtube", account_id=CHANNEL, credentials=CREDENTIALS)
    if "limits" in kwargs:
        con.limits = kwargs.pop("limits")
    for name, value in kwargs.items():
        setattr(con, name, value)
    return con


def pull(con, kind: str, cursor: str = ""):
    """Every page of `kind` from `cursor`: the items and the last cursor."""
    items = []
    for _page in range(100):
        page = con.fetch(kind, cursor)
        items += page.items
        cursor = page.cursor
        if not page.more:
            return items, cursor
    raise AssertionError("The pull did not end.")


def ago(seconds: float) -> float:
    return time.time() - seconds


def comments_on_video(state, count: int, *, start: float = 1000):
    video = sim.add_video(state, CHANNEL, "Kommunfullmäktige", created=ago(start + 10))
    comments = [
        sim.add_comment(state, CHANNEL, video.id, f"Kommentar {n}", created=ago(start - n))
        for n in range(count)
    ]
    return video, comments


def api_calls(state, path: str, method: str = "GET"):
    return [call for call in state.calls_to("youtube", method) if call.path == path]


def test_the_registry_builds_the_youtube_connector_whose_rejection_is_final():
    assert registry.connector_class("youtube") is YouTubeConnector
    assert YouTubeConnector.REJECT_IS_FINAL is True
    assert [name for name, _label in YouTubeConnector.SECRET_FIELDS] == [
        "refresh_token",
        "client_id",
        "client_secret",
    ]


# --- Pulls ---------------------------------------------------------------------------


def test_comments_are_read_over_several_pages_with_nothing_twice(world):
    _video, comments = comments_on_video(world, 7)
    reply = sim.add_comment(world, CHANNEL, comments[0].id, "Ett svar", created=ago(100))

    items, _cursor = pull(connector(THREAD_PAGE_SIZE=3), "comments")

    assert sorted(item.external_id for item in items) == sorted(
        [comment.id for comment in comments] + [reply.id]
    )
    assert {item.external_id: item.parent for item in items}[reply.id] == comments[0].id
    threads = api_calls(world, "/commentThreads")
    assert [call.params["moderationStatus"] for call in threads] == ["published"] * 3 + [
        "heldForReview"
    ]
    assert all(call.params["maxResults"] == "3" for call in threads)


def test_comments_held_for_review_are_pulled_too(world):
    _video, comments = comments_on_video(world, 2)
    comments[1].hidden = True

    items, _cursor = pull(connector(), "comments")

    assert sorted(item.external_id for item in items) == sorted(c.id for c in comments)


@pytest.mark.parametrize("fault", ["server_error", "cut_short"])
def test_a_failure_mid_page_resumes_from_the_last_saved_cursor(world, fault):
    _video, comments = comments_on_video(world, 7)
    con = connector(THREAD_PAGE_SIZE=3)
    first = con.fetch("comments", "")
    world.inject(Fault("youtube", fault, path="/commentThreads"))

    with pytest.raises(PlatformError):
        con.fetch("comments", first.cursor)
    rest, _cursor = pull(con, "comments", first.cursor)

    ids = [item.external_id for item in first.items + rest]
    assert sorted(ids) == sorted(comment.id for comment in comments)
    assert len(ids) == len(set(ids))


def test_a_second_pull_hands_over_only_what_is_new_or_edited(world):
    video, comments = comments_on_video(world, 4)
    con = connector(THREAD_PAGE_SIZE=2)
    _items, cursor = pull(con, "comments")
    world.edit("youtube", comments[1].id, "Ändrad kommentar", at=ago(30))
    new = sim.add_comment(world, CHANNEL, video.id, "Ny kommentar", created=ago(20))
    reply = sim.add_comment(world, CHANNEL, comments[0].id, "Nytt svar", created=ago(10))

    items, cursor = pull(con, "comments", cursor)
    again, _cursor = pull(con, "comments", cursor)

    assert sorted((item.external_id, item.text) for item in items) == sorted(
        [(comments[1].id, "Ändrad kommentar"), (new.id, "Ny kommentar"), (reply.id, "Nytt svar")]
    )
    assert again == []


def test_replies_beyond_those_a_thread_carries_are_read_when_their_count_changes(world):
    video = sim.add_video(world, CHANNEL, "Budgeten", created=ago(500))
    top = sim.add_comment(world, CHANNEL, video.id, "Varför höjs skatten?", created=ago(400))
    replies = [
        sim.add_comment(world, CHANNEL, top.id, f"Svar {n}", created=ago(300 - n)) for n in range(7)
    ]
    con = connector()

    items, cursor = pull(con, "comments")
    unchanged, cursor = pull(con, "comments", cursor)
    calls_before = len(api_calls(world, "/comments"))
    late = sim.add_comment(world, CHANNEL, top.id, "Sent svar", created=ago(5))
    later, _cursor = pull(con, "comments", cursor)

    assert sorted(item.external_id for item in items) == sorted([top.id] + [r.id for r in replies])
    assert unchanged == []
    assert calls_before == 1
    assert [item.external_id for item in later] == [late.id]
    assert len(api_calls(world, "/comments")) == 2
    assert api_calls(world, "/comments")[-1].params["parentId"] == top.id


def test_videos_are_read_over_several_pages_and_the_next_pull_stops_at_what_it_has(world):
    videos = [
        sim.add_video(world, CHANNEL, f"Video {n}", "Beskrivning", created=ago(1000 - n))
        for n in range(5)
    ]
    con = connector(VIDEO_PAGE_SIZE=2)

    items, cursor = pull(con, "posts")
    new = sim.add_video(world, CHANNEL, "Ny video", created=ago(5))
    before = len(api_calls(world, "/playlistItems"))
    later, _cursor = pull(con, "posts", cursor)

    assert sorted(item.external_id for item in items) == sorted(video.id for video in videos)
    assert {item.kind for item in items} == {"post"}
    assert items[0].text == "Video 4\n\nBeskrivning"
    assert [item.external_id for item in later] == [new.id]
    assert len(api_calls(world, "/playlistItems")) - before == 1
    # The uploads playlist is looked up once and kept in the cursor.
    assert len(api_calls(world, "/channels")) == 1


def checked(state) -> list[list[str]]:
    """The ids of each videos.list call that read texts again."""
    return [
        call.params["id"].split(",")
        for call in api_calls(state, "/videos")
        if call.params.get("part") == "snippet"
    ]


def test_an_edited_video_text_is_handed_over_again_and_an_unchanged_one_is_not(world):
    first = sim.add_video(world, CHANNEL, "Budget 2027", "Så används skatten.", created=ago(900))
    second = sim.add_video(world, CHANNEL, "Sommarlov", created=ago(800))
    con = connector()
    handed, cursor = pull(con, "posts")
    sim.edit_video(world, first.id, "Budget 2027 (rättad)", "Så används skattepengarna.")

    edited, cursor = pull(con, "posts", cursor)
    unchanged, _cursor = pull(con, "posts", cursor)

    assert sorted(item.external_id for item in handed) == sorted([first.id, second.id])
    assert [(item.external_id, item.kind, item.text) for item in edited] == [
        (first.id, "post", "Budget 2027 (rättad)\n\nSå används skattepengarna.")
    ]
    assert unchanged == []
    assert checked(world) == [[second.id, first.id]] * 3


@time_machine.travel(datetime.datetime(2026, 12, 6, 15, 0, tzinfo=UTC))
def test_reading_the_video_texts_again_costs_one_quota_unit_and_keeps_the_reserve(world):
    sim.add_video(world, CHANNEL, "Budget 2027", created=ago(900))
    con = connector(limits={"quota_day": "2026-12-06", "quota_used": 9_000})
    _items, cursor = pull(con, "posts")
    used = con.limits["quota_used"]
    con.limits = {**con.limits, "quota_used": 9_499}
    uploads = con.fetch("posts", cursor)

    with pytest.raises(RateLimited):
        con.fetch("posts", uploads.cursor)

    # channels, playlistItems and videos: one unit each.
    assert used == 9_003
    assert uploads.more
    assert len(checked(world)) == 1
    assert con.limits["quota_used"] == 9_500


def test_the_texts_of_the_newest_videos_and_a_rolling_slice_of_the_older_are_read(
    world, monkeypatch
):
    monkeypatch.setattr(youtube_connector, "CHECK_BATCH", 4)
    monkeypatch.setattr(youtube_connector, "CHECK_NEWEST", 2)
    videos = [sim.add_video(world, CHANNEL, f"Video {n}", created=ago(1000 - n)) for n in range(8)]
    ids = [video.id for video in reversed(videos)]  # newest first
    con = connector()
    _items, cursor = pull(con, "posts")
    sim.edit_video(world, videos[0].id, "Video 0, ny titel")
    handed = []

    for _pull in range(3):
        items, cursor = pull(con, "posts", cursor)
        handed.append([item.external_id for item in items])

    assert checked(world) == [
        ids[:2] + ids[2:4],
        ids[:2] + ids[4:6],
        ids[:2] + ids[6:8],
        ids[:2] + ids[2:4],
    ]
    # The oldest video's edit is found when the rolling slice reaches it.
    assert handed == [[], [videos[0].id], []]


# --- Quota, rate limits and access ---------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 12, 6, 15, 0, tzinfo=UTC))
def test_a_pull_stops_before_the_daily_quota_and_leaves_a_reserve_for_actions(world):
    _video, comments = comments_on_video(world, 1)
    limits = {"quota_day": "2026-12-06", "quota_used": 9_500}
    con = connector(limits=dict(limits))

    with pytest.raises(RateLimited) as refused:
        con.fetch("comments", "")
    outcome = con.hide(ActionTarget(comments[0].id, "comment", _video.id))

    # Midnight Pacific time is 08:00 UTC in December.
    assert refused.value.retry_at == datetime.datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    assert api_calls(world, "/commentThreads") == []
    assert outcome.state == ActionResult.DONE
    assert con.limits["quota_used"] == 9_550
    assert con.limits["summary"] == (
        "9550 av 10000 kvotenheter använda i dag; kvoten nollställs 09:00."
    )


@time_machine.travel(datetime.datetime(2026, 12, 6, 15, 0, tzinfo=UTC))
def test_an_action_that_would_pass_the_quota_is_refused_without_a_call(world):
    _video, comments = comments_on_video(world, 1)
    con = connector(limits={"quota_day": "2026-12-06", "quota_used": 9_960})

    with pytest.raises(RateLimited):
        con.hide(ActionTarget(comments[0].id, "comment", _video.id))

    assert api_calls(world, "/comments/setModerationStatus", "POST") == []


@time_machine.travel(datetime.datetime(2026, 12, 6, 15, 0, tzinfo=UTC))
def test_yesterdays_quota_count_starts_again_at_zero(world):
    comments_on_video(world, 1)
    con = connector(limits={"quota_day": "2026-12-05", "quota_used": 10_000})

    pull(con, "comments")

    assert (con.limits["quota_day"], con.limits["quota_used"]) == ("2026-12-06", 2)


@time_machine.travel(datetime.datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
def test_quota_exceeded_on_youtube_waits_for_midnight_pacific_and_makes_no_further_call(world):
    comments_on_video(world, 5)
    world.usage["youtube"] = {"quota": 1, "used": {}}
    con = connector(THREAD_PAGE_SIZE=2)
    first = con.fetch("comments", "")

    with pytest.raises(RateLimited) as refused:
        con.fetch("comments", first.cursor)
    with pytest.raises(RateLimited):
        con.fetch("comments", first.cursor)

    # Summer time: midnight Pacific is 07:00 UTC.
    assert refused.value.retry_at == datetime.datetime(2026, 7, 2, 7, 0, tzinfo=UTC)
    assert len(api_calls(world, "/commentThreads")) == 2
    assert con.limits["quota_used"] == 10_000


def test_a_rate_limit_asks_for_a_pause_and_the_connector_does_not_retry(world):
    comments_on_video(world, 1)
    world.inject(Fault("youtube", "rate_limit", path="/commentThreads"))
    started = datetime.datetime.now(UTC)

    with pytest.raises(RateLimited) as refused:
        connector().fetch("comments", "")

    assert refused.value.retry_at >= started + datetime.timedelta(minutes=2)
    assert len(api_calls(world, "/commentThreads")) == 1


def test_a_refused_access_token_is_access_expired(world):
    comments_on_video(world, 1)
    world.inject(Fault("youtube", "expired", path="/commentThreads"))

    with pytest.raises(AccessExpired) as refused:
        connector().fetch("comments", "")

    assert "HTTP 401" in refused.value.message


def test_a_revoked_refresh_token_is_access_expired_before_any_api_call(world):
    world.expire("youtube", REFRESH)

    with pytest.raises(AccessExpired) as refused:
        connector().fetch("comments", "")

    assert "invalid_grant" in refused.value.message
    assert world.calls_to("youtube") == []
    assert len(world.calls_to("youtube_oauth", "POST")) == 1


def test_incomplete_credentials_are_access_expired_without_a_call(world):
    con = registry.connector_for(
        "youtube", account_id=CHANNEL, credentials={"refresh_token": REFRESH}
    )

    with pytest.raises(AccessExpired):
        con.test()

    assert world.calls == []


def test_a_server_error_is_a_platform_error(world):
    world.inject(Fault("youtube", "server_error", path="/channels"))

    with pytest.raises(PlatformError) as failed:
        connector().test()

    assert not isinstance(failed.value, (AccessExpired, RateLimited))
    assert "HTTP 503" in failed.value.message


def _errors(world):
    """Every error the connector raises, each with the secrets in play."""
    comments_on_video(world, 2)
    raised = []
    for kind in ("expired", "rate_limit", "server_error", "cut_short"):
        world.inject(Fault("youtube", kind, path="/commentThreads"))
        with pytest.raises(PlatformError) as error:
            connector().fetch("comments", "")
        raised.append(error.value)
    world.usage["youtube"] = {"quota": 0, "used": {}}
    with pytest.raises(RateLimited) as error:
        connector().fetch("comments", "")
    raised.append(error.value)
    world.expire("youtube", REFRESH)
    with pytest.raises(AccessExpired) as error:
        connector().test()
    raised.append(error.value)
    return raised


def test_no_secret_is_in_any_error_message(world):
    access = "ya29.sim-"

    for error in _errors(world):
        for secret in (REFRESH, SECRET, access):
            assert secret not in str(error)
            assert secret not in error.message


# --- test() --------------------------------------------------------------------------


def test_the_connection_test_finds_nothing_missing_with_every_scope(world):
    assert connector().test() == []
    (call,) = api_calls(world, "/channels")
    assert call.params == {"part": "id", "mine": "true"}


def test_the_connection_test_names_the_missing_scope_in_swedish(world):
    world.grant("youtube", REFRESH, CHANNEL, {"https://www.googleapis.com/auth/youtube.readonly"})

    assert connector().test() == ["Hantera kommentarer på YouTube (behörigheten youtube.force-ssl)"]


def test_the_connection_test_says_when_the_login_is_another_channels(world):
    world.grant("youtube", REFRESH, "UCnagonAnnanKanal", sim.PERMISSIONS)

    assert connector().test() == [
        f"Ägarskap till kanalen {CHANNEL}: inloggningen gäller en annan kanal."
    ]


# --- gone() --------------------------------------------------------------------------


def test_gone_names_the_comments_and_videos_no_longer_on_youtube(world):
    video, comments = comments_on_video(world, 3)
    other = sim.add_video(world, CHANNEL, "Gammal video")
    world.delete_by_author("youtube", comments[1].id)
    world.delete_by_author("youtube", other.id)

    gone = connector().gone([c.id for c in comments] + [video.id, other.id])

    assert gone == {comments[1].id, other.id}
    assert api_calls(world, "/comments")[0].params["id"] == ",".join(
        [c.id for c in comments] + [video.id, other.id]
    )


# --- Actions -------------------------------------------------------------------------


@pytest.fixture
def thread(world):
    video = sim.add_video(world, CHANNEL, "Skolavslutning")
    comment = sim.add_comment(world, CHANNEL, video.id, "Dumma kommentarer här")
    return video, comment


def target(obj, kind="comment") -> ActionTarget:
    return ActionTarget(obj.id, kind, obj.parent)


def test_hiding_holds_the_comment_for_review_and_twice_is_done(world, thread):
    _video, comment = thread
    con = connector()

    outcomes = [con.hide(target(comment)), con.hide(target(comment))]

    assert [o.state for o in outcomes] == [ActionResult.DONE] * 2
    assert outcomes[0].message == "Dold på YouTube (väntar på granskning)"
    assert world.get("youtube", comment.id).hidden is True
    call = api_calls(world, "/comments/setModerationStatus", "POST")[0]
    assert call.params == {"id": comment.id, "moderationStatus": "heldForReview"}
    assert con.limits["quota_used"] == 2 * 50


def test_unhiding_publishes_the_comment_again(world, thread):
    _video, comment = thread
    con = connector()
    con.hide(target(comment))

    outcomes = [con.unhide(target(comment)), con.unhide(target(comment))]

    assert [o.state for o in outcomes] == [ActionResult.DONE] * 2
    assert world.get("youtube", comment.id).hidden is False
    call = api_calls(world, "/comments/setModerationStatus", "POST")[-1]
    assert call.params == {"id": comment.id, "moderationStatus": "published"}


def test_deleting_anothers_comment_rejects_it_as_the_nearest_thing_and_twice_is_done(world, thread):
    _video, comment = thread
    con = connector()

    first, second = con.delete(target(comment)), con.delete(target(comment))

    assert (first.state, first.message) == (
        ActionResult.NEAREST,
        "Avvisad på YouTube – en avvisad kommentar kan aldrig publiceras igen",
    )
    assert (second.state, second.message) == (ActionResult.DONE, "Finns inte längre på YouTube")
    assert world.get("youtube", comment.id).status == "rejected"
    call = api_calls(world, "/comments/setModerationStatus", "POST")[0]
    assert call.params == {"id": comment.id, "moderationStatus": "rejected"}
    assert api_calls(world, "/comments", "DELETE") == []


def test_a_rejected_comment_cannot_be_shown_again(world, thread):
    _video, comment = thread
    con = connector()
    con.delete(target(comment))

    outcome = con.unhide(target(comment))

    assert outcome.state == ActionResult.NOT_POSSIBLE
    assert "kan inte visas igen" in outcome.message


def test_deleting_the_channels_own_reply_deletes_it_and_twice_is_done(world, thread):
    _video, comment = thread
    con = connector()
    reply = con.reply(target(comment), "Vi tar bort kränkande kommentarer.").reply
    own = ActionTarget(reply.external_id, reply.kind, reply.parent)

    outcomes = [con.delete(own), con.delete(own)]

    assert [o.state for o in outcomes] == [ActionResult.DONE] * 2
    assert world.get("youtube", reply.external_id).visible is False
    assert api_calls(world, "/comments", "DELETE")[0].params == {"id": reply.external_id}


def test_replying_posts_as_the_channel_and_hands_back_the_reply_as_its_own_post(world, thread):
    video, comment = thread

    outcome = connector().reply(target(comment), "Hej! Vi svarar på måndag 🙂")

    call = api_calls(world, "/comments", "POST")[0]
    assert call.params == {"part": "snippet"}
    assert call.body == {
        "snippet": {"parentId": comment.id, "textOriginal": "Hej! Vi svarar på måndag 🙂"}
    }
    posted = world.get("youtube", outcome.reply.external_id)
    assert (posted.by_account, posted.parent, posted.text) == (
        True,
        comment.id,
        "Hej! Vi svarar på måndag 🙂",
    )
    assert outcome.state == ActionResult.DONE
    assert (outcome.reply.kind, outcome.reply.parent, outcome.reply.text) == (
        "post",
        comment.id,
        "Hej! Vi svarar på måndag 🙂",
    )
    assert outcome.reply.url == (
        f"https://www.youtube.com/watch?v={video.id}&lc={outcome.reply.external_id}"
    )


def test_an_answer_to_a_reply_goes_to_its_thread(world, thread):
    _video, comment = thread
    reply = sim.add_comment(world, CHANNEL, comment.id, "Håller inte med")

    outcome = connector().reply(target(reply), "Tack för synpunkten.")

    assert api_calls(world, "/comments", "POST")[0].body["snippet"]["parentId"] == comment.id
    assert outcome.reply.parent == comment.id


def test_answering_a_video_starts_a_thread_on_it(world, thread):
    video, _comment = thread

    outcome = connector().reply(ActionTarget(video.id, "post"), "Välkomna!")

    call = api_calls(world, "/commentThreads", "POST")[0]
    assert call.body["snippet"]["videoId"] == video.id
    assert (outcome.reply.kind, outcome.reply.parent) == ("post", video.id)
    assert world.get("youtube", outcome.reply.external_id).by_account is True


def test_a_video_is_neither_hidden_nor_deleted_from_the_tool(world, thread):
    video, _comment = thread
    con = connector()

    outcomes = [
        con.hide(ActionTarget(video.id, "post")),
        con.delete(ActionTarget(video.id, "post")),
    ]

    assert [o.state for o in outcomes] == [ActionResult.NOT_POSSIBLE] * 2
    assert "YouTube Studio" in outcomes[1].message
    assert world.calls_to("youtube", "POST") == world.calls_to("youtube", "DELETE") == []


def test_answering_a_deleted_comment_is_not_possible(world, thread):
    _video, comment = thread
    world.delete_by_author("youtube", comment.id)

    outcome = connector().reply(target(comment), "Hej")

    assert outcome.state == ActionResult.NOT_POSSIBLE
    assert "svaret skickades inte" in outcome.message
