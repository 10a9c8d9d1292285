"""What the services keep of a connector between calls: credentials a platform renewed (X's
refresh token changes with each renewal), the platform's limits (a rest, the day's quota),
and what they do with an answer: the removal of an item marked secret takes it out of the
queue, and a reply without an author is the channel's."""

import json

import pytest

from atvida_social.organisation.encryption import stored_tokens
from moderation import selectors
from moderation.models import PlatformAction, PlatformConnection
from moderation.platforms.x import simulator as x_simulator
from moderation.services import decide_item, platform_actions, pulls
from moderation.services.secrecy import confirm_secret_removed
from moderation.workflow import DecisionKind, ItemStatus
from tests.conftest import moderated_channel

from . import blog

pytestmark = pytest.mark.django_db

X_ACCOUNT = "2244994945"
X_TOKEN = "xa-hemlig-token-4711"
X_REFRESH = "xr-hemlig-refresh-0815"


@pytest.fixture
def x_channel(library, alice, bob, dora):
    return moderated_channel(library, alice, bob, dora, platform="x", url="https://x.com/bibblan")


def test_credentials_the_platform_renewed_during_a_pull_are_kept_encrypted(simulator, x_channel):
    simulator.grant("x", X_TOKEN, X_ACCOUNT, x_simulator.PERMISSIONS)
    simulator.add("x", X_ACCOUNT, "post", "Simhallen är stängd.", by_account=True)
    x_simulator.grant_refresh(simulator, X_REFRESH, X_TOKEN)
    simulator.expire("x", X_TOKEN)
    connection = PlatformConnection.objects.create(
        channel=x_channel,
        platform="x",
        account_id=X_ACCOUNT,
        credentials=json.dumps(
            {"access_token": X_TOKEN, "refresh_token": X_REFRESH, "client_id": "app-1"}
        ),
    )

    result = pulls.pull_connection(connection.pk)

    connection.refresh_from_db()
    kept = json.loads(connection.credentials)
    assert result.error == ""
    assert kept["access_token"] not in (X_TOKEN, "")
    assert kept["refresh_token"] not in (X_REFRESH, "")
    # Stored encrypted, as the credentials entered are.
    [(_pk, stored)] = stored_tokens(
        PlatformConnection.objects.filter(pk=connection.pk), ("credentials",)
    )
    assert kept["refresh_token"] not in stored
    # The next pull uses the renewed access without renewing again.
    renewals = len(simulator.calls_to("x", "POST"))
    pulls.pull_connection(connection.pk, now=connection.next_pull_at)
    assert len(simulator.calls_to("x", "POST")) == renewals


def test_the_limits_a_pull_read_are_where_the_next_connector_starts(
    simulator, library, alice, bob, dora
):
    channel = blog.blog_channel(library, alice, bob, dora)
    blog.open_blog(simulator)
    connection = blog.connect(channel)

    pulls.pull_connection(connection.pk)

    connection.refresh_from_db()
    assert connection.limits
    assert pulls.build_connector(connection).limits == connection.limits


def test_a_secret_items_removal_on_the_platform_takes_it_out_of_the_queue(
    simulator, library, alice, bob, dora
):
    channel = blog.blog_channel(library, alice, bob, dora)
    post = blog.open_blog(simulator)
    connection = blog.connect(channel)
    written = blog.comment(simulator, post, "Olle på Storgatan 3 har fått försörjningsstöd.")
    pulls.pull_connection(connection.pk)
    item = channel.items.get(external_id=written.id)

    decide_item(item, by=dora, kind=DecisionKind.SECRECY, diarienummer="KS 2026/9")
    assert list(selectors.queue(dora)) == [item]
    action = PlatformAction.objects.get(item=item, kind="delete")
    platform_actions.carry_out_platform_action(action.pk)

    item.refresh_from_db()
    assert item.status == ItemStatus.SECRET
    assert item.secrecy_removed_at is not None
    assert list(selectors.queue(dora)) == []
    # A person's confirmation afterwards changes nothing.
    assert confirm_secret_removed(item, by=dora).secrecy_removed_at == item.secrecy_removed_at


def test_a_removal_the_platform_could_not_do_keeps_the_secret_item_first(
    simulator, library, alice, bob, dora
):
    channel = blog.blog_channel(library, alice, bob, dora)
    post = blog.open_blog(simulator)
    connection = blog.connect(channel)
    written = blog.comment(simulator, post, "Olle på Storgatan 3 har fått försörjningsstöd.")
    pulls.pull_connection(connection.pk)
    item = channel.items.get(external_id=written.id)
    connection.refresh_from_db()
    pulls.mark_connection_broken(connection, reason="Lösenordet är återkallat.")

    decide_item(item, by=dora, kind=DecisionKind.SECRECY, diarienummer="KS 2026/9")
    action = PlatformAction.objects.get(item=item, kind="delete")
    platform_actions.carry_out_platform_action(action.pk)

    action.refresh_from_db()
    assert action.state == "misslyckad"
    assert list(selectors.queue(dora)) == [item]


def test_a_reply_the_platform_returns_without_an_author_is_the_channels(simulator, x_channel, dora):
    simulator.grant("x", X_TOKEN, X_ACCOUNT, x_simulator.PERMISSIONS)
    own = simulator.add("x", X_ACCOUNT, "post", "Simhallen är stängd.", by_account=True)
    asked = simulator.add("x", X_ACCOUNT, "comment", "Varför då?", author="Anna", parent=own.id)
    connection = PlatformConnection.objects.create(
        channel=x_channel,
        platform="x",
        account_id=X_ACCOUNT,
        credentials=json.dumps({"access_token": X_TOKEN}),
    )
    pulls.pull_connection(connection.pk)
    question = x_channel.items.get(external_id=asked.id)

    decide_item(question, by=dora, kind=DecisionKind.ANSWER, reply_text="Vattnet byts ut.")
    action = PlatformAction.objects.get(item=question, kind="reply")
    platform_actions.carry_out_platform_action(action.pk)

    action.refresh_from_db()
    assert action.reply_item.author == x_channel.account_name
