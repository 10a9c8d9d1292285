"""X API v2 payloads (recorded shapes, moderation/platforms/x/fixtures) mapped to items."""

import datetime
import json
from pathlib import Path

from moderation.models import TEXT_MAX_BYTES
from moderation.platforms.base import PlatformItem
from moderation.platforms.x import mapping

FIXTURES = Path(__file__).resolve().parents[3] / "moderation" / "platforms" / "x" / "fixtures"
ACCOUNT = "1234567890"


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def test_own_posts_are_the_municipalitys_posts_and_a_reply_keeps_its_parent():
    assert mapping.map_posts(load("own_posts.json"), account_id=ACCOUNT) == [
        PlatformItem(
            external_id="1853412345678901250",
            kind="post",
            author="Åtvidabergs kommun (@atvidaberg)",
            text="@annasv Tack för frågan! Simhallen öppnar igen den 4 november.",
            received_at=at("2024-11-04T12:05:10+00:00"),
            url="https://x.com/atvidaberg/status/1853412345678901250",
            parent="1853411111111111111",
        ),
        PlatformItem(
            external_id="1853400000000000000",
            kind="post",
            author="Åtvidabergs kommun (@atvidaberg)",
            text="Simhallen är stängd för underhåll vecka 44. Välkomna tillbaka!",
            received_at=at("2024-11-04T11:10:00+00:00"),
            url="https://x.com/atvidaberg/status/1853400000000000000",
            parent=None,
        ),
    ]


def test_mentions_keep_emoji_and_right_to_left_text_and_skip_reposts():
    assert mapping.map_posts(load("mentions.json"), account_id=ACCOUNT) == [
        PlatformItem(
            external_id="1853420000000000001",
            kind="comment",
            author="Anna Svensson (@annasv)",
            text="@atvidaberg Varför är simhallen stängd igen? 😡🏊",
            received_at=at("2024-11-04T12:40:00+00:00"),
            url="https://x.com/annasv/status/1853420000000000001",
        ),
        PlatformItem(
            external_id="1853421000000000002",
            kind="comment",
            # A name on two lines becomes one line (an item's author is a single line).
            author="ليلى حسن (@layla_h)",
            text="@atvidaberg مرحبا، متى تفتح المكتبة؟",
            received_at=at("2024-11-04T12:44:00+00:00"),
            url="https://x.com/layla_h/status/1853421000000000002",
            parent="1853400000000000000",
        ),
    ]


def test_a_reply_found_by_search_answers_the_post_it_replies_to():
    assert mapping.map_posts(load("replies_search.json"), account_id=ACCOUNT) == [
        PlatformItem(
            external_id="1853430000000000004",
            kind="comment",
            author="Anna Svensson (@annasv)",
            text="@atvidaberg Bra att ni informerar!",
            received_at=at("2024-11-04T13:20:00+00:00"),
            url="https://x.com/annasv/status/1853430000000000004",
            parent="1853400000000000000",
        )
    ]


def test_an_edited_post_keeps_the_id_of_its_first_version():
    [item] = mapping.map_posts(load("edited.json"), account_id=ACCOUNT)
    assert item.external_id == "1853439000000000005"
    assert item.text == "@atvidaberg Rättelse: det var i tisdags jag ringde, inte i måndags."
    # The link shows the newest version.
    assert item.url == "https://x.com/annasv/status/1853440000000000099"


def test_odd_posts_are_mapped_as_far_as_they_go_and_the_rest_skipped():
    assert mapping.map_posts(load("odd.json"), account_id=ACCOUNT) == [
        PlatformItem(
            external_id="1853450000000000006",
            kind="comment",
            author="",
            text="Id som tal, ingen tid och ingen författare",
            # No created_at: the time is read from the id.
            received_at=at("2024-11-04T14:51:30.092000+00:00"),
            url="https://x.com/i/web/status/1853450000000000006",
        ),
        PlatformItem(
            external_id="1853451000000000007",
            kind="comment",
            author="@utan_namn",
            text="",
            received_at=at("2024-11-04T14:30:00+00:00"),
            url="https://x.com/utan_namn/status/1853451000000000007",
        ),
        PlatformItem(
            external_id="1853452000000000008",
            kind="comment",
            author="Anna Svensson (@annasv)",
            text="Tid som inte går att läsa",
            received_at=at("2024-11-04T14:59:26.929000+00:00"),
            url="https://x.com/annasv/status/1853452000000000008",
        ),
        PlatformItem(
            external_id="1853453000000000009",
            kind="comment",
            author="Anna Svensson (@annasv)",
            # A long post's whole text, not the first 280 characters; a quote is no parent.
            text="Långt inlägg: hela texten står här, mer än 280 tecken.",
            received_at=at("2024-11-04T14:40:00+00:00"),
            url="https://x.com/annasv/status/1853453000000000009",
        ),
    ]


def test_an_empty_page_and_an_answer_that_is_no_page_give_no_items():
    assert mapping.map_posts(load("empty_page.json"), account_id=ACCOUNT) == []
    assert mapping.map_posts({"data": "fel"}, account_id=ACCOUNT) == []
    assert mapping.map_posts([], account_id=ACCOUNT) == []


def test_a_very_long_text_keeps_its_first_64_kb_on_a_character_boundary():
    post = {
        "id": "1853460000000000010",
        "created_at": "2024-11-04T15:00:00.000Z",
        "note_tweet": {"text": "a" + "😀" * 20_000},
    }
    item = mapping.map_post(post, account_id=ACCOUNT, users={})
    encoded = item.text.encode("utf-8")
    assert len(encoded) == 1 + 4 * ((TEXT_MAX_BYTES - 1) // 4)
    assert item.text.endswith("😀")
