"""The YouTube mapping on payloads in the shape the YouTube Data API v3 answers."""

import dataclasses
import datetime
import json
from pathlib import Path

from moderation.models import TEXT_MAX_BYTES
from moderation.platforms.base import PlatformItem
from moderation.platforms.youtube import mapping

FIXTURES = Path(__file__).resolve().parents[3] / "moderation/platforms/youtube/fixtures"
CHANNEL = "UCr8Tq2mUVkEXmfg3XfS0ZSw"
T1 = "UgzDE2tasfmrYLyNkGt4AaABAg"
T2 = "Ugw9kXq3hR5vLp2mN8cB4AaABAg"
NOW = datetime.datetime(2026, 12, 6, 12, 0, tzinfo=datetime.UTC)


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def threads(name: str) -> list[PlatformItem]:
    items = []
    for thread in load(name)["items"]:
        items += mapping.thread_items(thread, account_id=CHANNEL, now=NOW)
    return items


def test_comment_threads_map_to_comments_and_the_channels_own_replies_to_posts():
    assert threads("comment_threads.json") == [
        PlatformItem(
            external_id=T1,
            kind="comment",
            author="Karin Lind",
            text="När öppnar återvinningscentralen efter helgen?",
            received_at=at("2026-11-30T09:12:44Z"),
            url=f"https://www.youtube.com/watch?v=dQ7xHm2LkPw&lc={T1}",
            parent="dQ7xHm2LkPw",
        ),
        PlatformItem(
            external_id=f"{T1}.9xKq3Tq2nLmAbC12",
            kind="post",
            author="Åtvidabergs kommun",
            text="Klockan 7 på måndag!",
            received_at=at("2026-11-30T10:02:10Z"),
            url=f"https://www.youtube.com/watch?v=dQ7xHm2LkPw&lc={T1}.9xKq3Tq2nLmAbC12",
            parent=T1,
        ),
        PlatformItem(
            external_id=f"{T1}.9xKq4Zr8pQwErT34",
            kind="comment",
            author="Karin Lind",
            text="Tack för svaret 🙏",
            received_at=at("2026-11-30T10:15:55Z"),
            url=f"https://www.youtube.com/watch?v=dQ7xHm2LkPw&lc={T1}.9xKq4Zr8pQwErT34",
            parent=T1,
        ),
        PlatformItem(
            external_id=T2,
            kind="comment",
            author="Per Ek",
            # textOriginal, not the HTML-escaped textDisplay.
            text="Bra video om sorteringen 👍 &amp; tydligt",
            received_at=at("2026-11-29T18:03:00Z"),
            url=f"https://www.youtube.com/watch?v=dQ7xHm2LkPw&lc={T2}",
            parent="dQ7xHm2LkPw",
        ),
    ]


def test_a_thread_says_how_many_replies_it_has_beyond_those_it_carries():
    thread = load("comment_threads.json")["items"][0]
    top, replies = mapping.thread_comments(thread)

    assert (top["id"], len(replies), mapping.reply_count(thread)) == (T1, 2, 7)


def test_replies_read_by_parent_answer_their_top_level_comment():
    items = [
        mapping.comment_item(comment, account_id=CHANNEL, now=NOW)
        for comment in load("comments_replies.json")["items"]
    ]

    assert [(item.external_id, item.parent, item.kind, item.text) for item in items] == [
        (f"{T1}.9xKq{n}AbCdEfGh{n}", T1, "comment", f"Svar nummer {n}") for n in range(3, 8)
    ]
    assert items[0].received_at == at("2026-11-30T13:00:00Z")


def test_an_edited_comment_keeps_its_id_and_brings_the_new_text():
    thread = load("comment_threads_edited.json")["items"][0]
    (item,) = mapping.thread_items(thread, account_id=CHANNEL, now=NOW)
    top, _replies = mapping.thread_comments(thread)

    assert (item.external_id, item.text, item.received_at) == (
        T2,
        "Bra video om sorteringen! (ändrad)",
        at("2026-11-29T18:03:00Z"),
    )
    assert mapping.comment_time(top) == at("2026-12-02T08:30:15Z")


