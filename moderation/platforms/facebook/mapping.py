"""Facebook's Graph JSON to PlatformItems: pure functions, no I/O. The pull (page posts,
comments, Messenger messages) and the webhook (a "feed" change) map a comment the same way,
so that it arrives as the same item whichever way it comes."""

import datetime

from django.utils.translation import gettext as _

from ...models.items import TEXT_MAX_BYTES
from .. import meta
from ..base import PlatformItem, Profile, profile_of
from ..meta import as_id, cut_text, parse_time

FACEBOOK = "https://www.facebook.com/"


class MappingError(ValueError):
    """A payload that cannot become an item; the message is Swedish."""


def _author(entry: dict) -> str:
    sender = entry.get("from")
    name = sender.get("name") if isinstance(sender, dict) else None
    return cut_text(name, 200) if isinstance(name, str) else ""


def comment_url(comment_id: str) -> str:
    """Facebook opens a comment from its id alone; the webhook has no permalink, so the pull
    uses the same address to keep both ways equal."""
    return f"{FACEBOOK}{comment_id}" if comment_id else ""


def profile_from(entry: dict) -> Profile:
    """The page (`/{page-id}?fields=name,about,description,link`): its "about" is the short
    text the page shows first; a page without one may have the longer description."""
    about = entry.get("about")
    description = about if isinstance(about, str) and about.strip() else entry.get("description")
    link = entry.get("link")
    page_id = as_id(entry.get("id"))
    if not (isinstance(link, str) and link.startswith("https://")) and page_id:
        link = f"{FACEBOOK}{page_id}"
    return profile_of(entry.get("name"), description, link)


def post_from(entry: dict) -> PlatformItem | None:
    """One of the page's own posts (`/{page-id}/posts`); None when it lacks an id or time."""
    post_id = as_id(entry.get("id"))
    created = parse_time(entry.get("created_time"))
    if not post_id or created is None:
        return None
    url = entry.get("permalink_url")
    return PlatformItem(
        external_id=post_id,
        kind="post",
        author=_author(entry),
        text=cut_text(entry.get("message") or entry.get("story") or "", TEXT_MAX_BYTES),
        received_at=created,
        url=url if isinstance(url, str) and url.startswith("https://") else comment_url(post_id),
    )


def comment_from(entry: dict, post_id: str, account_id: str = "") -> PlatformItem | None:
    """A comment or reply (`/{post-id}/comments?filter=stream`): its parent is the comment it
    answers, else the post. The page's own comments are its posts."""
    comment_id = as_id(entry.get("id"))
    created = parse_time(entry.get("created_time"))
    if not comment_id or created is None:
        return None
    parent = entry.get("parent")
    parent_id = as_id(parent.get("id")) if isinstance(parent, dict) else ""
    return PlatformItem(
        external_id=comment_id,
        kind="post" if meta.is_by_account(entry, account_id) else "comment",
        author=_author(entry),
        text=cut_text(entry.get("message") or "", TEXT_MAX_BYTES),
        received_at=created,
        url=comment_url(comment_id),
        parent=parent_id or post_id or None,
    )


def message_from(entry: dict, account_id: str) -> PlatformItem | None:
    """A Messenger message (`meta.message_from`), its sender named by `from.name`."""
    return meta.message_from(entry, account_id, author=_author)


def item_from_webhook_value(value: dict) -> PlatformItem:
    """A webhook "feed" change for a comment (item "comment"; verb add, edited or remove).
    An edit is the comment with its new text; a removal the comment with `deleted_at` (the
    time of the change). `parent` is the comment answered, else the post: whether it is
    stored is for the caller to find out. Raises MappingError in Swedish."""
    created = value.get("created_time")
    if isinstance(created, bool) or not isinstance(created, int | float | str):
        raise MappingError(_("Kommentaren saknar created_time."))
    if isinstance(created, str):
        received_at = parse_time(created)
        if received_at is None:
            raise MappingError(_("Kommentaren saknar created_time."))
    else:
        try:
            received_at = datetime.datetime.fromtimestamp(created, tz=datetime.UTC)
        except (OverflowError, OSError, ValueError) as error:
            raise MappingError(_("Kommentarens created_time är ogiltig.")) from error
    comment_id = as_id(value.get("comment_id"))
    post_id = as_id(value.get("post_id"))
    parent = as_id(value.get("parent_id")) or post_id
    message = value.get("message")
    # A post's id is "{page-id}_{post-id}": what the page itself wrote is its own post, as
    # the pull maps it (comment_from).
    page_id = post_id.split("_", 1)[0] if "_" in post_id else ""
    return PlatformItem(
        external_id=comment_id,
        kind="post" if meta.is_by_account(value, page_id) else "comment",
        author=_author(value),
        text=cut_text(message, TEXT_MAX_BYTES) if isinstance(message, str) else "",
        received_at=received_at,
        url=comment_url(comment_id),
        parent=parent or None,
        deleted_at=received_at if value.get("verb") == "remove" else None,
    )
