"""What the platform shows of an item, beside the decision (platform_state, the item page and
the queue); failures as a queue filter and on the start page; broken connections on the
start page; YouTube's confirmation before a rejection that cannot be undone.

The channel is connected to its page on the simulated Facebook; items arrive by a pull and
their platform actions come from decisions carried out by the engine's services."""

import datetime

import pytest
from django.urls import reverse

from activityplans.workflow import PlanStatus
from moderation import services
from moderation.models import ConnectionState, Item, PlatformAction
from moderation.platforms.simulator.state import Fault
from moderation.services import connections, platform_actions, pulls
from moderation.workflow import DecisionKind, ItemStatus
from tests.factories import ActivityPlanFactory, ChannelFactory
from tests.moderation.conftest import item_data
from tests.moderation.platforms.page import TOKEN, comment, connect, open_page

pytestmark = pytest.mark.django_db

# Monday 30 March 2026, 10:42 in Stockholm (CEST, +02:00).
MONDAY = datetime.datetime.fromisoformat("2026-03-30T10:42:00+02:00")
PERSONNUMMER_TEXT = "Min granne heter Olle, personnummer 811218-9876, och är sjuk."
SERVER_ERROR = "Facebook svarade med ett fel"


@pytest.fixture
def post(simulator):
    return open_page(simulator)


@pytest.fixture
def link(channel, alice, post):
    return connect(channel, by=alice)


def _item(channel, **overrides):
    return services.register_item(channel, item_data(**overrides))[0]


def _pulled(simulator, link, post, text="När öppnar biblioteket?", **kwargs):
    """A comment written on the page and pulled into the queue."""
    written = comment(simulator, post, text, **kwargs)
    pulls.pull_connection(link.pk)
    return Item.objects.get(channel=link.channel, external_id=written.id)


def _pulled_hidden(simulator, link, post, count):
    """`count` comments the rules hide, written at once and pulled together; their hidings
    not yet carried out."""
    for number in range(count):
        comment(simulator, post, PERSONNUMMER_TEXT, author=f"Granne {number}")
    pulls.pull_connection(link.pk)
    items = list(Item.objects.filter(channel=link.channel, kind="comment").order_by("pk"))
    assert len(items) == count
    return items


def _fail(simulator, action):
    """Facebook answers the action with server errors until its attempts run out."""
    simulator.inject(Fault("facebook", "server_error", times=platform_actions.MAX_ATTEMPTS))
    for _attempt in range(platform_actions.MAX_ATTEMPTS):
        platform_actions.carry_out_platform_action(action.pk)
    action.refresh_from_db()
    assert action.state == "misslyckad"


def _hidden(simulator, link, post, *, at=None):
    """A comment the rules hid automatically, its hiding carried out on Facebook at `at`."""
    item = _pulled(simulator, link, post, PERSONNUMMER_TEXT)
    action = PlatformAction.objects.get(item=item, kind="hide")
    platform_actions.carry_out_platform_action(action.pk, now=at)
    return item


def _removed(simulator, link, post, by, **kwargs):
    """A comment `by` decided to remove; its removal not yet carried out."""
    item = _pulled(simulator, link, post, "Köp billiga klockor här!", **kwargs)
    services.decide_item(item, by=by, kind=DecisionKind.REMOVE, category="reklam")
    return item, PlatformAction.objects.get(item=item, kind="delete")


def _failed(simulator, link, post, by, **kwargs):
    """A removal Facebook answered with server errors until the attempts ran out."""
    item, action = _removed(simulator, link, post, by, **kwargs)
    simulator.inject(Fault("facebook", "server_error", times=platform_actions.MAX_ATTEMPTS))
    for _attempt in range(platform_actions.MAX_ATTEMPTS):
        platform_actions.carry_out_platform_action(action.pk)
    action.refresh_from_db()
    assert action.state == "misslyckad"
    return item, action


def _page(client, item) -> str:
    return client.get(reverse("moderation:item-detail", args=[item.pk])).content.decode()


def test_a_hidden_item_says_where_and_when_in_local_time(
    client, simulator, link, post, dora, time_machine
):
    time_machine.move_to(MONDAY + datetime.timedelta(minutes=5))
    item = _hidden(simulator, link, post, at=MONDAY.astimezone(datetime.UTC))
    client.force_login(dora)

    assert "Dold på Facebook 10:42" in _page(client, item)


def test_an_action_on_another_day_shows_its_date(client, simulator, link, post, dora, time_machine):
    time_machine.move_to(MONDAY + datetime.timedelta(days=2))
    item = _hidden(simulator, link, post, at=MONDAY)
    client.force_login(dora)

    assert "Dold på Facebook 2026-03-30 10:42" in _page(client, item)


