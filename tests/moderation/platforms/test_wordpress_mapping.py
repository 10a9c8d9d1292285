"""The WordPress mapping on the recorded payloads (moderation/platforms/wordpress/fixtures)."""

import datetime
import json
from pathlib import Path

from moderation.models.items import TEXT_MAX_BYTES
from moderation.platforms.base import PlatformItem
from moderation.platforms.wordpress import mapping

FIXTURES = Path(__file__).resolve().parents[3] / "moderation/platforms/wordpress/fixtures"


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def test_comments_map_to_items_and_skip_pingbacks_and_comments_without_id():
    items = mapping.items(fixture("comments.json"), mapping.comment_item)

    assert items == [
        PlatformItem(
            external_id="4711",
            kind="comment",
            author="Anna Andersson",
            text="När öppnar biblioteket på lördag?",
            received_at=utc(2026, 3, 27, 15, 30),
            url="https://bloggen.atvidaberg.se/2026/03/27/sommarlasning/#comment-4711",
            parent="post-312",
        ),
        PlatformItem(
            external_id="4712",
            kind="comment",
            author="Biblioteket",
            text="Klockan 10–14 & välkommen!",
            received_at=utc(2026, 3, 27, 16, 5),
            url="https://bloggen.atvidaberg.se/2026/03/27/sommarlasning/#comment-4712",
            parent="4711",
        ),
        PlatformItem(
            external_id="4713",
            kind="comment",
            author="Ali 🌍",
            text="مرحبا، هل المكتبة مفتوحة؟ 📚",
            received_at=utc(2026, 3, 28, 8, 0),
            url="https://bloggen.atvidaberg.se/2026/03/27/sommarlasning/#comment-4713",
            parent="post-312",
        ),
        # Missing author, text, link and date_gmt: the local date in the site's zone.
        PlatformItem(
            external_id="4715",
            kind="comment",
            author="",
            text="",
            received_at=utc(2026, 3, 28, 10, 15),
            url="",
            parent="post-312",
        ),
    ]


def test_an_edited_comment_keeps_its_id_with_the_new_text():
    (item,) = mapping.items(fixture("comment_edited.json"), mapping.comment_item)

    assert (item.external_id, item.text) == (
        "4711",
        "När öppnar biblioteket på lördag? (Jag menar påskafton.)",
    )


def test_own_posts_are_posts_with_title_and_text_and_a_prefixed_id():
    items = mapping.items(fixture("posts.json"), mapping.post_item)

    assert items == [
        PlatformItem(
            external_id="post-312",
            kind="post",
            author="",
            text="Sommarläsning\n\n<!-- wp:paragraph --><p>Nu börjar sommarlovsläsningen.</p>"
            "<!-- /wp:paragraph -->",
            received_at=utc(2026, 3, 27, 8, 0),
            url="https://bloggen.atvidaberg.se/2026/03/27/sommarlasning/",
        ),
        PlatformItem(
            external_id="post-318",
            kind="post",
            author="",
            text="Påsk–öppettider\n\nStängt på långfredagen.",
            received_at=utc(2026, 3, 29, 7, 0),
            url="https://bloggen.atvidaberg.se/2026/03/29/pask/",
        ),
    ]


def test_a_created_reply_maps_with_its_parent_comment():
    item = mapping.comment_item(fixture("comment_reply_created.json"))

    assert (item.external_id, item.parent, item.text) == ("4720", "4711", "Vi har öppet 10–14.")


def test_a_very_long_text_keeps_its_first_64_kb_on_a_character_boundary():
    data = fixture("comment_edited.json")[0] | {"content": {"raw": "å" * 40_000}}

    item = mapping.comment_item(data)

    assert mapping.TEXT_MAX_BYTES == TEXT_MAX_BYTES
    assert len(item.text.encode()) == TEXT_MAX_BYTES
    assert item.text == "å" * (TEXT_MAX_BYTES // 2)


def test_anything_but_a_listing_of_objects_maps_to_nothing():
    assert mapping.items({"code": "rest_no_route"}, mapping.comment_item) == []
    assert mapping.items(["text", 17, None], mapping.post_item) == []
