"""What the platform shows of an item, beside the decision (platform_state, the item page and
the queue); failures as a queue filter and on the start page; broken connections on the
start page; YouTube's confirmation before a rejection that cannot be undone.

The engine that carries decisions out on the platform is not on this branch yet: the
PlatformActions here are made through the ORM, for the display only (the lead switches them
to the engine's services on merge). Connections are made through `save_connection`."""

import datetime

import pytest
from django.urls import reverse

from activityplans.workflow import PlanStatus
from moderation import services
from moderation.models import ConnectionState, Item, PlatformAction, PlatformConnection
from moderation.services import connections
from moderation.workflow import ItemStatus
from tests.factories import ActivityPlanFactory, ChannelFactory
from tests.moderation.conftest import item_data
from tests.moderation.platforms.stub import stub_connectors

pytestmark = pytest.mark.django_db

# Monday 30 March 2026, 10:42 in Stockholm (CEST, +02:00).
MONDAY = datetime.datetime.fromisoformat("2026-03-30T10:42:00+02:00")


@pytest.fixture(autouse=True)
def _stub():
    with stub_connectors():
        yield


def _item(channel, **overrides):
    return services.register_item(channel, item_data(**overrides))[0]


def _action(item, state, *, kind="hide", message="", done_at=None):
    return PlatformAction.objects.create(
        item=item, kind=kind, state=state, message=message, done_at=done_at
    )


def _page(client, item) -> str:
    return client.get(reverse("moderation:item-detail", args=[item.pk])).content.decode()


def test_a_hidden_item_says_where_and_when_in_local_time(client, channel, dora, time_machine):
    time_machine.move_to(MONDAY + datetime.timedelta(minutes=5))
    item = _item(channel)
    _action(item, "klar", message="Dold på Facebook", done_at=MONDAY.astimezone(datetime.UTC))
    client.force_login(dora)

    assert "Dold på Facebook 10:42" in _page(client, item)


def test_an_action_on_another_day_shows_its_date(client, channel, dora, time_machine):
    time_machine.move_to(MONDAY + datetime.timedelta(days=2))
    item = _item(channel)
    _action(item, "klar", message="Dold på Facebook", done_at=MONDAY)
    client.force_login(dora)

    assert "Dold på Facebook 2026-03-30 10:42" in _page(client, item)


def test_a_pending_action_waits_for_the_platform(client, channel, dora):
    item = _item(channel)
    _action(item, "vantar")
    client.force_login(dora)

    assert "Väntar på plattformen" in _page(client, item)


def test_a_failed_action_offers_the_platform_link_and_a_retry(client, channel, dora):
    item = _item(channel)
    failed = _action(item, "misslyckad", message="åtkomsten har gått ut.")
    client.force_login(dora)

    page = _page(client, item)

    assert "Misslyckades: åtkomsten har gått ut – gör det på plattformen" in page
    assert f'href="{item.url}"' in page
    assert reverse("moderation:platform-action-retry", args=[failed.pk]) in page
    assert "Försök igen" in page


def test_a_reader_sees_the_failure_without_a_retry(client, channel, bob):
    item = _item(channel)
    _action(item, "misslyckad", message="åtkomsten har gått ut")
    client.force_login(bob)

    page = _page(client, item)

    assert "Misslyckades: åtkomsten har gått ut" in page
    assert "Försök igen" not in page


def test_only_the_latest_action_on_visibility_counts(client, channel, dora):
    item = _item(channel)
    _action(item, "misslyckad", message="serverfel")
    _action(item, "klar", kind="unhide", message="Visas igen på Facebook", done_at=MONDAY)
    client.force_login(dora)

    page = _page(client, item)

    assert "Visas igen på Facebook" in page
    assert "Misslyckades" not in page


