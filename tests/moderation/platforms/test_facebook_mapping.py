"""Facebook's recorded Graph payloads become the items the pull and the webhook store."""

import datetime
import json
from pathlib import Path

import pytest

from moderation.models.items import TEXT_MAX_BYTES
from moderation.platforms.facebook import mapping

FIXTURES = Path(__file__).parents[3] / "moderation/platforms/facebook/fixtures"
PAGE = "104523998765432"
POST = f"{PAGE}_812345678901234"


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text())


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def test_page_posts_become_the_municipalitys_own_posts():
    posts = [mapping.post_from(entry) for entry in fixture("posts.json")["data"]]

    assert [(p.external_id, p.kind, p.author, p.text, p.received_at, p.url) for p in posts] == [
        (
            POST,
            "post",
            "Åtvidabergs kommun",
            "Simhallen har nya öppettider från måndag.",
            at("2026-03-27T08:00:00+00:00"),
            "https://www.facebook.com/104523998765432/posts/812345678901234",
        ),
        (
            f"{PAGE}_812345678900001",
            "post",
            "",
            "Åtvidabergs kommun uppdaterade sin profilbild.",
            at("2026-03-20T10:15:00+00:00"),
            f"https://www.facebook.com/{PAGE}_812345678900001",
        ),
    ]


def test_comments_thread_under_their_parent_or_post_and_the_pages_own_are_posts():
    entries = fixture("comments.json")["data"]

    items = [mapping.comment_from(entry, POST, PAGE) for entry in entries]

    assert [(i.external_id, i.kind, i.author, i.text, i.parent) for i in items] == [
        (
            "812345678901234_1098765432109876",
            "comment",
            "Anna Andersson",
            "Varför är simhallen stängd?",
            POST,
        ),
        (
            "812345678901234_1098765432109877",
            "post",
            "Åtvidabergs kommun",
            "Den öppnar igen på måndag. Välkommen!",
            "812345678901234_1098765432109876",
        ),
        (
            "812345678901234_1098765432109878",
            "comment",
            "",
            "Tack! 🏊‍♀️👍",
            "812345678901234_1098765432109876",
        ),
        (
            "812345678901234_1098765432109879",
            "comment",
            "سارة أحمد",
            "شكرا جزيلا على المعلومات",
            POST,
        ),
    ]
    assert items[0].received_at == at("2026-03-27T15:30:00+00:00")
    assert items[0].url == "https://www.facebook.com/812345678901234_1098765432109876"
    assert items[0].deleted_at is None


def test_odd_comments_are_skipped_or_kept_within_bounds():
    entries = fixture("comments_odd.json")["data"]

    items = [
        mapping.comment_from(entry, POST, PAGE) if isinstance(entry, dict) else None
        for entry in entries
    ]

    # A number as id is a string; no id or no time: skipped; an attachment only: no text.
    assert items[0].external_id == "1098765432100001"
    assert (items[0].author, items[0].text) == ("", "Id som tal, utan avsändare")
    assert items[1] is None
    assert items[2] is None
    assert (items[3].external_id, items[3].text) == ("812345678901234_1098765432100004", "")
    long = items[5]
    assert len(long.text.encode("utf-8")) == TEXT_MAX_BYTES
    assert long.text == "å" * (TEXT_MAX_BYTES // 2)


def test_the_pages_own_messages_are_left_out_and_others_are_direct_messages():
    entries = fixture("messages.json")["data"]

    items = [mapping.message_from(entry, PAGE) for entry in entries]

    assert items[0] is None
    assert (items[1].external_id, items[1].kind, items[1].author, items[1].parent) == (
        "m_AbCdEfGhIjKlMnOpQrStUvWxYz1",
        "message",
        "Bertil Berg",
        None,
    )
    assert items[1].text == "Hej! Jag vill anmäla ett fel på gatubelysningen på Storgatan."
    assert items[2].text == ""


def _webhook_value(name: str) -> dict:
    return fixture(name)["entry"][0]["changes"][0]["value"]


def test_a_webhook_comment_maps_as_the_pulled_comment_does():
    from_webhook = mapping.item_from_webhook_value(_webhook_value("webhook_comment_add.json"))
    pulled = mapping.comment_from(fixture("comments.json")["data"][0], POST, PAGE)

    assert from_webhook == pulled
    assert from_webhook.as_item_data()["received_at"] == "2026-03-27T15:30:00+00:00"


def test_a_webhook_reply_names_its_parent_comment():
    item = mapping.item_from_webhook_value(_webhook_value("webhook_reply_add.json"))

    assert (item.external_id, item.parent, item.text) == (
        "812345678901234_1098765432109878",
        "812345678901234_1098765432109876",
        "Tack! 🏊‍♀️👍",
    )


def test_a_webhook_edit_is_the_comment_with_its_new_text():
    item = mapping.item_from_webhook_value(_webhook_value("webhook_comment_edited.json"))

    assert item.external_id == "812345678901234_1098765432109876"
    assert item.text == "Varför är simhallen stängd? (ändrat: och gymmet?)"
    assert item.deleted_at is None


def test_a_webhook_removal_is_the_comment_deleted_at_the_time_of_the_change():
    item = mapping.item_from_webhook_value(_webhook_value("webhook_comment_remove.json"))

    assert item.external_id == "812345678901234_1098765432109876"
    assert item.deleted_at == datetime.datetime(2026, 3, 27, 17, 0, tzinfo=datetime.UTC)
    assert item.text == ""


@pytest.mark.parametrize(
    ("created_time", "message"),
    [
        (None, "Kommentaren saknar created_time."),
        ("igår", "Kommentaren saknar created_time."),
        (True, "Kommentaren saknar created_time."),
        (10**20, "Kommentarens created_time är ogiltig."),
    ],
)
def test_a_webhook_comment_without_a_usable_time_is_refused_in_swedish(created_time, message):
    value = _webhook_value("webhook_comment_add.json") | {"created_time": created_time}

    with pytest.raises(mapping.MappingError, match=message):
        mapping.item_from_webhook_value(value)


def test_a_webhook_time_in_graphs_text_form_is_read():
    value = _webhook_value("webhook_comment_add.json") | {
        "created_time": "2026-03-27T15:30:00+0000"
    }

    item = mapping.item_from_webhook_value(value)

    assert item.received_at == at("2026-03-27T15:30:00+00:00")