def test_held_for_review_comments_map_like_published_ones():
    (item,) = threads("comment_threads_held.json")

    assert (item.external_id, item.kind, item.author, item.parent) == (
        "UgyHeLd7rEv1eW0aBcD4AaABAg",
        "comment",
        "Spam Spamsson",
        "dQ7xHm2LkPw",
    )


def test_odd_threads_are_skipped_or_mapped_with_what_they_have():
    assert threads("comment_threads_odd.json") == [
        PlatformItem(
            external_id="UgxNoFields",
            kind="comment",
            author="",
            text="",
            received_at=NOW,
            url="",
            parent=None,
        ),
        PlatformItem(
            external_id="UgzRtl0AaABAg",
            kind="comment",
            author="سارة",
            text="مرحبا بالجميع، שלום לכולם",
            received_at=at("2026-11-28T12:00:00Z"),
            url="https://www.youtube.com/watch?v=dQ7xHm2LkPw&lc=UgzRtl0AaABAg",
            parent="dQ7xHm2LkPw",
        ),
        PlatformItem(
            external_id="12345",
            kind="comment",
            author="",
            text="Bara <b>visningstext</b> 🏳️‍🌈👨‍👩‍👧",
            received_at=at("2026-11-27T07:07:07Z"),
            url="https://www.youtube.com/watch?v=987&lc=12345",
            parent="987",
        ),
    ]
    assert mapping.reply_count(load("comment_threads_odd.json")["items"][4]) == 0


def test_a_very_long_comment_keeps_its_first_64_kb_on_a_character_boundary():
    (item,) = threads("comment_threads_long.json")

    assert item.text == "€" * (TEXT_MAX_BYTES // 3)
    assert len(item.text.encode()) <= TEXT_MAX_BYTES


def test_uploads_map_to_the_municipalitys_own_posts_and_deleted_videos_are_skipped():
    items = [mapping.video_item(entry, now=NOW) for entry in load("playlist_items.json")["items"]]

    assert items == [
        PlatformItem(
            external_id="dQ7xHm2LkPw",
            kind="post",
            author="Åtvidabergs kommun",
            text="Så fungerar återvinningscentralen\n\n"
            "Vi visar hur du sorterar grovavfall.\n\nMer på atvidaberg.se",
            received_at=at("2026-11-20T13:00:00Z"),
            url="https://www.youtube.com/watch?v=dQ7xHm2LkPw",
        ),
        PlatformItem(
            external_id="aB3cD4eF5gH",
            kind="post",
            author="Åtvidabergs kommun",
            text="Sommarlov i Åtvidaberg",
            received_at=at("2026-06-01T08:00:00Z"),
            url="https://www.youtube.com/watch?v=aB3cD4eF5gH",
        ),
        None,
        None,
    ]


def test_a_video_read_again_maps_like_its_upload_and_brings_its_edited_text():
    uploads = {
        item.external_id: item
        for entry in load("playlist_items.json")["items"]
        if (item := mapping.video_item(entry, now=NOW)) is not None
    }

    items = [
        mapping.video_resource_item(video, now=NOW)
        for video in load("videos_snippet.json")["items"]
    ]

    edited, unchanged, no_snippet = items
    assert edited == dataclasses.replace(
        uploads["dQ7xHm2LkPw"],
        text="Så fungerar återvinningscentralen – nya öppettider\n\n"
        "Vi visar hur du sorterar grovavfall.\n\nMer på atvidaberg.se",
    )
    # Unchanged, it reads exactly as the upload did: no version is made of it.
    assert unchanged == uploads["aB3cD4eF5gH"]
    assert no_snippet is None


def test_an_inserted_reply_maps_to_the_municipalitys_own_post():
    item = mapping.comment_item(load("comment_insert.json"), account_id=CHANNEL, now=NOW)

    assert (item.external_id, item.kind, item.parent, item.text) == (
        f"{T1}.9xKr0NeWrEpLy56",
        "post",
        T1,
        "Hej Karin! Måndag klockan 7.",
    )
