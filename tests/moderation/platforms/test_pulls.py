"""Pulling a connected channel through its connector (services.pulls), against the simulated
WordPress: items stored once, resumable, incremental; limits, broken access, deletions and
edits on the platform; when the next pull is due."""

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone

from atvida_social.outbox.models import OutboxMessage
from moderation.models import (
    ConnectionState,
    Item,
    PlatformAction,
    PlatformConnection,
    PullCursor,
)
from moderation.platforms.simulator.state import Fault
from moderation.platforms.wordpress import connector as wordpress_connector
from moderation.services import pulls
from moderation.workflow import ItemStatus

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


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(wordpress_connector, "PER_PAGE", 10)


def stored(channel):
    return list(Item.objects.filter(channel=channel).order_by("pk"))


def test_a_pull_stores_the_own_post_and_its_comments_in_their_thread(
    simulator, connection, post, small_pages
):
    written = blog.comments(simulator, post, 25)

    result = pulls.pull_connection(connection.pk)

    items = stored(connection.channel)
    assert result.created == 26
    assert [item.external_id for item in items] == [f"post-{post.id}"] + [c.id for c in written]
    assert items[0].status == ItemStatus.PUBLISHED
    assert {item.parent_id for item in items[1:]} == {items[0].pk}
    connection.refresh_from_db()
    assert connection.state == ConnectionState.WORKING
    assert connection.last_pull_error == ""
    assert "anrop kvar" in connection.limits["summary"]


def test_a_second_pull_stores_nothing_twice(simulator, connection, post):
    blog.comments(simulator, post, 5)
    pulls.pull_connection(connection.pk)

    again = pulls.pull_connection(connection.pk)

    assert again.created == 0
    assert Item.objects.filter(channel=connection.channel).count() == 6


def test_a_pull_classifies_and_a_hiding_rule_hides_on_the_blog(
    simulator, connection, post, django_capture_on_commit_callbacks
):
    written = blog.comment(simulator, post, PERSONNUMMER_TEXT)

    with django_capture_on_commit_callbacks(execute=True):
        pulls.pull_connection(connection.pk)

    item = Item.objects.get(external_id=written.id)
    assert item.status == ItemStatus.HIDDEN
    (action,) = PlatformAction.objects.filter(item=item)
    assert (action.kind, action.state) == ("hide", "narmaste")
    assert action.message == "Hålls för granskning på bloggen"
    assert simulator.get("wordpress", written.id).status == "hold"


def test_a_fault_mid_pagination_resumes_without_skipping_or_repeating(
    simulator, connection, post, small_pages, monkeypatch
):
    written = blog.comments(simulator, post, 25)
    fetch = wordpress_connector.WordPressConnector._fetch_comments
    pages = []

    def second_page_fails(self, state):
        pages.append(state)
        if len(pages) == 2:
            simulator.inject(Fault("wordpress", "server_error"))
        return fetch(self, state)

    monkeypatch.setattr(
        wordpress_connector.WordPressConnector, "_fetch_comments", second_page_fails
    )
    failed = pulls.pull_connection(connection.pk)
    after_failure = Item.objects.filter(channel=connection.channel).count()

    pulls.pull_connection(connection.pk)

    assert "HTTP 500" in failed.error
    assert after_failure == 1 + 10
    ids = list(
        Item.objects.filter(channel=connection.channel, kind="comment")
        .order_by("pk")
        .values_list("external_id", flat=True)
    )
    assert ids == [c.id for c in written]


def test_a_rate_limit_rests_the_connection_and_the_next_pull_waits(simulator, connection, post):
    blog.comments(simulator, post, 3)
    simulator.inject(Fault("wordpress", "rate_limit"))
    now = timezone.now()

    limited = pulls.pull_connection(connection.pk, now=now)
    calls = len(simulator.calls)
    waiting = pulls.pull_connection(connection.pk, now=now + datetime.timedelta(seconds=60))

    connection.refresh_from_db()
    assert connection.backoff_until > now + datetime.timedelta(seconds=100)
    assert connection.next_pull_at >= connection.backoff_until
    assert waiting.skipped == "vilar"
    assert len(simulator.calls) == calls == 1
    assert limited.created == 0
    assert pulls.pull_due_connections(now + datetime.timedelta(seconds=60)) == 0


