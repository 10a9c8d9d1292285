"""Instagram (a professional account linked to a Facebook page) through the Graph API
(v21.0): the account's media, the comments and replies on them, Instagram direct messages;
hide, unhide, delete and reply on comments, reply to direct messages. What the platform
does not allow: doc.md."""

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
from ..meta import (
    PAGE_SIZE,
    GraphConnector,
    ObjectGone,
    as_id,
    data_of,
    next_after,
    parse_time,
)
from . import mapping

MEDIA_FIELDS = "id,caption,media_type,permalink,timestamp,username,comments_count"
COMMENT_FIELDS = (
    "id,text,username,from,timestamp,hidden,parent_id,"
    "replies{id,text,username,from,timestamp,hidden,parent_id}"
)


PROFILE_FIELDS = "name,username,biography"


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

    def fetch(self, kind: str, cursor: str) -> Page:
        if kind == "posts":
            return self.fetch_listing(
                f"{self.account_id}/media", cursor, MEDIA_FIELDS, mapping.media_from
            )
        if kind == "comments":
            return self.fetch_threads(
                cursor,
                parents_path=f"{self.account_id}/media",
                parents_fields="id,timestamp,comments_count",
                # Instagram comments cannot be edited: a new, hidden-by-author or deleted
                # comment changes the count.
                signature=lambda entry: entry.get("comments_count"),
                children=self._comments_of,
            )
        if kind == "messages":
            return self.fetch_conversations(cursor, mapping.message_from)
        raise PlatformError(
            _("Instagram har ingen sådan sorts innehåll: %(kind)s.") % {"kind": kind}
        )

    def profile(self) -> Profile:
        """The account's profile name, @username and biography."""
        payload = self.call("GET", self.account_id, params={"fields": PROFILE_FIELDS})
        return mapping.profile_from(payload)

    def _comments_of(self, media_id: str, after: str) -> tuple[list[PlatformItem], str]:
        params = {"fields": COMMENT_FIELDS, "limit": PAGE_SIZE}
        if after:
            params["after"] = after
        payload = self.call("GET", f"{media_id}/comments", params=params)
        items = mapping.comments_from(data_of(payload), media_id, self.account_id)
        return items, next_after(payload)

    # --- Actions ------------------------------------------------------------------------

    def _refused(self, target: ActionTarget, verb: str) -> ActionOutcome | None:
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

    def _set_hidden(self, target: ActionTarget, hidden: bool) -> ActionOutcome:
        refused = self._refused(target, _("dölja") if hidden else _("visa"))
        if refused is not None:
            return refused
        try:
            self.call("POST", target.external_id, data={"hide": "true" if hidden else "false"})
        except ObjectGone:
            if hidden:
                return ActionOutcome(
                    ActionResult.DONE, _("Finns inte längre på Instagram (borttagen där).")
                )
            return self.not_possible(_("Kommentaren finns inte längre på Instagram."))
        if hidden:
            return ActionOutcome(ActionResult.DONE, _("Dold på Instagram"))
        return ActionOutcome(ActionResult.DONE, _("Visas igen på Instagram"))

    def hide(self, target: ActionTarget) -> ActionOutcome:
        return self._set_hidden(target, True)

    def unhide(self, target: ActionTarget) -> ActionOutcome:
        return self._set_hidden(target, False)

    def delete(self, target: ActionTarget) -> ActionOutcome:
        refused = self._refused(target, _("ta bort"))
        if refused is not None:
            return refused
        # Already gone: what was decided holds.
        with contextlib.suppress(ObjectGone):
            self.call("DELETE", target.external_id)
        return ActionOutcome(ActionResult.DONE, _("Borttagen på Instagram"))

    def reply(self, target: ActionTarget, text: str) -> ActionOutcome:
        if target.kind == "message":
            return self.reply_to_message(target, text)
        # A media takes a comment; a comment takes a reply (Instagram threads one level).
        edge = "comments" if target.kind == "post" and not target.parent else "replies"
        answer = self.call("POST", f"{target.external_id}/{edge}", data={"message": text})
        reply_id = as_id(answer.get("id"))
        if not reply_id:
            raise PlatformError(_("Instagram svarade utan id för svaret."))
        reply = PlatformItem(
            external_id=reply_id,
            kind="post",
            author="",
            text=text,
            received_at=timezone.now(),
            parent=target.external_id,
        )
        return ActionOutcome(ActionResult.DONE, _("Besvarad på Instagram"), reply)

    def find_reply(self, target: ActionTarget, text: str) -> PlatformItem | None:
        """The account's own answer with this text among the first 200 replies to the comment
        (or comments on the media) as Instagram lists them; for a message, in its
        conversation."""
        if target.kind == "message":
            return self.find_message_reply(target, text)
        edge = "comments" if target.kind == "post" and not target.parent else "replies"
        entry = self.own_entry(
            f"{target.external_id}/{edge}",
            {"fields": "id,text,from,timestamp"},
            text,
            text_field="text",
            earliest=target.received_at,
        )
        if entry is None:
            return None
        return PlatformItem(
            external_id=as_id(entry.get("id")),
            kind="post",
            author="",
            text=text,
            received_at=parse_time(entry.get("timestamp")) or timezone.now(),
            parent=target.external_id,
        )