def test_a_pending_action_waits_for_the_platform(client, simulator, link, post, dora):
    item, _action = _removed(simulator, link, post, dora)
    client.force_login(dora)

    assert "Väntar på plattformen" in _page(client, item)


def test_a_failed_action_offers_the_platform_link_and_a_retry(client, simulator, link, post, dora):
    item, action = _removed(simulator, link, post, dora)
    simulator.expire("facebook", TOKEN)
    platform_actions.carry_out_platform_action(action.pk)
    client.force_login(dora)

    page = _page(client, item)

    assert "Misslyckades: åtkomsten har gått ut – gör det på plattformen" in page
    assert "Misslyckades: Misslyckades" not in page
    assert f'href="{item.url}"' in page
    assert reverse("moderation:platform-action-retry", args=[action.pk]) in page
    assert "Försök igen" in page


def test_a_reader_sees_the_failure_without_a_retry(client, simulator, link, post, dora, bob):
    item, _action = _failed(simulator, link, post, dora)
    client.force_login(bob)

    page = _page(client, item)

    assert f"Misslyckades: {SERVER_ERROR}" in page
    assert "Försök igen" not in page


def test_only_the_latest_action_on_visibility_counts(client, simulator, link, post, dora):
    item = _pulled(simulator, link, post, PERSONNUMMER_TEXT)
    hiding = PlatformAction.objects.get(item=item, kind="hide")
    simulator.inject(Fault("facebook", "server_error", times=platform_actions.MAX_ATTEMPTS))
    for _attempt in range(platform_actions.MAX_ATTEMPTS):
        platform_actions.carry_out_platform_action(hiding.pk)
    services.decide_item(item, by=dora, kind=DecisionKind.KEEP)
    platform_actions.carry_out_platform_action(
        PlatformAction.objects.get(item=item, kind="unhide").pk
    )
    client.force_login(dora)

    page = _page(client, item)

    assert PlatformAction.objects.get(pk=hiding.pk).state == "misslyckad"
    assert "Visas igen på Facebook" in page
    assert "Misslyckades" not in page


def test_an_item_its_author_deleted_says_so(client, channel, dora, time_machine):
    time_machine.move_to(MONDAY + datetime.timedelta(minutes=5))
    item = _item(channel)
    Item.objects.filter(pk=item.pk).update(deleted_on_platform_at=MONDAY)
    client.force_login(dora)

    assert "Raderad på plattformen av avsändaren 10:42" in _page(client, item)


def test_the_queue_shows_each_items_platform_state(client, simulator, link, post, dora):
    _pulled_hidden(simulator, link, post, 1)
    client.force_login(dora)

    page = client.get(reverse("moderation:item-list")).content.decode()

    assert "Väntar på plattformen" in page


def test_the_queue_filters_the_items_that_failed_on_the_platform(
    client, simulator, link, post, dora
):
    failed, waiting = _pulled_hidden(simulator, link, post, 2)
    _fail(simulator, PlatformAction.objects.get(item=failed))
    services.decide_item(failed, by=dora, kind=DecisionKind.KEEP)
    client.force_login(dora)

    page = client.get(reverse("moderation:item-list"), {"plattformsfel": "on"}).content.decode()

    assert f"/moderering/{failed.pk}/" in page
    assert f"/moderering/{waiting.pk}/" not in page


def test_the_platform_failures_filter_shows_only_what_the_user_sees(
    client, simulator, link, post, dora, carol
):
    failed, _action = _failed(simulator, link, post, dora)
    client.force_login(carol)

    page = client.get(reverse("moderation:item-list"), {"plattformsfel": "on"}).content.decode()

    assert f"/moderering/{failed.pk}/" not in page


def test_the_queue_does_a_constant_number_of_queries_with_platform_actions(
    client, simulator, link, post, dora, django_assert_max_num_queries
):
    for item in _pulled_hidden(simulator, link, post, 30):
        _fail(simulator, PlatformAction.objects.get(item=item))
    client.force_login(dora)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("moderation:item-list"))

    assert response.content.decode().count(f"Misslyckades: {SERVER_ERROR}") == 30


def _section(page: str, key: str) -> str:
    start = page.index(f'id="sektion-{key}"')
    return page[start : page.index("</section>", start)]


def test_the_start_page_lists_the_items_that_failed_on_the_platform(
    client, simulator, link, post, dora
):
    failed, _action = _failed(simulator, link, post, dora)
    client.force_login(dora)

    page = client.get(reverse("start")).content.decode()

    assert failed.get_absolute_url() in _section(page, "platform_failures")


