"""YouTube Data API v3 resources (commentThread, comment, playlistItem, video) as PlatformItems.
Pure functions, no I/O: what cannot be mapped (an unknown kind, no id) is skipped."""

import datetime
import re

from ...models.items import TEXT_MAX_BYTES
from ...workflow import ItemKind
from ..base import PlatformItem, Profile, profile_of

WATCH_URL = "https://www.youtube.com/watch?v={video}"
COMMENT_URL = "https://www.youtube.com/watch?v={video}&lc={comment}"


def cut_text(text: str) -> str:
    """At most TEXT_MAX_BYTES of UTF-8, cut on a character boundary."""
    encoded = text.encode("utf-8")
    if len(encoded) <= TEXT_MAX_BYTES:
        return text
    return encoded[:TEXT_MAX_BYTES].decode("utf-8", "ignore")


def parse_time(value) -> datetime.datetime | None:
    """An RFC 3339 time as YouTube writes it ("2026-12-06T15:00:00Z"), or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed.astimezone(datetime.UTC)


def _text(value) -> str:
    if value is None:
        return ""
    return cut_text(str(value))


def _id(value) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return str(value).strip()


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def comment_time(comment: dict) -> datetime.datetime | None:
    """When the comment last changed (its edit), else when it was published."""
    snippet = _dict(_dict(comment).get("snippet"))
    return parse_time(snippet.get("updatedAt")) or parse_time(snippet.get("publishedAt"))


def comment_item(
    comment: dict, *, account_id: str, video_id: str = "", now: datetime.datetime
) -> PlatformItem | None:
    """A `youtube#comment`: a top-level comment answers its video, a reply its top-level
    comment. The channel's own comments (its replies) are the municipality's own posts."""
    if not isinstance(comment, dict) or comment.get("kind", "youtube#comment") != "youtube#comment":
        return None
    comment_id = _id(comment.get("id"))
    if not comment_id:
        return None
    snippet = _dict(comment.get("snippet"))
    video = _id(snippet.get("videoId")) or video_id
    parent = _id(snippet.get("parentId")) or video or None
    author_channel = _id(_dict(snippet.get("authorChannelId")).get("value"))
    own = bool(author_channel) and author_channel == account_id
    text = snippet.get("textOriginal")
    if text is None:
        text = snippet.get("textDisplay")
    received_at = parse_time(snippet.get("publishedAt")) or parse_time(snippet.get("updatedAt"))
    return PlatformItem(
        external_id=comment_id,
        kind=ItemKind.POST if own else ItemKind.COMMENT,
        author=_text(snippet.get("authorDisplayName")),
        text=_text(text),
        received_at=received_at or now,
        url=COMMENT_URL.format(video=video, comment=comment_id) if video else "",
        parent=parent,
    )


def thread_comments(thread: dict) -> tuple[dict | None, list[dict]]:
    """A `youtube#commentThread`'s top-level comment and the replies it carries (YouTube
    sends some of them only: `totalReplyCount` says how many there are)."""
    if not isinstance(thread, dict) or thread.get("kind") != "youtube#commentThread":
        return None, []
    snippet = _dict(thread.get("snippet"))
    top = snippet.get("topLevelComment")
    replies = _dict(thread.get("replies")).get("comments")
    replies = (
        [reply for reply in replies if isinstance(reply, dict)] if isinstance(replies, list) else []
    )
    return (top if isinstance(top, dict) else None), replies


def reply_count(thread: dict) -> int:
    count = _dict(_dict(thread).get("snippet")).get("totalReplyCount")
    return count if isinstance(count, int) and not isinstance(count, bool) else 0


def thread_items(thread: dict, *, account_id: str, now: datetime.datetime) -> list[PlatformItem]:
    """The top-level comment and the replies a thread carries, parents first."""
    top, replies = thread_comments(thread)
    video = _id(_dict(_dict(thread).get("snippet")).get("videoId"))
    items = []
    for comment in ([top] if top else []) + replies:
        item = comment_item(comment, account_id=account_id, video_id=video, now=now)
        if item is not None:
            items.append(item)
    return items


def video_item(entry: dict, *, now: datetime.datetime) -> PlatformItem | None:
    """A `youtube#playlistItem` of the channel's uploads: the municipality's own video, its
    title and description as the text. Deleted and unavailable entries are skipped."""
    if not isinstance(entry, dict) or entry.get("kind") != "youtube#playlistItem":
        return None
    snippet = _dict(entry.get("snippet"))
    details = _dict(entry.get("contentDetails"))
    resource = _dict(snippet.get("resourceId"))
    video = _id(details.get("videoId")) or _id(resource.get("videoId"))
    if not video:
        return None
    published = parse_time(details.get("videoPublishedAt"))
    if published is None and snippet.get("title") in ("Deleted video", "Private video"):
        return None
    return PlatformItem(
        external_id=video,
        kind=ItemKind.POST,
        author=_text(snippet.get("videoOwnerChannelTitle") or snippet.get("channelTitle")),
        text=video_text(snippet),
        received_at=published or parse_time(snippet.get("publishedAt")) or now,
        url=WATCH_URL.format(video=video),
    )


def video_text(snippet: dict) -> str:
    """A video's text as an item holds it: the title, a blank line, the description. The
    same from a playlistItem's snippet and a video's, so that an unchanged video reads the
    same both ways."""
    snippet = _dict(snippet)
    title = _id(snippet.get("title"))
    description = snippet.get("description") or ""
    return cut_text("\n\n".join(part for part in (title, str(description).strip()) if part))


def video_resource_item(video: dict, *, now: datetime.datetime) -> PlatformItem | None:
    """A `youtube#video` of videos.list with part=snippet: the municipality's own video, as
    `video_item` maps it from the uploads; without a snippet or an id it is skipped."""
    if not isinstance(video, dict) or video.get("kind") != "youtube#video":
        return None
    video_id = _id(video.get("id"))
    snippet = video.get("snippet")
    if not video_id or not isinstance(snippet, dict):
        return None
    return PlatformItem(
        external_id=video_id,
        kind=ItemKind.POST,
        author=_text(snippet.get("channelTitle")),
        text=video_text(snippet),
        received_at=parse_time(snippet.get("publishedAt")) or now,
        url=WATCH_URL.format(video=video_id),
    )


def video_time(entry: dict) -> datetime.datetime | None:
    details = _dict(_dict(entry).get("contentDetails"))
    snippet = _dict(_dict(entry).get("snippet"))
    return parse_time(details.get("videoPublishedAt")) or parse_time(snippet.get("publishedAt"))


_HANDLE = re.compile(r"@?[A-Za-z0-9._-]{1,100}")


def channel_profile(entry: dict) -> Profile:
    """The channel (`channels?part=snippet&id=`): its title, its description and its address,
    by its handle (`snippet.customUrl`, "@namn") when it has one, else by its id."""
    snippet = _dict(entry.get("snippet"))
    handle = snippet.get("customUrl")
    channel_id = _id(entry.get("id"))
    if isinstance(handle, str) and _HANDLE.fullmatch(handle):
        url = f"https://www.youtube.com/{handle if handle.startswith('@') else '@' + handle}"
    else:
        url = f"https://www.youtube.com/channel/{channel_id}" if channel_id else ""
    return profile_of(snippet.get("title"), snippet.get("description"), url)