MAIL_TASK = "moderation.tasks.mail_connection_broken"


def test_an_expired_password_breaks_the_connection_and_mails_the_owners_once(
    simulator, connection, alice, dora, ingrid, django_capture_on_commit_callbacks
):
    simulator.expire("wordpress", blog.CREDENTIAL)

    with django_capture_on_commit_callbacks(execute=True):
        pulls.pull_connection(connection.pk)
        pulls.mark_connection_broken(connection, reason="igen")
        pulls.pull_due_connections(timezone.now() + datetime.timedelta(hours=2))

    connection.refresh_from_db()
    assert connection.state == ConnectionState.BROKEN
    assert connection.broken_mailed_at is not None
    (message,) = mail.outbox
    assert sorted(message.to) == sorted([alice.email, ingrid.email])
    assert blog.PASSWORD not in message.body + connection.broken_reason
    assert pulls.pull_connection(connection.pk).skipped == "bruten"


def test_the_break_is_mailed_through_the_outbox_after_commit(
    simulator, connection, django_capture_on_commit_callbacks
):
    simulator.expire("wordpress", blog.CREDENTIAL)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pulls.pull_connection(connection.pk)

    connection.refresh_from_db()
    (queued,) = OutboxMessage.objects.filter(task_name=MAIL_TASK)
    assert queued.args == [connection.pk, connection.broken_at.isoformat()]
    assert (len(mail.outbox), connection.broken_mailed_at) == (0, None)
    for callback in callbacks:
        callback()
    connection.refresh_from_db()
    assert len(mail.outbox) == 1
    assert connection.broken_mailed_at is not None


def test_a_failing_mail_server_leaves_the_mail_to_the_relay_which_sends_it_once(
    simulator, connection, alice, ingrid, settings, django_capture_on_commit_callbacks
):
    from atvida_social.outbox.services import relay_pending

    simulator.expire("wordpress", blog.CREDENTIAL)
    settings.EMAIL_BACKEND = "tests.moderation.platforms.blog.FailingBackend"

    with django_capture_on_commit_callbacks(execute=True):
        pulls.pull_connection(connection.pk)
    connection.refresh_from_db()
    unsent = connection.broken_mailed_at
    pending = OutboxMessage.objects.get(task_name=MAIL_TASK).sent_at
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    relay_pending()
    relay_pending()

    connection.refresh_from_db()
    assert (unsent, pending) == (None, None)
    assert connection.broken_mailed_at is not None
    assert OutboxMessage.objects.get(task_name=MAIL_TASK).sent_at is not None
    assert len(mail.outbox) == 1


def test_a_break_whose_mail_task_gave_up_is_mailed_by_the_job_after_an_hour(
    simulator, connection, django_capture_on_commit_callbacks
):
    simulator.expire("wordpress", blog.CREDENTIAL)
    with django_capture_on_commit_callbacks(execute=False):
        pulls.pull_connection(connection.pk)
    now = timezone.now()

    pulls.pull_due_connections(now + datetime.timedelta(minutes=30))
    early = len(mail.outbox)
    pulls.pull_due_connections(now + datetime.timedelta(hours=2))

    assert early == 0
    assert len(mail.outbox) == 1


def test_a_second_delivery_of_the_mail_task_sends_nothing(
    simulator, connection, django_capture_on_commit_callbacks
):
    from moderation.tasks import mail_connection_broken

    simulator.expire("wordpress", blog.CREDENTIAL)
    with django_capture_on_commit_callbacks(execute=True):
        pulls.pull_connection(connection.pk)
    connection.refresh_from_db()

    again = mail_connection_broken.apply(
        args=[connection.pk, connection.broken_at.isoformat()]
    ).get()

    assert again is False
    assert len(mail.outbox) == 1


