"""Decisions carried out on the platform (services.platform_actions), against the simulated
WordPress: each decision's effect there, once however often the task is delivered; what a
failure does (never to the decision); trying again."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection as db_connection
from django.utils import timezone

from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.models import AuditLogEntry
from atvida_social.outbox import services as outbox_services
from atvida_social.outbox.models import OutboxMessage
from moderation import workflow
from moderation.models import ConnectionState, Decision, Item, PlatformAction
from moderation.platforms.simulator.state import Fault
from moderation.services import decide_item, platform_actions, pulls
from moderation.workflow import DecisionKind, ItemStatus

from . import blog

PERSONNUMMER_TEXT = "Min granne heter Olle, personnummer 811218-9876, och är sjuk."


@pytest.fixture
def channel(library, alice, bob, dora):
    return blog.blog_channel(library, alice, bob, dora)


@pytest.fixture
def post(simulator):
    return blog.open_blog(simulator)


@pytest.fixture
def connection(channel, post):
    return blog.connect(channel)


def pulled(simulator, connection, post, text="När öppnar biblioteket?"):
    """A comment written on the blog and pulled: (the simulator's object, the item)."""
    written = blog.comment(simulator, post, text)
    pulls.pull_connection(connection.pk)
    return written, Item.objects.get(channel=connection.channel, external_id=written.id)


def action_of(item, kind):
    return PlatformAction.objects.get(item=item, kind=kind)


# --- Which decision does what ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "from_status", "effects"),
    [
        (DecisionKind.AUTO_HIDE, ItemStatus.NEW, ["hide"]),
        (DecisionKind.HIDE, ItemStatus.NEW, ["hide"]),
        (DecisionKind.REMOVE, ItemStatus.NEW, ["delete"]),
        (DecisionKind.SECRECY, ItemStatus.HIDDEN, ["delete"]),
        (DecisionKind.ANSWER, ItemStatus.NEW, ["reply"]),
        (DecisionKind.ANSWER, ItemStatus.HIDDEN, ["unhide", "reply"]),
        (DecisionKind.KEEP, ItemStatus.HIDDEN, ["unhide"]),
        (DecisionKind.NO_ANSWER, ItemStatus.HIDDEN, ["unhide"]),
        (DecisionKind.TRIVIAL, ItemStatus.HIDDEN, ["unhide"]),
        (DecisionKind.KEEP, ItemStatus.NEW, []),
        (DecisionKind.FORWARD, ItemStatus.HIDDEN, []),
        (DecisionKind.REGISTER, ItemStatus.NEW, []),
    ],
)
def test_actions_for_each_decision(kind, from_status, effects):
    assert workflow.actions_for(Decision(kind=kind, from_status=from_status)) == effects


# --- Each effect on the blog -------------------------------------------------------------


def test_removing_trashes_the_comment_on_the_blog(simulator, connection, post, dora):
    written, item = pulled(simulator, connection, post)

    decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")
    action = action_of(item, "delete")
    state = platform_actions.carry_out_platform_action(action.pk)

    action.refresh_from_db()
    assert (state, action.message) == ("klar", "Flyttad till papperskorgen på bloggen")
    assert action.done_at is not None
    assert action.attempts == 1
    assert simulator.get("wordpress", written.id).status == "trash"
    # Removed by the municipality: no later pull marks it deleted by its author.
    pulls.pull_connection(connection.pk)
    item.refresh_from_db()
    assert item.deleted_on_platform_at is None


def test_a_persons_hiding_holds_the_comment_on_the_blog_and_keeps_the_clock_running(
    simulator, connection, post, dora
):
    written, item = pulled(simulator, connection, post)

    decide_item(item, by=dora, kind=DecisionKind.HIDE)
    state = platform_actions.carry_out_platform_action(action_of(item, "hide").pk)

    item.refresh_from_db()
    # A blog cannot hide a comment; holding it for review is the nearest thing.
    assert state == "narmaste"
    assert simulator.get("wordpress", written.id).status == "hold"
    assert (item.status, item.settled_at) == (ItemStatus.HIDDEN, None)
    assert Item.objects.in_queue().filter(pk=item.pk).exists()


