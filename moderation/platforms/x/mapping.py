"""X API v2 payloads to PlatformItems: pure functions, no I/O.

A timeline or search answer is {"data": [post, ...], "includes": {"users": [...]}, "meta":
{...}}. An edited post comes with a new id and `edit_history_tweet_ids` (oldest first): it is
mapped to the first id of its history, so the item keeps its identity and the services keep
the earlier text as a version.
"""

import datetime
import re

from ...models import TEXT_MAX_BYTES
from ..base import PlatformItem, Profile, profile_of

# X's ids are "snowflakes": milliseconds since this epoch in the bits above the 22nd.
SNOWFLAKE_EPOCH_MS = 1288834974657
AUTHOR_MAX = 200


def cut_text(text: str) -> str:
    """The first 64 KB of `text` in UTF-8, cut on a character boundary."""
    encoded = text.encode("utf-8")
    if len(encoded) <= TEXT_MAX_BYTES:
        return text
    return encoded[:TEXT_MAX_BYTES].decode("utf-8", "ignore")


def snowflake_time(post_id: str) -> datetime.datetime | None:
    try:
        milliseconds = (int(post_id) >> 22) + SNOWFLAKE_EPOCH_MS
        return datetime.datetime.fromtimestamp(milliseconds / 1000, tz=datetime.UTC)
    except (ValueError, OverflowError, OSError):
        return None


def parse_time(value, post_id: str) -> datetime.datetime | None:
    """`created_at` ("2022-10-27T15:09:03.000Z"); missing or broken: the time in the id."""
    if isinstance(value, str):
        try:
            parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed
    return snowflake_time(post_id)


def _id(value) -> str:
    """An id as X sends it (a string), or as a number from a careless sender."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value).strip()


def original_id(post: dict) -> str:
    """The id the item keeps: the first of the edit history, else the post's own."""
    history = post.get("edit_history_tweet_ids")
    if isinstance(history, list) and history:
        first = _id(history[0])
        if first:
            return first
    return _id(post.get("id"))


def latest_id(post: dict) -> str:
    """The id of the newest version (what X acts on)."""
    history = post.get("edit_history_tweet_ids")
    if isinstance(history, list) and history:
        last = _id(history[-1])
        if last:
            return last
    return _id(post.get("id"))


def users_by_id(payload: dict) -> dict[str, dict]:
    includes = payload.get("includes") if isinstance(payload, dict) else None
    users = includes.get("users") if isinstance(includes, dict) else None
    if not isinstance(users, list):
        return {}
    return {_id(user.get("id")): user for user in users if isinstance(user, dict)}


def _single_line(value) -> str:
    return " ".join(str(value or "").split())


def author_label(user: dict | None, author_id: str) -> str:
    """ "Name (@username)", as much of it as is known."""
    if not user:
        return author_id[:AUTHOR_MAX]
    name = _single_line(user.get("name"))
    username = _single_line(user.get("username"))
    if name and username:
        label = f"{name} (@{username})"
    else:
        label = name or (f"@{username}" if username else author_id)
    return label[:AUTHOR_MAX]


def _parent(post: dict) -> str | None:
    for reference in post.get("referenced_tweets") or ():
        if isinstance(reference, dict) and reference.get("type") == "replied_to":
            return _id(reference.get("id")) or None
    return None


def _is_retweet(post: dict) -> bool:
    return any(
        isinstance(reference, dict) and reference.get("type") == "retweeted"
        for reference in post.get("referenced_tweets") or ()
    )


# X allows 15 characters; a longer name of safe characters still makes a safe address.
_USERNAME = re.compile(r"[A-Za-z0-9_]{1,50}")


def profile_from(user: dict) -> Profile:
    """The account (`users/{id}?user.fields=description,name,username`): its display name,
    its bio and its address from the @username."""
    username = user.get("username")
    username = username if isinstance(username, str) and _USERNAME.fullmatch(username) else ""
    url = f"https://x.com/{username}" if username else ""
    return profile_of(user.get("name"), user.get("description"), url)


def post_url(post_id: str, username: str = "") -> str:
    if username:
        return f"https://x.com/{username}/status/{post_id}"
    return f"https://x.com/i/web/status/{post_id}"


def map_post(post: dict, *, account_id: str, users: dict[str, dict]) -> PlatformItem | None:
    """One post; None for what is not an item (a repost, a post without an id)."""
    if not isinstance(post, dict) or _is_retweet(post):
        return None
    external_id = original_id(post)
    if not external_id:
        return None
    received_at = parse_time(post.get("created_at"), _id(post.get("id")) or external_id)
    if received_at is None:
        return None
    author_id = _id(post.get("author_id"))
    user = users.get(author_id)
    # A long post's whole text is in note_tweet; `text` holds its first 280 characters.
    note = post.get("note_tweet")
    text = note.get("text") if isinstance(note, dict) else None
    if not isinstance(text, str):
        text = post.get("text") if isinstance(post.get("text"), str) else ""
    username = _single_line(user.get("username")) if user else ""
    return PlatformItem(
        external_id=external_id,
        kind="post" if author_id and author_id == account_id else "comment",
        author=author_label(user, author_id),
        text=cut_text(text.replace("\x00", "")),
        received_at=received_at,
        url=post_url(latest_id(post), username),
        parent=_parent(post),
    )


def map_posts(payload: dict, *, account_id: str) -> list[PlatformItem]:
    """Every item of a timeline or search answer, in the order given."""
    if not isinstance(payload, dict):
        return []
    data = payload.get("data")
    if not isinstance(data, list):
        return []
    users = users_by_id(payload)
    items = (map_post(post, account_id=account_id, users=users) for post in data)
    return [item for item in items if item is not None]