def test_a_break_after_a_repair_is_mailed_again_and_the_old_breaks_task_sends_nothing(
    simulator, connection, alice, django_capture_on_commit_callbacks
):
    from moderation.services import connections

    simulator.expire("wordpress", blog.CREDENTIAL)
    with django_capture_on_commit_callbacks(execute=True):
        pulls.pull_connection(connection.pk)
    first_break = PlatformConnection.objects.get(pk=connection.pk).broken_at
    blog.open_blog(simulator)
    connections.save_connection(
        connection.channel, by=alice, account_id=blog.SITE, credentials=blog.CREDENTIALS
    )
    simulator.expire("wordpress", blog.CREDENTIAL)

    with django_capture_on_commit_callbacks(execute=False) as second_break:
        pulls.pull_connection(connection.pk)
    stale = pulls.mail_connection_broken(connection.pk, broken_at=first_break)
    for callback in second_break:
        callback()

    assert stale is False
    assert len(mail.outbox) == 2
    assert OutboxMessage.objects.filter(task_name=MAIL_TASK).count() == 2


def test_a_comment_deleted_by_its_author_is_marked_and_keeps_its_text(simulator, connection, post):
    written = blog.comment(simulator, post, "Det här ångrar jag snart.")
    pulls.pull_connection(connection.pk)
    simulator.delete_by_author("wordpress", written.id)

    result = pulls.pull_connection(connection.pk)

    item = Item.objects.get(external_id=written.id)
    assert result.deleted == 1
    assert item.deleted_on_platform_at is not None
    assert item.text == "Det här ångrar jag snart."


def test_an_edit_on_the_blog_becomes_a_version(simulator, connection, post):
    written = blog.comment(simulator, post, "Första texten.")
    pulls.pull_connection(connection.pk)
    simulator.edit("wordpress", written.id, "Andra texten.")

    pulls.pull_connection(connection.pk)

    item = Item.objects.get(external_id=written.id)
    assert item.text == "Andra texten."
    assert list(item.versions.values_list("text", flat=True)) == ["Första texten."]


def test_99_percent_of_comments_deleted_between_two_pulls_keep_their_text(
    simulator, connection, post, monkeypatch
):
    monkeypatch.setattr(pulls, "GONE_BATCH", 50)
    written = blog.comments(simulator, post, 200)
    pulls.pull_connection(connection.pk)
    deleted = written[::2]
    for obj in deleted:
        simulator.delete_by_author("wordpress", obj.id)

    # 50 checked per pull: four pulls ask about all 200.
    for _ in range(4):
        pulls.pull_connection(connection.pk)

    marked = Item.objects.filter(channel=connection.channel, deleted_on_platform_at__isnull=False)
    texts = dict(marked.values_list("external_id", "text"))
    assert set(texts) == {obj.id for obj in deleted}
    assert all(texts[obj.id] == obj.text for obj in deleted)


def test_the_deletion_check_asks_only_about_what_the_pull_did_not_just_see(
    simulator, connection, post
):
    def asked():
        calls = simulator.calls_to("wordpress", "GET")
        return [call.params["include"] for call in calls if "include" in call.params]

    written = blog.comments(simulator, post, 3)
    pulls.pull_connection(connection.pk)
    assert asked() == []  # all three were in the pull's listing just now

    simulator.delete_by_author("wordpress", written[1].id)
    pulls.pull_connection(connection.pk)

    # Unchanged, the blog's listing sends them on no more: all three are asked about.
    assert asked() == [",".join(comment.id for comment in written)]
    item = Item.objects.get(channel=connection.channel, external_id=written[1].id)
    assert item.deleted_on_platform_at is not None


