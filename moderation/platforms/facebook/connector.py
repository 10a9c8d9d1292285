"""Facebook Pages through the Graph API (v21.0): the page's posts, the comments and replies
on them, Messenger conversations; hide, unhide, delete and reply on comments, reply to
direct messages. What the platform does not allow: doc.md."""

import contextlib

from django.utils import timezone
from django.utils.translation import gettext as _

from ..base import (
    ActionOutcome,
    ActionResult,
    ActionTarget,
    Page,
    PlatformError,
    PlatformItem,
    Profile,
)
from ..meta import GraphConnector, ObjectGone, as_id, data_of, next_after, parse_time
from . import mapping

POST_FIELDS = "id,message,story,from,created_time,updated_time,permalink_url"
COMMENT_FIELDS = "id,message,from,created_time,parent{id},is_hidden,permalink_url"
PROFILE_FIELDS = "name,about,description,link"


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

    def fetch(self, kind: str, cursor: str) -> Page:
        if kind == "posts":
            return self.fetch_listing(
                f"{self.account_id}/posts", cursor, POST_FIELDS, mapping.post_from
            )
        if kind == "comments":
            return self.fetch_threads(
                cursor,
                parents_path=f"{self.account_id}/posts",
                parents_fields="id,updated_time",
                signature=lambda entry: str(entry.get("updated_time") or ""),
                children=self._comments_of,
            )
        if kind == "messages":
            return self.fetch_conversations(cursor, mapping.message_from)
        raise PlatformError(
            _("Facebook har ingen sådan sorts innehåll: %(kind)s.") % {"kind": kind}
        )

    def profile(self) -> Profile:
        """The page's name, its short "about" (else its longer description) and its link."""
        payload = self.call("GET", self.account_id, params={"fields": PROFILE_FIELDS})
        return mapping.profile_from(payload)

    def _comments_of(self, post_id: str, after: str) -> tuple[list[PlatformItem], str]:
        params = {
            "fields": COMMENT_FIELDS,
            "filter": "stream",
            "order": "chronological",
            "limit": 25,
        }
        if after:
            params["after"] = after
        payload = self.call("GET", f"{post_id}/comments", params=params)
        items = [
            mapping.comment_from(entry, post_id, self.account_id) for entry in data_of(payload)
        ]
        return [item for item in items if item is not None], next_after(payload)

    # --- Actions ------------------------------------------------------------------------

    def _set_hidden(self, target: ActionTarget, hidden: bool) -> ActionOutcome:
        if target.kind == "message":
            return self.not_possible(
                _(
                    "Facebook låter inte sidan dölja ett meddelande i Messenger; det syns bara "
                    "för sidan och avsändaren."
                )
            )
        try:
            self.call("POST", target.external_id, data={"is_hidden": "true" if hidden else "false"})
        except ObjectGone:
            if hidden:
                return ActionOutcome(
                    ActionResult.DONE, _("Finns inte längre på Facebook (borttagen där).")
                )
            return self.not_possible(_("Kommentaren finns inte längre på Facebook."))
        if hidden:
            return ActionOutcome(ActionResult.DONE, _("Dold på Facebook"))
        return ActionOutcome(ActionResult.DONE, _("Visas igen på Facebook"))

    def hide(self, target: ActionTarget) -> ActionOutcome:
        return self._set_hidden(target, True)

    def unhide(self, target: ActionTarget) -> ActionOutcome:
        return self._set_hidden(target, False)

    def delete(self, target: ActionTarget) -> ActionOutcome:
        if target.kind == "message":
            return self.not_possible(
                _(
                    "Facebook låter inte sidan ta bort ett meddelande i Messenger; det finns "
                    "kvar hos avsändaren. Inget gjordes på Facebook."
                )
            )
        # Already gone: what was decided holds.
        with contextlib.suppress(ObjectGone):
            self.call("DELETE", target.external_id)
        return ActionOutcome(ActionResult.DONE, _("Borttagen på Facebook"))

    def reply(self, target: ActionTarget, text: str) -> ActionOutcome:
        if target.kind == "message":
            return self.reply_to_message(target, text)
        answer = self.call("POST", f"{target.external_id}/comments", data={"message": text})
        reply_id = as_id(answer.get("id"))
        if not reply_id:
            raise PlatformError(_("Facebook svarade utan id för svaret."))
        created = parse_time(answer.get("created_time")) or timezone.now()
        reply = PlatformItem(
            external_id=reply_id,
            kind="post",
            author="",
            text=text,
            received_at=created,
            url=mapping.comment_url(reply_id),
            parent=target.external_id,
        )
        return ActionOutcome(ActionResult.DONE, _("Besvarad på Facebook"), reply)

    def find_reply(self, target: ActionTarget, text: str) -> PlatformItem | None:
        """The page's own answer with this text among the newest answers to the comment (or
        the newest top-level comments on the post); for a message, in its conversation."""
        if target.kind == "message":
            return self.find_message_reply(target, text)
        entry = self.own_entry(
            f"{target.external_id}/comments",
            {
                "fields": "id,message,from,created_time",
                "filter": "toplevel",
                "order": "reverse_chronological",
            },
            text,
            text_field="message",
            earliest=target.received_at,
        )
        if entry is None:
            return None
        reply_id = as_id(entry.get("id"))
        return PlatformItem(
            external_id=reply_id,
            kind="post",
            author="",
            text=text,
            received_at=parse_time(entry.get("created_time")) or timezone.now(),
            url=mapping.comment_url(reply_id),
            parent=target.external_id,
        )
