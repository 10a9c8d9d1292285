"""WordPress REST API (wp/v2) JSON → PlatformItem. Pure functions, no I/O.

Comment and post ids are two sequences on a WordPress site, so a post's external id is
"post-<id>" and a comment's is its id. `date_gmt` is UTC without an offset; a payload
without it falls back on `date` in the site's zone (the municipality's, Europe/Stockholm).
"""

import datetime
import html
import re
from zoneinfo import ZoneInfo

from ..base import PlatformItem, Profile, profile_of

# As moderation.models.items.TEXT_MAX_BYTES: longer texts keep their first 64 kB.
TEXT_MAX_BYTES = 64 * 1024
SITE_ZONE = ZoneInfo("Europe/Stockholm")
POST_PREFIX = "post-"
# The comment types that are people's comments; pingbacks, trackbacks and block notes are not.
COMMENT_TYPES = frozenset({"comment", ""})

_TAG = re.compile(r"<[^>]*>")


def post_external_id(post_id) -> str:
    return f"{POST_PREFIX}{post_id}"


def post_id_of(external_id: str) -> str | None:
    """The WordPress id of a post's external id, None for a comment's."""
    if external_id.startswith(POST_PREFIX):
        return external_id[len(POST_PREFIX) :]
    return None


def cut(text: str) -> str:
    """At most TEXT_MAX_BYTES of UTF-8, cut on a character boundary."""
    encoded = text.encode("utf-8", "replace")
    if len(encoded) <= TEXT_MAX_BYTES:
        return text
    return encoded[:TEXT_MAX_BYTES].decode("utf-8", "ignore")


def plain(value) -> str:
    """The text of a WordPress field: `raw` when the edit context gave it, else `rendered`
    with its tags removed; a plain string as it is."""
    if isinstance(value, dict):
        raw = value.get("raw")
        if isinstance(raw, str):
            return raw.replace("\x00", "")
        value = value.get("rendered")
        if isinstance(value, str):
            return html.unescape(_TAG.sub("", value)).strip().replace("\x00", "")
        return ""
    return value.replace("\x00", "") if isinstance(value, str) else ""


def site_profile(settings: dict) -> Profile | None:
    """The site's settings (`title`, `description`, `url`): the blog's title, its tagline and
    its address; None when the answer has no title."""
    title = settings.get("title")
    if not isinstance(title, str) or not title.strip():
        return None
    return profile_of(
        html.unescape(title), html.unescape(plain(settings.get("description"))), settings.get("url")
    )


def parse_time(data: dict, field: str = "date") -> datetime.datetime | None:
    """`<field>_gmt` as UTC, else `<field>` in the site's zone; None when neither parses."""
    for name, zone in ((f"{field}_gmt", datetime.UTC), (field, SITE_ZONE)):
        value = data.get(name)
        if not isinstance(value, str) or not value:
            continue
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return moment.astimezone(datetime.UTC)
    return None


def _id(value) -> str | None:
    if isinstance(value, bool) or value in (None, "", 0, "0"):
        return None
    if isinstance(value, int | str):
        return str(value).strip() or None
    return None


def comment_item(data) -> PlatformItem | None:
    """A comment, or None for anything that is not a person's comment (a pingback, a
    trackback, a block note) or lacks an id or a time."""
    if not isinstance(data, dict):
        return None
    kind = data.get("type", "comment")
    if kind is None:
        kind = ""
    if kind not in COMMENT_TYPES:
        return None
    external_id = _id(data.get("id"))
    received_at = parse_time(data)
    if external_id is None or received_at is None:
        return None
    parent = _id(data.get("parent"))
    if parent is None:
        post = _id(data.get("post"))
        parent = post_external_id(post) if post else None
    author = data.get("author_name")
    link = data.get("link")
    return PlatformItem(
        external_id=external_id,
        kind="comment",
        author=cut(author.strip()) if isinstance(author, str) else "",
        text=cut(plain(data.get("content"))),
        received_at=received_at,
        url=link if isinstance(link, str) else "",
        parent=parent,
    )


def post_item(data) -> PlatformItem | None:
    """One of the site's own posts (kind "post"): its title and text."""
    if not isinstance(data, dict):
        return None
    external_id = _id(data.get("id"))
    received_at = parse_time(data)
    if external_id is None or received_at is None:
        return None
    title, body = plain(data.get("title")), plain(data.get("content"))
    link = data.get("link")
    return PlatformItem(
        external_id=post_external_id(external_id),
        kind="post",
        author="",
        text=cut("\n\n".join(part for part in (title, body) if part)),
        received_at=received_at,
        url=link if isinstance(link, str) else "",
    )


def items(payload, mapper) -> list[PlatformItem]:
    """Every mappable element of a listing (a JSON array); anything else is skipped."""
    if not isinstance(payload, list):
        return []
    return [item for item in map(mapper, payload) if item is not None]