def test_a_comment_gone_while_the_municipalitys_removal_is_under_way_is_not_the_authors(
    simulator, connection, post, dora, monkeypatch
):
    from atvida_social.outbox import services as outbox_services
    from moderation.services import decide_item, platform_actions
    from moderation.workflow import DecisionKind

    [written] = blog.comments(simulator, post, 1)
    pulls.pull_connection(connection.pk)
    item = Item.objects.get(channel=connection.channel, external_id=written.id)
    with monkeypatch.context() as patch:
        patch.setattr(outbox_services, "hand_over", lambda message_id: None)
        decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")
    # The removal reached the blog; its answer is not yet recorded when the next pull asks.
    simulator.get("wordpress", written.id).status = "trash"

    pulls.pull_connection(connection.pk)
    platform_actions.carry_out_platform_action(item.platform_actions.get().pk)

    item.refresh_from_db()
    assert item.deleted_on_platform_at is None
    assert item.platform_actions.get().state == "klar"


def test_a_deleted_item_from_the_platform_is_not_stored_new(channel):
    from moderation.platforms.base import PlatformItem

    now = timezone.now()
    result = pulls.record_platform_items(
        channel,
        [PlatformItem("77", "comment", "A", "", now, deleted_at=now)],
    )

    assert (result.created, result.deleted) == (0, 0)
    assert not Item.objects.filter(channel=channel).exists()


def test_a_bad_item_does_not_drop_its_siblings_and_an_unknown_parent_is_dropped(channel):
    from moderation.platforms.base import PlatformItem

    now = timezone.now()
    result = pulls.record_platform_items(
        channel,
        [
            PlatformItem("1", "comment", "A", "Hej", now, parent="finns-inte"),
            PlatformItem("2", "comment", "B", "x" * 70_000, now),
            PlatformItem("3", "comment", "C", "Svar", now, parent="1"),
        ],
    )

    assert result.created == 2
    assert result.errors
    assert result.errors[0].startswith("2:")
    one, three = stored(channel)
    assert (one.parent_id, three.parent_id) == (None, one.pk)


def test_due_connections_are_handed_over_once_until_their_pull_runs(connection):
    now = timezone.now()

    first = pulls.pull_due_connections(now)
    second = pulls.pull_due_connections(now + datetime.timedelta(minutes=1))

    assert (first, second) == (1, 0)
    (message,) = OutboxMessage.objects.filter(task_name="moderation.tasks.pull_connection")
    assert message.args == [connection.pk]


def test_next_pull_is_every_15_minutes_in_monitoring_hours_and_hourly_outside(channel):
    plan = channel.activity_plans.get()
    plan.monitoring_frequency = "working_days"
    plan.save()
    tuesday_morning = datetime.datetime(2026, 3, 31, 8, 0, tzinfo=datetime.UTC)
    saturday = datetime.datetime(2026, 3, 28, 10, 0, tzinfo=datetime.UTC)

    assert pulls.next_pull_at(channel, tuesday_morning) - tuesday_morning == (
        datetime.timedelta(minutes=15)
    )
    assert pulls.next_pull_at(channel, saturday) - saturday == datetime.timedelta(hours=1)


def test_pull_now_is_for_the_account_owner_and_information_unit(connection, alice, dora, ingrid):
    from atvida_social.organisation.exceptions import PermissionDeniedError

    pulls.request_pull(connection, by=alice)
    pulls.request_pull(connection, by=ingrid)
    with pytest.raises(PermissionDeniedError):
        pulls.request_pull(connection, by=dora)

    assert OutboxMessage.objects.filter(task_name="moderation.tasks.pull_connection").count() == 2


def test_the_cursor_is_saved_with_the_items_it_covers(simulator, connection, post):
    blog.comments(simulator, post, 3)

    pulls.pull_connection(connection.pk)

    cursor = json.loads(PullCursor.objects.get(connection=connection, kind="comments").cursor)
    assert len(cursor["seen"]) == 3
    assert PlatformConnection.objects.get(pk=connection.pk).pull_started_at is None