def test_an_item_its_author_deleted_says_so(client, channel, dora, time_machine):
    time_machine.move_to(MONDAY + datetime.timedelta(minutes=5))
    item = _item(channel)
    Item.objects.filter(pk=item.pk).update(deleted_on_platform_at=MONDAY)
    client.force_login(dora)

    assert "Raderad på plattformen av avsändaren 10:42" in _page(client, item)


def test_the_queue_shows_each_items_platform_state(client, channel, dora):
    item = _item(channel)
    _action(item, "vantar")
    client.force_login(dora)

    page = client.get(reverse("moderation:item-list")).content.decode()

    assert "Väntar på plattformen" in page


def test_the_queue_filters_the_items_that_failed_on_the_platform(client, channel, dora):
    failed = _item(channel, external_id="fel", kind="comment")
    services.decide_item(failed, by=dora, kind="keep")
    _action(failed, "misslyckad", message="serverfel")
    waiting = _item(channel, external_id="vantar")
    _action(waiting, "vantar")
    client.force_login(dora)

    page = client.get(reverse("moderation:item-list"), {"plattformsfel": "on"}).content.decode()

    assert f"/moderering/{failed.pk}/" in page
    assert f"/moderering/{waiting.pk}/" not in page


def test_the_platform_failures_filter_shows_only_what_the_user_sees(client, channel, carol):
    failed = _item(channel)
    _action(failed, "misslyckad", message="serverfel")
    client.force_login(carol)

    page = client.get(reverse("moderation:item-list"), {"plattformsfel": "on"}).content.decode()

    assert f"/moderering/{failed.pk}/" not in page


def test_the_queue_does_a_constant_number_of_queries_with_platform_actions(
    client, channel, dora, django_assert_max_num_queries
):
    for number in range(30):
        item = _item(channel, external_id=f"fb-{number}", text=f"Fråga nummer {number}")
        _action(item, "misslyckad", message="serverfel")
        _action(item, "klar", kind="reply", message="Svaret publicerat", done_at=MONDAY)
    client.force_login(dora)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("moderation:item-list"))

    assert response.content.decode().count("Misslyckades: serverfel") == 30


def _section(page: str, key: str) -> str:
    start = page.index(f'id="sektion-{key}"')
    return page[start : page.index("</section>", start)]


def test_the_start_page_lists_the_items_that_failed_on_the_platform(client, channel, dora):
    failed = _item(channel)
    _action(failed, "misslyckad", message="serverfel")
    client.force_login(dora)

    page = client.get(reverse("start")).content.decode()

    assert failed.get_absolute_url() in _section(page, "platform_failures")


def test_the_start_page_lists_broken_connections_to_an_owner(client, channel, alice):
    link = connections.save_connection(
        channel, by=alice, account_id="1", credentials={"page_token": "a", "app_secret": "b"}
    )
    PlatformConnection.objects.filter(pk=link.pk).update(state=ConnectionState.BROKEN)
    client.force_login(alice)

    section = _section(client.get(reverse("start")).content.decode(), "broken_connections")

    assert reverse("moderation:connection", args=[channel.pk]) in section


def test_another_units_owner_does_not_see_the_broken_connection(client, channel, alice, carol):
    link = connections.save_connection(
        channel, by=alice, account_id="1", credentials={"page_token": "a", "app_secret": "b"}
    )
    PlatformConnection.objects.filter(pk=link.pk).update(state=ConnectionState.BROKEN)
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
    return connections.save_connection(
        channel, by=by, account_id="UC1", credentials={"page_token": "a", "app_secret": "b"}
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


def test_a_facebook_removal_asks_nothing(client, channel, alice, dora):
    _connect(channel, alice)
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


def test_retry_answers_a_moderator_and_refuses_others(client, channel, dora, bob, carol):
    item = _item(channel)
    failed = _action(item, "misslyckad", message="serverfel")
    url = reverse("moderation:platform-action-retry", args=[failed.pk])
    client.force_login(carol)
    assert client.post(url).status_code == 404
    client.force_login(bob)
    assert client.post(url).status_code == 403
    client.force_login(dora)

    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
