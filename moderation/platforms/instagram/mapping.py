"""Instagram's Graph JSON (Instagram API with Facebook Login) to PlatformItems: pure
functions, no I/O."""

import re

from ...models.items import TEXT_MAX_BYTES
from .. import meta
from ..base import PlatformItem, Profile, profile_of
from ..meta import as_id, cut_text, parse_time


def _author(entry: dict) -> str:
    name = entry.get("username")
    if not isinstance(name, str):
        sender = entry.get("from")
        name = sender.get("username") if isinstance(sender, dict) else None
    return cut_text(name, 200) if isinstance(name, str) else ""


def media_url(entry: dict) -> str:
    url = entry.get("permalink")
    return url if isinstance(url, str) and url.startswith("https://") else ""


_USERNAME = re.compile(r"[A-Za-z0-9._]{1,30}")


def profile_from(entry: dict) -> Profile:
    """The account (`/{ig-user-id}?fields=name,username,biography`): its profile name (the
    @username when it has none), its biography, and its address from the username."""
    username = entry.get("username")
    username = username if isinstance(username, str) and _USERNAME.fullmatch(username) else ""
    name = entry.get("name")
    if not (isinstance(name, str) and name.strip()):
        name = username
    url = f"https://www.instagram.com/{username}/" if username else ""
    return profile_of(name, entry.get("biography"), url)


def media_from(entry: dict) -> PlatformItem | None:
    """One of the account's own media (`/{ig-user-id}/media`); None without an id or time."""
    media_id = as_id(entry.get("id"))
    created = parse_time(entry.get("timestamp"))
    if not media_id or created is None:
        return None
    return PlatformItem(
        external_id=media_id,
        kind="post",
        author=_author(entry),
        text=cut_text(entry.get("caption") or "", TEXT_MAX_BYTES),
        received_at=created,
        url=media_url(entry),
    )


def comment_from(entry: dict, media_id: str, account_id: str = "") -> PlatformItem | None:
    """A comment on a media, or a reply to one (`parent_id`). The account's own are posts."""
    comment_id = as_id(entry.get("id"))
    created = parse_time(entry.get("timestamp"))
    if not comment_id or created is None:
        return None
    return PlatformItem(
        external_id=comment_id,
        kind="post" if meta.is_by_account(entry, account_id) else "comment",
        author=_author(entry),
        text=cut_text(entry.get("text") or "", TEXT_MAX_BYTES),
        received_at=created,
        parent=as_id(entry.get("parent_id")) or media_id or None,
    )


def replies_from(
    entries: list, comment_id: str, media_id: str, account_id: str = ""
) -> list[PlatformItem]:
    """The replies to one comment: those expanded with it (`replies{...}`) or a page of
    `/{comment-id}/replies`, which may not name their parent."""
    items = []
    for reply in entries if isinstance(entries, list) else []:
        if isinstance(reply, dict):
            mapped = comment_from({"parent_id": comment_id, **reply}, media_id, account_id)
            if mapped is not None:
                items.append(mapped)
    return items


def comments_from(entries: list, media_id: str, account_id: str = "") -> list[PlatformItem]:
    """The comments of one page of `/{media-id}/comments`, each followed by the replies
    that came with it (`replies{...}`, their first page)."""
    items = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        item = comment_from(entry, media_id, account_id)
        if item is None:
            continue
        items.append(item)
        replies = entry.get("replies")
        data = replies.get("data") if isinstance(replies, dict) else None
        items.extend(replies_from(data, item.external_id, media_id, account_id))
    return items


def message_from(entry: dict, account_id: str) -> PlatformItem | None:
    """An Instagram direct message (`meta.message_from`), its sender named by username."""
    return meta.message_from(entry, account_id, author=_author)
