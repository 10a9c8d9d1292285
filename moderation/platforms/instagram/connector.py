"""Instagram (a professional account linked to a Facebook page) through the Graph API
(v21.0): the account's media, the comments and replies on them, Instagram direct messages;
hide, unhide, delete and reply on comments, reply to direct messages. What the platform
does not allow: doc.md."""

from django.utils.translation import gettext as _

from ..base import ActionOutcome, ActionTarget, PlatformItem
from ..meta import (
    PAGE_SIZE,
    GraphConnector,
    as_id,
    data_of,
    decode_cursor,
    encode_cursor,
    next_after,
)
from . import mapping

MEDIA_FIELDS = "id,caption,media_type,permalink,timestamp,username,comments_count"
REPLY_FIELDS = "id,text,username,from,timestamp,hidden,parent_id"
COMMENT_FIELDS = f"{REPLY_FIELDS},replies{{{REPLY_FIELDS}}}"
# Pages of one comment's replies read, the expanded first one included (25 a page); a
# comment with more has the rest left unread.
MAX_REPLY_PAGES = 40


class InstagramConnector(GraphConnector):
    platform = "instagram"
    label = "Instagram"
    KINDS = ("posts", "comments", "messages")
    SECRET_FIELDS = (("access_token", "Åtkomsttoken (sidans token för det länkade kontot)"),)
    ACCOUNT_ID_LABEL = "Instagramkontots id"
    REQUIRED_PERMISSIONS = {
        "instagram_basic": "Läsa kontots inlägg (instagram_basic)",
        "instagram_manage_comments": (
            "Läsa, dölja, ta bort och besvara kommentarer (instagram_manage_comments)"
        ),
        "instagram_manage_messages": (
            "Läsa och besvara direktmeddelanden (instagram_manage_messages)"
        ),
        "pages_read_engagement": "Läsa den länkade sidan (pages_read_engagement)",
    }
    MESSAGING_PLATFORM = "instagram"
    MESSAGING_NODE = "me"

    POSTS_EDGE = "media"
    POST_FIELDS = MEDIA_FIELDS
    THREAD_FIELDS = "id,timestamp,comments_count"
    post_from = staticmethod(mapping.media_from)
    message_from = staticmethod(mapping.message_from)
    # The account's profile name, @username and biography.
    PROFILE_FIELDS = "name,username,biography"
    profile_from = staticmethod(mapping.profile_from)

    @staticmethod
    def thread_signature(entry: dict) -> object:
        # Instagram comments cannot be edited: a new, hidden-by-author or deleted comment
        # changes the count.
        return entry.get("comments_count")

    def comments_of(self, media_id: str, after: str) -> tuple[list[PlatformItem], str]:
        """One call of a media's thread: the next page of replies still to follow (a comment
        whose expanded `replies{…}` has more), else the next page of comments. `after` is
        the walk's own state ("" at the start; "" returned at the end of the thread): the
        comments' cursor and the comments whose replies are followed, each with its cursor
        on `/{comment-id}/replies` and the pages read."""
        state = decode_cursor(after)
        comments_after = state.get("after") if isinstance(state.get("after"), str) else ""
        pending = [
            entry
            for entry in state.get("replies", [])
            if isinstance(entry, list)
            and len(entry) == 3
            and all(isinstance(part, str) for part in entry[:2])
            and isinstance(entry[2], int)
        ]
        if pending:
            comment_id, replies_after, pages = pending[0]
            params = {"fields": REPLY_FIELDS, "limit": PAGE_SIZE, "after": replies_after}
            payload = self.call("GET", f"{comment_id}/replies", params=params)
            items = mapping.replies_from(data_of(payload), comment_id, media_id, self.account_id)
            following = next_after(payload)
            if following and pages + 1 < MAX_REPLY_PAGES:
                pending[0] = [comment_id, following, pages + 1]
            else:
                pending = pending[1:]
        else:
            params = {"fields": COMMENT_FIELDS, "limit": PAGE_SIZE}
            if comments_after:
                params["after"] = comments_after
            payload = self.call("GET", f"{media_id}/comments", params=params)
            entries = data_of(payload)
            items = mapping.comments_from(entries, media_id, self.account_id)
            comments_after = next_after(payload)
            for entry in entries:
                replies = entry.get("replies")
                more = next_after(replies) if isinstance(replies, dict) else ""
                if more and as_id(entry.get("id")) and MAX_REPLY_PAGES > 1:
                    pending.append([as_id(entry.get("id")), more, 1])
        if not pending and not comments_after:
            return items, ""
        return items, encode_cursor({"after": comments_after, "replies": pending})

    # --- Actions ------------------------------------------------------------------------

    HIDE_PARAM = "hide"

    def refused(self, target: ActionTarget, action: str) -> ActionOutcome | None:
        verb = {"hide": _("dölja"), "unhide": _("visa"), "delete": _("ta bort")}[action]
        if target.kind == "message":
            return self.not_possible(
                _(
                    "Instagram låter inte kontot %(verb)s ett direktmeddelande; det finns kvar "
                    "hos avsändaren. Inget gjordes på Instagram."
                )
                % {"verb": verb}
            )
        if target.kind == "post" and not target.parent:
            return self.not_possible(
                _(
                    "Instagram låter inte verktyget %(verb)s kontots egna inlägg; gör det i "
                    "Instagram-appen. Inget gjordes på Instagram."
                )
                % {"verb": verb}
            )
        return None

    def reply_edge(self, target: ActionTarget) -> str:
        # A media takes a comment; a comment takes a reply (Instagram threads one level).
        return "comments" if target.kind == "post" and not target.parent else "replies"

    FIND_TEXT_FIELD = "text"

    def find_reply_listing(self, target: ActionTarget) -> tuple[str, dict]:
        # Instagram lists answers oldest first, as it shows them.
        return (
            f"{target.external_id}/{self.reply_edge(target)}",
            {"fields": "id,text,from,timestamp"},
        )