def test_the_start_page_lists_broken_connections_to_an_owner(
    client, simulator, channel, link, alice
):
    simulator.expire("facebook", TOKEN)
    connections.test_connection(link, by=alice)
    assert link.state == ConnectionState.BROKEN
    client.force_login(alice)

    section = _section(client.get(reverse("start")).content.decode(), "broken_connections")

    assert reverse("moderation:connection", args=[channel.pk]) in section


def test_another_units_owner_does_not_see_the_broken_connection(
    client, simulator, channel, link, alice, carol
):
    simulator.expire("facebook", TOKEN)
    connections.test_connection(link, by=alice)
    assert link.state == ConnectionState.BROKEN
    client.force_login(carol)

    section = _section(client.get(reverse("start")).content.decode(), "broken_connections")

    assert reverse("moderation:connection", args=[channel.pk]) not in section


# --- YouTube: a removal is a rejection that cannot be undone ---------------------------------


@pytest.fixture
def youtube(library, alice, bob, dora):
    channel = ChannelFactory(
        unit=library, platform="youtube", url="https://www.youtube.com/@bibblan"
    )
    ActivityPlanFactory(
        unit=library,
        channel=channel,
        platform="youtube",
        url=channel.url,
        status=PlanStatus.APPROVED,
        manager=bob,
        prepared_by=alice,
        administrators=[alice],
        daily_operators=[dora],
    )
    return channel


def _connect(channel, by):
    """Connected to a channel on the simulated YouTube (untested: nothing is called)."""
    return connections.save_connection(
        channel,
        by=by,
        account_id="UC1",
        credentials={"client_id": "a", "client_secret": "b", "refresh_token": "c"},
    )


REMOVE = {"kind": "remove", "category": "fortal"}


def test_a_removal_on_youtube_asks_before_rejecting(client, youtube, alice, dora):
    _connect(youtube, alice)
    item = _item(youtube, kind="comment")
    client.force_login(dora)

    assert "Avvisa ändå?" in _page(client, item)
    response = client.post(reverse("moderation:item-decide", args=[item.pk]), REMOVE, follow=True)

    assert Item.objects.get(pk=item.pk).status == ItemStatus.NEW
    assert "Bekräfta att kommentaren ska avvisas på YouTube" in response.content.decode()


def test_a_confirmed_removal_on_youtube_is_decided(client, youtube, alice, dora):
    _connect(youtube, alice)
    item = _item(youtube, kind="comment")
    client.force_login(dora)

    client.post(
        reverse("moderation:item-decide", args=[item.pk]), {**REMOVE, "confirm_reject": "on"}
    )

    assert Item.objects.get(pk=item.pk).status == ItemStatus.REMOVED


def test_an_unconnected_youtube_channel_asks_nothing(client, youtube, dora):
    item = _item(youtube, kind="comment")
    client.force_login(dora)

    assert "Avvisa ändå?" not in _page(client, item)
    client.post(reverse("moderation:item-decide", args=[item.pk]), REMOVE)

    assert Item.objects.get(pk=item.pk).status == ItemStatus.REMOVED


def test_a_facebook_removal_asks_nothing(client, channel, link, dora):
    item = _item(channel, kind="comment")
    client.force_login(dora)

    client.post(reverse("moderation:item-decide", args=[item.pk]), REMOVE)

    assert Item.objects.get(pk=item.pk).status == ItemStatus.REMOVED


def test_a_bulk_removal_on_youtube_asks_before_rejecting(client, youtube, alice, dora):
    _connect(youtube, alice)
    items = [_item(youtube, kind="comment", external_id=f"yt-{n}") for n in range(2)]
    client.force_login(dora)

    client.post(reverse("moderation:bulk-decide"), {"items": [i.pk for i in items], **REMOVE})
    assert {i.status for i in Item.objects.all()} == {ItemStatus.NEW}
    client.post(
        reverse("moderation:bulk-decide"),
        {"items": [i.pk for i in items], **REMOVE, "confirm_reject": "on"},
    )

    assert {i.status for i in Item.objects.all()} == {ItemStatus.REMOVED}


# --- Försök igen -----------------------------------------------------------------------------


def test_retry_answers_a_moderator_and_refuses_others(
    client, simulator, link, post, dora, bob, carol
):
    item, failed = _failed(simulator, link, post, dora)
    url = reverse("moderation:platform-action-retry", args=[failed.pk])
    client.force_login(carol)
    assert client.post(url).status_code == 404
    client.force_login(bob)
    assert client.post(url).status_code == 403
    client.force_login(dora)

    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("vantar", 0)
