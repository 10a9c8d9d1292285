"""Facebook Pages through the Graph API (v21.0): the page's posts, the comments and replies
on them, Messenger conversations; hide, unhide, delete and reply on comments, reply to
direct messages. What the platform does not allow: doc.md."""

from django.utils.translation import gettext as _

from ..base import ActionOutcome, ActionTarget, PlatformItem
from ..meta import GraphConnector, data_of, next_after
from . import mapping

POST_FIELDS = "id,message,story,from,created_time,updated_time,permalink_url"
COMMENT_FIELDS = "id,message,from,created_time,parent{id},is_hidden,permalink_url"
COMMENTS_PAGE_SIZE = 100


class FacebookConnector(GraphConnector):
    platform = "facebook"
    label = "Facebook"
    KINDS = ("posts", "comments", "messages")
    SECRET_FIELDS = (("access_token", "Sidans åtkomsttoken"),)
    ACCOUNT_ID_LABEL = "Sidans id"
    REQUIRED_PERMISSIONS = {
        "pages_read_engagement": "Läsa sidans inlägg och kommentarer (pages_read_engagement)",
        "pages_read_user_content": (
            "Läsa besökarnas inlägg och kommentarer (pages_read_user_content)"
        ),
        "pages_manage_engagement": (
            "Dölja, ta bort och besvara kommentarer (pages_manage_engagement)"
        ),
        "pages_messaging": "Läsa och besvara meddelanden i Messenger (pages_messaging)",
    }
    MESSAGING_PLATFORM = "messenger"
    MESSAGING_NODE = "me"

    POSTS_EDGE = "posts"
    POST_FIELDS = POST_FIELDS
    THREAD_FIELDS = "id,updated_time"
    post_from = staticmethod(mapping.post_from)
    message_from = staticmethod(mapping.message_from)
    comment_url = staticmethod(mapping.comment_url)
    # The page's name, its short "about" (else its longer description) and its link.
    PROFILE_FIELDS = "name,about,description,link"
    profile_from = staticmethod(mapping.profile_from)

    @staticmethod
    def thread_signature(entry: dict) -> object:
        return str(entry.get("updated_time") or "")

    def comments_of(self, post_id: str, after: str) -> tuple[list[PlatformItem], str]:
        params = {
            "fields": COMMENT_FIELDS,
            "filter": "stream",
            "order": "chronological",
            # Graph's largest page of comments: a busy thread in few calls.
            "limit": COMMENTS_PAGE_SIZE,
        }
        if after:
            params["after"] = after
        payload = self.call("GET", f"{post_id}/comments", params=params)
        items = [
            mapping.comment_from(entry, post_id, self.account_id) for entry in data_of(payload)
        ]
        return [item for item in items if item is not None], next_after(payload)

    # --- Actions ------------------------------------------------------------------------

    def refused(self, target: ActionTarget, action: str) -> ActionOutcome | None:
        if target.kind != "message":
            return None
        if action == "delete":
            return self.not_possible(
                _(
                    "Facebook låter inte sidan ta bort ett meddelande i Messenger; det finns "
                    "kvar hos avsändaren. Inget gjordes på Facebook."
                )
            )
        return self.not_possible(
            _(
                "Facebook låter inte sidan dölja ett meddelande i Messenger; det syns bara "
                "för sidan och avsändaren."
            )
        )

    def find_reply_listing(self, target: ActionTarget) -> tuple[str, dict]:
        # The newest answers to the comment itself (or top-level comments on the post), not
        # the whole thread: the same answer under another comment is another reply.
        return (
            f"{target.external_id}/comments",
            {
                "fields": "id,message,from,created_time",
                "filter": "toplevel",
                "order": "reverse_chronological",
            },
        )
