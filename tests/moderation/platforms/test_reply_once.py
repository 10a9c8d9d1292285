"""A reply is posted once (services.platform_actions, every connector's `find_reply`), on every
platform of the simulator: an attempt that reached the platform and died before recording it
leaves the next attempt to find the reply there, not to post it again; an attempt that died
before reaching the platform leaves the next to post it; the page's same answer under another
comment (or to an earlier message) is never taken for it."""

import json
import time

import pytest

from moderation.models import Item, PlatformAction, PlatformConnection
from moderation.platforms import demo, registry
from moderation.platforms.base import ActionTarget
from moderation.platforms.simulator import app
from moderation.platforms.youtube import simulator as youtube
from moderation.services import decide_item, platform_actions, pulls
from moderation.workflow import DecisionKind
from tests.conftest import moderated_channel

URLS = {
    "facebook": "https://www.facebook.com/bibblan-demo",
    "instagram": "https://www.instagram.com/bibblan_demo",
    "x": "https://x.com/bibblan_demo",
    "youtube": "https://www.youtube.com/@bibblan-demo",
    "blogg": "https://bibblan.atvidaberg.se/",
}
PLATFORMS = sorted(URLS)
MESSAGING = ["facebook", "instagram"]
ANSWER = "Tack för din fråga! Biblioteket öppnar klockan tio."


class WorkerDied(Exception):
    """The worker stopped between the platform's answer and the commit."""


class Account:
    """A channel connected to its simulated account, as the demo connects it."""

    def __init__(self, simulator, channel):
        self.simulator = simulator
        self.channel = channel
        self.api = registry.api_name(channel.platform)
        self.account_id = demo.demo_account_id(channel)
        token = "demo-hemlig-4711"
        app._module(self.api).seed_demo(simulator, self.account_id, token)
        self.connection = PlatformConnection.objects.create(
            channel=channel,
            platform=channel.platform,
            account_id=self.account_id,
            credentials=json.dumps(demo.demo_credentials(channel, self.account_id, token)),
        )
        self.post = simulator.listing(self.api, self.account_id, "post")[-1]

    def comment(self, text, *, author="Anna Andersson", ago=120.0):
        if self.api == "youtube":
            return youtube.add_comment(
                self.simulator,
                self.account_id,
                self.post.id,
                text,
                author=author,
                created=time.time() - ago,
            )
        return self.simulator.add(
            self.api,
            self.account_id,
            "comment",
            text,
            author=author,
            parent=self.post.id,
            created=time.time() - ago,
        )

    def pulled(self, written) -> Item:
        result = pulls.pull_connection(self.connection.pk)
        assert result.error == ""
        return Item.objects.get(channel=self.channel, external_id=written.id)

    def own_replies(self, parent_id):
        with self.simulator.lock:
            return [
                obj
                for obj in self.simulator.objects.values()
                if obj.platform == self.api
                and obj.by_account
                and obj.parent == parent_id
                and obj.visible
            ]


@pytest.fixture(params=PLATFORMS)
def account(request, simulator, library, alice, bob, dora):
    platform = request.param
    channel = moderated_channel(library, alice, bob, dora, platform=platform, url=URLS[platform])
    return Account(simulator, channel)


def answer(item, dora, text=ANSWER) -> PlatformAction:
    decide_item(item, by=dora, kind=DecisionKind.ANSWER, reply_text=text)
    return PlatformAction.objects.get(item=item, kind="reply")


def die_after_the_platform(monkeypatch):
    """The reply reaches the platform; the worker dies before its record is committed."""

    def store_reply(item, reply):
        raise WorkerDied

    monkeypatch.setattr(platform_actions, "_store_reply", store_reply)


def die_before_the_platform(monkeypatch):
    """The worker dies before any call to the platform."""

    def build_connector(connection, *, transport=None):
        raise WorkerDied

    monkeypatch.setattr(pulls, "build_connector", build_connector)


def test_a_reply_that_reached_the_platform_before_the_worker_died_is_found_not_posted_again(
    account, dora, monkeypatch
):
    written = account.comment("När öppnar biblioteket i morgon?")
    action = answer(account.pulled(written), dora)
    with monkeypatch.context() as patch:
        die_after_the_platform(patch)
        with pytest.raises(WorkerDied):
            platform_actions.carry_out_platform_action(action.pk)
    action.refresh_from_db()
    assert (action.state, action.reply_started_at is not None) == ("vantar", True)

    state = platform_actions.carry_out_platform_action(action.pk)

    action.refresh_from_db()
    (on_platform,) = account.own_replies(written.id)
    assert state == "klar"
    assert action.reply_item.external_id == on_platform.id
    assert (action.reply_item.kind, action.reply_item.parent.external_id) == ("post", written.id)
    assert "fanns redan" in action.message


def test_a_reply_whose_first_attempt_never_reached_the_platform_is_posted_on_the_next(
    account, dora, monkeypatch
):
    written = account.comment("Finns boken Pippi Långstrump inne?")
    action = answer(account.pulled(written), dora)
    with monkeypatch.context() as patch:
        die_before_the_platform(patch)
        with pytest.raises(WorkerDied):
            platform_actions.carry_out_platform_action(action.pk)
    assert account.own_replies(written.id) == []

    state = platform_actions.carry_out_platform_action(action.pk)

    action.refresh_from_db()
    (on_platform,) = account.own_replies(written.id)
    assert state == "klar"
    assert action.reply_item.external_id == on_platform.id
    assert "fanns redan" not in action.message


