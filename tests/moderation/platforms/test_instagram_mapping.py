"""Instagram's recorded Graph payloads become items."""

import datetime
import json
from pathlib import Path

from moderation.models.items import TEXT_MAX_BYTES
from moderation.platforms.instagram import mapping

FIXTURES = Path(__file__).parents[3] / "moderation/platforms/instagram/fixtures"
ACCOUNT = "17841405822304914"
MEDIA = "17895695668004550"


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text())


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def test_media_become_the_municipalitys_own_posts():
    items = [mapping.media_from(entry) for entry in fixture("media.json")["data"]]

    assert [(i.external_id, i.kind, i.author, i.text, i.received_at, i.url) for i in items] == [
        (
            MEDIA,
            "post",
            "atvidabergskommun",
            "Höstlov på biblioteket 📚 #åtvidaberg",
            at("2026-03-26T12:00:00+00:00"),
            "https://www.instagram.com/p/CxYz123AbC/",
        ),
        (
            "17895695668004551",
            "post",
            "atvidabergskommun",
            "",
            at("2026-03-25T09:30:00+00:00"),
            "https://www.instagram.com/reel/CxYz124AbC/",
        ),
    ]


def test_comments_come_with_their_replies_and_odd_ones_are_skipped_or_bounded():
    items = mapping.comments_from(fixture("comments.json")["data"], MEDIA, ACCOUNT)

    assert [(i.external_id, i.kind, i.author, i.parent) for i in items] == [
        ("17858893269000001", "comment", "anna.andersson", MEDIA),
        ("17858893269000002", "post", "atvidabergskommun", "17858893269000001"),
        ("17858893269000003", "comment", "dani.levi", "17858893269000001"),
        ("17858893269000004", "comment", "", MEDIA),
        ("17858893269000006", "comment", "lang.text", MEDIA),
    ]
    assert items[0].text == "När öppnar biblioteket på lördag? 🤔"
    assert items[0].received_at == at("2026-03-26T13:00:00+00:00")
    assert items[2].text == "מעולה, תודה"
    assert len(items[4].text.encode("utf-8")) == TEXT_MAX_BYTES
    assert items[4].text == "ä" * (TEXT_MAX_BYTES // 2)


def test_direct_messages_leave_out_the_accounts_own():
    items = [mapping.message_from(entry, ACCOUNT) for entry in fixture("messages.json")["data"]]

    assert items[1] is None
    assert (items[0].kind, items[0].author, items[0].text) == (
        "message",
        "bertil.berg",
        "Hej! Har ni öppet i påsk?",
    )
    assert items[0].external_id.startswith("aWdfZAG1")
