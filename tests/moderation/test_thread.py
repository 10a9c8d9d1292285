"""An item's thread: every item at every depth from the root, each in its place, loaded in
a number of queries that does not grow with the depth (selectors.thread_items and the item's
page)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moderation import selectors, services
from tests.moderation.conftest import item_data

pytestmark = pytest.mark.django_db

START = datetime.datetime.fromisoformat("2026-03-27T16:30:00+01:00")


def _register(channel, external_id: str, *, parent=None, minutes: int = 0, **overrides):
    data = item_data(
        external_id=external_id,
        kind=overrides.pop("kind", "comment"),
        received_at=(START + datetime.timedelta(minutes=minutes)).isoformat(),
        url=f"https://www.facebook.com/bibblan-moderering/posts/{external_id}",
        parent=parent.external_id if parent else None,
        **overrides,
    )
    return services.register_item(channel, data)[0]


def _chain(channel, depth: int, prefix: str = "k"):
    """A post and `depth` replies, each answering the one before: [post, reply 1, ...]."""
    items = [_register(channel, f"{prefix}-0", kind="post")]
    for level in range(1, depth + 1):
        items.append(_register(channel, f"{prefix}-{level}", parent=items[-1], minutes=level))
    return items


def _tree(channel):
    """post
    ├── a            (minute 1)
    │   ├── a1       (minute 3)
    │   │   └── a1x  (minute 6)
    │   └── a2       (minute 5)
    └── b            (minute 2)
        └── b1       (minute 4)"""
    post = _register(channel, "post", kind="post")
    a = _register(channel, "a", parent=post, minutes=1)
    b = _register(channel, "b", parent=post, minutes=2)
    a1 = _register(channel, "a1", parent=a, minutes=3)
    _register(channel, "b1", parent=b, minutes=4)
    _register(channel, "a2", parent=a, minutes=5)
    _register(channel, "a1x", parent=a1, minutes=6)
    return {item.external_id: item for item in channel.items.all()}


def _entries(item):
    return [(entry.item.external_id, entry.depth) for entry in selectors.thread_items(item)]


READING_ORDER = [("post", 0), ("a", 1), ("a1", 2), ("a1x", 3), ("a2", 2), ("b", 1), ("b1", 2)]


def test_every_item_of_the_thread_is_listed_in_reading_order_with_its_depth(channel):
    items = _tree(channel)

    for item in items.values():
        assert _entries(item) == READING_ORDER


def test_thread_items_keep_the_callers_own_item(channel):
    items = _tree(channel)
    a1 = items["a1"]

    [entry] = [e for e in selectors.thread_items(a1) if e.item.pk == a1.pk]

    assert entry.item is a1


@pytest.mark.parametrize("depth", [3, 50, 200])
def test_a_thread_costs_one_query_at_any_depth(channel, depth, django_assert_num_queries):
    deepest = _chain(channel, depth)[-1]

    with django_assert_num_queries(1):
        entries = selectors.thread_items(deepest)

    assert [entry.depth for entry in entries] == list(range(depth + 1))


def _thread_section(page: str) -> str:
    return page[page.index('id="traden"') : page.index('id="historik"')]


def test_a_replys_page_lists_its_replies_replies_and_itself(client, channel, dora):
    items = _tree(channel)
    client.force_login(dora)

    page = client.get(reverse("moderation:item-detail", args=[items["a"].pk])).content.decode()

    thread = _thread_section(page)
    for external_id in ("post", "b", "b1", "a1", "a2", "a1x"):
        assert f'href="/moderering/{items[external_id].pk}/"' in thread
    current = re.findall(
        r'<li class="thread-depth-(\d+)" aria-level="(\d+)" aria-current="true">', thread
    )
    assert current == [("1", "2")]
    assert "(det här inlägget)</strong> – ny" in thread
    deepest = (
        rf'<li class="thread-depth-3" aria-level="4">(?:(?!<li ).)*/moderering/{items["a1x"].pk}/'
    )
    assert re.search(deepest, thread) is not None


def test_an_items_page_costs_the_same_queries_at_depth_3_and_50(
    client, channel, dora, django_assert_max_num_queries
):
    shallow = _chain(channel, 3, prefix="kort")[-1]
    deep = _chain(channel, 50, prefix="lang")[-1]
    client.force_login(dora)
    client.get(reverse("moderation:item-detail", args=[shallow.pk]))  # warm the caches
    with CaptureQueriesContext(connection) as at_depth_3:
        client.get(reverse("moderation:item-detail", args=[shallow.pk]))

    with django_assert_max_num_queries(len(at_depth_3)):
        page = client.get(reverse("moderation:item-detail", args=[deep.pk])).content.decode()

    assert _thread_section(page).count("<li ") == 51


def test_a_large_threads_page_shows_the_item_its_path_and_its_replies_first(
    client, channel, dora, monkeypatch
):
    monkeypatch.setattr(selectors, "THREAD_SHOWN", 4)
    items = _tree(channel)
    client.force_login(dora)

    page = client.get(reverse("moderation:item-detail", args=[items["a1"].pk])).content.decode()

    thread = _thread_section(page)
    assert "Tråden har 7 inlägg. Här visas 4 av dem" in thread
    shown = re.findall(r'aria-level="(\d+)"', thread)
    assert shown == ["1", "2", "3", "4"]
    for external_id in ("post", "a", "a1x"):
        assert f'href="/moderering/{items[external_id].pk}/"' in thread
    for external_id in ("a2", "b", "b1"):
        assert f'href="/moderering/{items[external_id].pk}/"' not in thread