def test_keeping_a_hidden_item_shows_it_again_on_the_blog(
    simulator, connection, post, dora, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        written, item = pulled(simulator, connection, post, PERSONNUMMER_TEXT)
    assert simulator.get("wordpress", written.id).status == "hold"

    decide_item(item, by=dora, kind=DecisionKind.KEEP)
    platform_actions.carry_out_platform_action(action_of(item, "unhide").pk)

    assert simulator.get("wordpress", written.id).status == "approved"
    assert action_of(item, "unhide").state == "klar"


def test_answering_posts_the_reply_and_makes_it_the_own_item_in_the_thread(
    simulator, connection, post, dora
):
    written, item = pulled(simulator, connection, post)

    decide_item(item, by=dora, kind=DecisionKind.ANSWER, reply_text="Klockan tio i morgon.")
    action = action_of(item, "reply")
    platform_actions.carry_out_platform_action(action.pk)

    action.refresh_from_db()
    reply = action.reply_item
    assert (reply.kind, reply.status, reply.parent_id, reply.text) == (
        "post",
        ItemStatus.PUBLISHED,
        item.pk,
        "Klockan tio i morgon.",
    )
    on_blog = simulator.get("wordpress", reply.external_id)
    assert (on_blog.by_account, on_blog.parent) == (True, written.id)
    # The next pull finds the reply already stored.
    pulls.pull_connection(connection.pk)
    assert Item.objects.filter(external_id=reply.external_id).count() == 1


def test_a_channel_without_a_connection_gets_no_platform_actions(channel, dora):
    from moderation.services import ingest

    ((item, _created),) = ingest.ingest_items(
        channel,
        [
            {
                "external_id": "1",
                "kind": "comment",
                "author": "A",
                "text": "Hej",
                "received_at": timezone.now().isoformat(),
            }
        ],
    )

    decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")

    assert not PlatformAction.objects.exists()


# --- Once, however often delivered -------------------------------------------------------


def test_an_action_carried_out_twice_calls_the_blog_once(simulator, connection, post, dora):
    _written, item = pulled(simulator, connection, post)
    decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")
    action = action_of(item, "delete")

    platform_actions.carry_out_platform_action(action.pk)
    platform_actions.carry_out_platform_action(action.pk)

    assert len(simulator.calls_to("wordpress", "DELETE")) == 1


def test_a_decision_asks_for_its_action_once_and_hands_it_to_the_outbox(
    simulator, connection, post, dora
):
    _written, item = pulled(simulator, connection, post)

    decision = decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")
    platform_actions.request_platform_actions(item, decision)

    action = action_of(item, "delete")
    messages = OutboxMessage.objects.filter(task_name="moderation.tasks.carry_out_platform_action")
    assert [message.args for message in messages] == [[action.pk]]


def _decided_and_delivered_twice_at_once(simulator, channel, monkeypatch, **decision):
    """A comment pulled and decided, its action not handed over at commit (the tests' Celery
    runs a task at once), then delivered twice at the same moment to a blog that answers
    slowly, so that the deliveries overlap: (the comment on the blog, the action, the states
    the two deliveries returned)."""
    post = blog.open_blog(simulator)
    connection = blog.connect(channel)
    written, item = pulled(simulator, connection, post)
    with monkeypatch.context() as patch:
        patch.setattr(outbox_services, "hand_over", lambda message_id: None)
        decide_item(item, by=decision.pop("by"), **decision)
    [action] = item.platform_actions.all()
    simulator.inject(
        Fault("wordpress", "slow", path=f"/sites/{blog.SITE}/comments", times=4, seconds=0.5)
    )
    barrier = threading.Barrier(2)
    states = []

    def deliver():
        try:
            barrier.wait()
            states.append(platform_actions.carry_out_platform_action(action.pk))
        finally:
            db_connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    action.refresh_from_db()
    return written, action, states


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_action_delivered_twice_at_once_calls_the_blog_once(
    simulator, library, alice, bob, dora, monkeypatch
):
    channel = blog.blog_channel(library, alice, bob, dora)

    written, action, states = _decided_and_delivered_twice_at_once(
        simulator, channel, monkeypatch, by=dora, kind=DecisionKind.REMOVE, category="reklam"
    )

    assert len(simulator.calls_to("wordpress", "DELETE")) == 1
    assert simulator.get("wordpress", written.id).status == "trash"
    assert action.state == "klar"
    # The other delivery did nothing: it found the row locked, or the action done.
    assert sorted(states) in (["klar", "locked"], ["klar", "klar"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reply_delivered_twice_at_once_is_posted_once(
    simulator, library, alice, bob, dora, monkeypatch
):
    channel = blog.blog_channel(library, alice, bob, dora)

    written, action, states = _decided_and_delivered_twice_at_once(
        simulator,
        channel,
        monkeypatch,
        by=dora,
        kind=DecisionKind.ANSWER,
        reply_text="Klockan tio i morgon.",
    )
    later = platform_actions.carry_out_platform_action(action.pk)
    action.refresh_from_db()

    replies = [o for o in simulator.listing("wordpress", blog.SITE, "comment") if o.by_account]
    action.refresh_from_db()
    assert len(simulator.calls_to("wordpress", "POST")) == 1
    assert [reply.id for reply in replies] == [action.reply_item.external_id]
    assert (action.state, replies[0].parent) == ("klar", written.id)
    # The other delivery did nothing: it found the row locked, or the reply recorded.
    assert "klar" in states
    assert set(states) <= {"klar", "locked"}
    assert later == "klar"


# --- Failures ----------------------------------------------------------------------------


def test_a_server_error_backs_off_and_fails_after_five_attempts_keeping_the_decision(
    simulator, connection, post, dora
):
    _written, item = pulled(simulator, connection, post)
    decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")
    action = action_of(item, "delete")
    simulator.inject(Fault("wordpress", "server_error", times=5))
    now = timezone.now()

    platform_actions.carry_out_platform_action(action.pk, now=now)
    action.refresh_from_db()
    first_retry = action.next_attempt_at - now
    for minutes in (1, 3, 7, 15):
        platform_actions.carry_out_platform_action(
            action.pk, now=now + datetime.timedelta(minutes=minutes)
        )

    action.refresh_from_db()
    item.refresh_from_db()
    assert first_retry == datetime.timedelta(minutes=1)
    assert (action.state, action.attempts) == ("misslyckad", 5)
    assert action.message == "Bloggen svarade med ett fel (HTTP 500)."
    assert item.status == ItemStatus.REMOVED


def test_an_expired_password_fails_the_action_and_breaks_the_connection(
    simulator, connection, post, dora
):
    _written, item = pulled(simulator, connection, post)
    decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")
    simulator.expire("wordpress", blog.CREDENTIAL)

    platform_actions.carry_out_platform_action(action_of(item, "delete").pk)

    action = action_of(item, "delete")
    connection.refresh_from_db()
    assert action.state == "misslyckad"
    assert action.message == "åtkomsten har gått ut"
    assert connection.state == ConnectionState.BROKEN
    item.refresh_from_db()
    assert item.status == ItemStatus.REMOVED


def test_a_rate_limit_leaves_the_action_waiting_until_the_limit_lifts(
    simulator, connection, post, dora
):
    _written, item = pulled(simulator, connection, post)
    decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")
    simulator.inject(Fault("wordpress", "rate_limit"))
    now = timezone.now()

    platform_actions.carry_out_platform_action(action_of(item, "delete").pk, now=now)
    early = platform_actions.carry_out_due_actions(now + datetime.timedelta(seconds=30))
    later = platform_actions.carry_out_due_actions(now + datetime.timedelta(minutes=3))

    action = action_of(item, "delete")
    assert (early, later) == (0, 1)
    assert action.state == "klar"
    assert len(simulator.calls_to("wordpress", "DELETE")) == 2


def test_try_again_makes_a_failed_action_pending_for_those_who_handle_the_item(
    simulator, connection, post, dora, carol
):
    _written, item = pulled(simulator, connection, post)
    decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")
    simulator.expire("wordpress", blog.CREDENTIAL)
    platform_actions.carry_out_platform_action(action_of(item, "delete").pk)
    action = action_of(item, "delete")

    with pytest.raises(PermissionDeniedError):
        platform_actions.retry_platform_action(action, by=carol)
    retried = platform_actions.retry_platform_action(action, by=dora)
    with pytest.raises(ValidationError):
        platform_actions.retry_platform_action(retried, by=dora)

    assert (retried.state, retried.attempts) == ("vantar", 0)
    assert (
        OutboxMessage.objects.filter(
            task_name="moderation.tasks.carry_out_platform_action", args=[action.pk]
        ).count()
        == 2
    )
    assert AuditLogEntry.objects.filter(action="platform_action_retried").count() == 1


def test_an_action_on_a_broken_connection_fails_without_a_call(simulator, connection, post, dora):
    _written, item = pulled(simulator, connection, post)
    decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")
    connection.state = ConnectionState.BROKEN
    connection.save()
    calls = len(simulator.calls)

    platform_actions.carry_out_platform_action(action_of(item, "delete").pk)

    assert action_of(item, "delete").state == "misslyckad"
    assert len(simulator.calls) == calls