def test_the_same_answer_under_another_comment_is_not_taken_for_the_reply(
    account, dora, monkeypatch
):
    other = account.comment("Har ni öppet på lördag?", author="Bo Ek", ago=600.0)
    written = account.comment("Har ni öppet på söndag?")
    earlier = answer(account.pulled(other), dora)
    platform_actions.carry_out_platform_action(earlier.pk)
    (earlier_reply,) = account.own_replies(other.id)
    action = answer(account.pulled(written), dora)
    with monkeypatch.context() as patch:
        die_before_the_platform(patch)
        with pytest.raises(WorkerDied):
            platform_actions.carry_out_platform_action(action.pk)

    state = platform_actions.carry_out_platform_action(action.pk)

    action.refresh_from_db()
    assert account.own_replies(other.id) == [earlier_reply]
    if account.api == "x":
        # X refuses a post with the same text as an earlier one: nothing is posted, and the
        # earlier reply is not recorded as this one.
        assert (state, action.reply_item) == ("ej_mojlig", None)
        assert account.own_replies(written.id) == []
        return
    (on_platform,) = account.own_replies(written.id)
    assert state == "klar"
    assert action.reply_item.external_id == on_platform.id != earlier_reply.id


def test_an_attempt_whose_claim_another_delivery_took_over_leaves_the_reply_to_it(
    account, dora, monkeypatch
):
    """A second delivery claims the reply between this attempt's claim and its call, posts
    it and dies: this attempt, which saw no earlier attempt when it claimed, must not post."""
    written = account.comment("Kan man boka grupprum?")
    action = answer(account.pulled(written), dora)
    claim_reply = platform_actions._claim_reply
    taken_over = []

    def claim_then_another_delivery(action_id, **kwargs):
        claim = claim_reply(action_id, **kwargs)
        if not taken_over:
            taken_over.append(True)
            with monkeypatch.context() as patch:
                die_after_the_platform(patch)
                with pytest.raises(WorkerDied):
                    platform_actions.carry_out_platform_action(action_id)
        return claim

    with monkeypatch.context() as patch:
        patch.setattr(platform_actions, "_claim_reply", claim_then_another_delivery)
        first = platform_actions.carry_out_platform_action(action.pk)
    later = platform_actions.carry_out_platform_action(action.pk)

    action.refresh_from_db()
    (on_platform,) = account.own_replies(written.id)
    assert (first, later) == ("locked", "klar")
    assert action.reply_item.external_id == on_platform.id


def test_a_youtube_answer_to_a_reply_is_looked_for_in_its_thread_after_the_reply(
    simulator, library, alice, bob, dora, monkeypatch
):
    """YouTube threads one level: the channel's answers to two replies share the thread, and
    only one written after the reply answered can be its answer."""
    channel = moderated_channel(library, alice, bob, dora, platform="youtube", url=URLS["youtube"])
    account = Account(simulator, channel)
    top = account.comment("Hur sorterar jag elavfall?", ago=4000.0)
    earlier = youtube.add_comment(
        simulator, account.account_id, top.id, "Och batterier?", created=time.time() - 3000
    )
    earlier_answer = youtube.add_comment(
        simulator,
        account.account_id,
        top.id,
        ANSWER,
        author="Kanalen",
        by_account=True,
        created=time.time() - 2000,
    )
    written = youtube.add_comment(
        simulator, account.account_id, top.id, "Och lysrör?", created=time.time() - 60
    )
    action = answer(account.pulled(written), dora)
    with monkeypatch.context() as patch:
        die_after_the_platform(patch)
        with pytest.raises(WorkerDied):
            platform_actions.carry_out_platform_action(action.pk)

    state = platform_actions.carry_out_platform_action(action.pk)

    action.refresh_from_db()
    answers = [obj.id for obj in account.own_replies(top.id)]
    assert earlier.id != written.id
    assert state == "klar"
    assert len(answers) == 2
    assert action.reply_item.external_id in answers
    assert action.reply_item.external_id != earlier_answer.id


# A direct message is registered or judged, never answered through a decision (the duties in
# workflow.duty_refusal): the connectors' answers to messages are tested on their own.


@pytest.fixture(params=MESSAGING)
def inbox(request, simulator, library, alice, bob, dora):
    platform = request.param
    channel = moderated_channel(library, alice, bob, dora, platform=platform, url=URLS[platform])
    return Account(simulator, channel)


def message(inbox, text, *, ago):
    return inbox.simulator.add(
        inbox.api,
        inbox.account_id,
        "message",
        text,
        author="cecilia.berg",
        author_id="u4711",
        created=time.time() - ago,
    )


def connector_of(inbox):
    return pulls.build_connector(inbox.connection)


def target_of(item: Item) -> ActionTarget:
    return ActionTarget(item.external_id, item.kind, received_at=item.received_at)


def test_a_direct_answer_on_the_platform_is_found_in_the_conversation(inbox):
    written = message(inbox, "Hej! Kan jag låna om en bok på telefon?", ago=60.0)
    target = target_of(inbox.pulled(written))
    connector = connector_of(inbox)
    assert connector.find_reply(target, ANSWER) is None

    sent = connector.reply(target, ANSWER).reply
    found = connector.find_reply(target, " Tack för din fråga!\nBiblioteket öppnar klockan tio. ")

    assert (found.external_id, found.kind, found.parent) == (sent.external_id, "post", written.id)


def test_the_same_direct_answer_to_an_earlier_message_is_not_taken_for_the_reply(inbox):
    first = message(inbox, "Hej! Har ni öppet i dag?", ago=3600.0)
    inbox.simulator.add(
        inbox.api,
        inbox.account_id,
        "message",
        ANSWER,
        author="Sidan",
        parent=first.id,
        by_account=True,
        created=time.time() - 1800,
    )
    written = message(inbox, "Och i morgon då?", ago=60.0)

    found = connector_of(inbox).find_reply(target_of(inbox.pulled(written)), ANSWER)

    assert found is None
