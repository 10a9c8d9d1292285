"""What the Facebook and Instagram connectors share: both speak Meta's Graph API. One call
(`GraphConnector.call`) with the token in the Authorization header (never in a URL), the
usage headers read on every answer, Graph's error JSON translated, cursor paging, the
pull's three kinds (`fetch`: the account's posts, the walk over posts whose threads changed
with its sweep of the older ones, the conversations of Messenger or Instagram Direct and the
mapping of their messages), the permission test (`debug_token`), the batch read behind
`gone`, and the actions on comments (hide, unhide, delete, reply; `refused` says what a
platform does not allow). Each platform's connector names its edges, fields and mapping.

Paging follows `paging.cursors.after` only while `paging.next` is present, and never the
`next` URL itself: it carries the token and could name another host.
"""

import contextlib
import datetime
import json
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models.items import TEXT_MAX_BYTES
from .base import (
    AccessExpired,
    ActionOutcome,
    ActionResult,
    ActionTarget,
    Connector,
    Page,
    PlatformError,
    PlatformItem,
    Profile,
    RateLimited,
    decode_cursor,
    not_before,
    same_text,
)
from .http import send_or_fail

# Graph's error codes: 190 an expired or revoked token; the rest a limit reached.
ACCESS_EXPIRED_CODES = frozenset({190, 102})
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80001, 80007)})
# "Object does not exist" / "Unsupported get request": the object is gone (or never was).
GONE_CODES = frozenset({100, 803})
GONE_SUBCODES = frozenset({33})
# Back off at this share of Meta's usage (percent), before the platform refuses.
USAGE_CEILING = 90
DEFAULT_BACK_OFF = datetime.timedelta(hours=1)
PAGE_SIZE = 25
# Threads on posts of the last POST_WINDOW are looked at every round (at most MAX_TRACKED
# posts); the older posts in a rolling sweep, SWEEP_SIZE a round, each looked at again
# after ceil(older posts / SWEEP_SIZE) rounds. The cursor remembers the signatures of at
# most MAX_SWEEP_TRACKED older posts, those seen longest ago dropped first (a post
# forgotten is read whole when the sweep next reaches it).
POST_WINDOW = datetime.timedelta(days=90)
MAX_TRACKED = 500
SWEEP_SIZE = 25
MAX_SWEEP_TRACKED = 2000
BATCH_SIZE = 50
# Looking for a reply an earlier attempt may have posted: pages of this size, at most this many.
FIND_PAGE_SIZE = 100
FIND_PAGES = 2


def parse_time(value) -> datetime.datetime | None:
    """Graph's "2026-03-27T15:30:00+0000", an ISO 8601 time, or epoch seconds (webhooks); None
    when it is none of them."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.datetime.fromtimestamp(value, tz=datetime.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value:
        return None
    try:
        # Python 3.11 reads Graph's "+0000" and "Z" as they are.
        parsed = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def cut_text(text, max_bytes: int) -> str:
    """The first `max_bytes` of the text in UTF-8, cut on a character boundary."""
    if not isinstance(text, str):
        return ""
    encoded = text.encode("utf-8", "replace")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", "ignore")


def as_id(value) -> str:
    """An id as Graph sends it: a string, or a number in some payloads."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | str):
        return str(value).strip()
    return ""


def is_by_account(entry: dict, account_id: str) -> bool:
    """Whether the entry's sender (`from.id`) is the account itself."""
    sender = entry.get("from")
    return bool(account_id) and isinstance(sender, dict) and as_id(sender.get("id")) == account_id


def message_from(
    entry: dict, account_id: str, *, author: Callable[[dict], str]
) -> PlatformItem | None:
    """A direct message (`/{conversation-id}/messages`, Messenger or Instagram Direct), its
    sender named by `author`; None without an id or time. The account's own messages are
    left out: they are its answers, stored when it sends them from the tool."""
    message_id = as_id(entry.get("id"))
    created = parse_time(entry.get("created_time"))
    if not message_id or created is None or is_by_account(entry, account_id):
        return None
    return PlatformItem(
        external_id=message_id,
        kind="message",
        author=author(entry),
        text=cut_text(entry.get("message") or "", TEXT_MAX_BYTES),
        received_at=created,
    )


def _percentages(header: str) -> tuple[int, int | None]:
    """The highest percentage in a usage header (X-App-Usage, X-Business-Use-Case-Usage)
    and the minutes until access returns, if the platform says."""
    try:
        data = json.loads(header)
    except ValueError:
        return 0, None
    highest, minutes = 0, None
    entries = [data]
    if isinstance(data, dict) and not ({"call_count", "total_time"} & data.keys()):
        entries = [e for value in data.values() if isinstance(value, list) for e in value]
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        for name in ("call_count", "total_cputime", "total_time"):
            value = entry.get(name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                highest = max(highest, int(value))
        wait = entry.get("estimated_time_to_regain_access")
        if isinstance(wait, int | float) and not isinstance(wait, bool) and wait > 0:
            minutes = max(minutes or 0, int(wait))
    return highest, minutes


def read_usage(headers) -> dict:
    """Meta's usage headers as the connection page shows them: the highest share used and,
    at the ceiling, when calls may resume."""
    usage, minutes = 0, None
    seen = False
    for name in ("x-app-usage", "x-business-use-case-usage"):
        if name in headers:
            seen = True
            share, wait = _percentages(headers[name])
            usage = max(usage, share)
            if wait is not None:
                minutes = max(minutes or 0, wait)
    if not seen:
        return {}
    return {"usage_percent": usage, "regain_minutes": minutes}


def _retry_at(minutes: int | None) -> datetime.datetime:
    if minutes:
        return timezone.now() + datetime.timedelta(minutes=minutes)
    return timezone.now() + DEFAULT_BACK_OFF


def encode_cursor(data: dict) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


def next_after(payload: dict) -> str:
    """The cursor of the next page, or "" at the end of the listing."""
    paging = payload.get("paging")
    if not isinstance(paging, dict) or not paging.get("next"):
        return ""
    cursors = paging.get("cursors")
    after = cursors.get("after") if isinstance(cursors, dict) else None
    return after if isinstance(after, str) else ""


def data_of(payload: dict) -> list[dict]:
    data = payload.get("data")
    if not isinstance(data, list):
        raise PlatformError(_("Plattformens svar saknade en lista."))
    return [entry for entry in data if isinstance(entry, dict)]


class GraphConnector(Connector):
    """The part of a Graph connector that is the same for Facebook and Instagram."""

    label = "Meta"
    SECRET_FIELDS = (("access_token", "Åtkomsttoken"),)
    # {permission name: Swedish label}, checked by `test`.
    REQUIRED_PERMISSIONS: dict[str, str] = {}
    # Messenger's platform parameter: "messenger" or "instagram".
    MESSAGING_PLATFORM = "messenger"
    # The node whose conversations are read ("me" is the page for a page token).
    MESSAGING_NODE = "me"

    def __init__(self, *, account_id: str, credentials: dict, http):
        super().__init__(account_id=account_id, credentials=credentials, http=http)
        self.blocked_until: datetime.datetime | None = None

    # --- The one call -------------------------------------------------------------------

    @property
    def token(self) -> str:
        token = self.credentials.get("access_token") if isinstance(self.credentials, dict) else ""
        if not isinstance(token, str) or not token:
            raise AccessExpired(_("Anslutningen saknar åtkomsttoken."))
        return token

    def call(self, method: str, path: str, *, params=None, data=None) -> dict:
        """One call to the Graph API; the answer's JSON object, or a translated error."""
        now = timezone.now()
        if self.blocked_until is None:
            # The limits the services kept from an earlier connector (PlatformConnection.limits).
            self.blocked_until = parse_time(self.limits.get("retry_at"))
        if self.blocked_until is not None and self.blocked_until > now:
            raise RateLimited(
                _("%(label)s: gränsen för anrop är nästan nådd; nästa försök efter %(at)s.")
                % {"label": self.label, "at": f"{timezone.localtime(self.blocked_until):%H:%M}"},
                retry_at=self.blocked_until,
            )
        response, payload, usage = self._send(method, path, params=params, data=data)
        if response.status_code >= 400 or (isinstance(payload, dict) and "error" in payload):
            self._note_usage(usage)
            self._raise_error(response.status_code, payload, usage)
        if not isinstance(payload, dict):
            self._note_usage(usage)
            raise PlatformError(
                _(
                    "%(label)s svarade med något annat än väntat "
                    "(svaret var avbrutet eller inte JSON)."
                )
                % {"label": self.label}
            )
        self._note_usage(usage)
        return payload

    def _send(self, method: str, path: str, *, params=None, data=None):
        """The request with the token in its header: the response, its JSON (None when it
        is not JSON) and Meta's usage headers read."""
        response = send_or_fail(
            self.http,
            method,
            path.lstrip("/"),
            params=params,
            data=data,
            headers={"Authorization": f"Bearer {self.token}"},
        )
        try:
            payload = response.json()
        except ValueError:
            payload = None
        return response, payload, read_usage(response.headers)

    def _note_usage(self, usage: dict) -> None:
        if not usage:
            return
        share = usage["usage_percent"]
        summary = _("%(share)s %% av Metas anropsgräns använd") % {"share": share}
        self.limits = {"usage_percent": share, "summary": summary}
        if share >= USAGE_CEILING:
            self.blocked_until = _retry_at(usage["regain_minutes"])
            self.limits["retry_at"] = self.blocked_until.isoformat()
            self.limits["summary"] = _("%(summary)s; väntar till %(at)s") % {
                "summary": summary,
                "at": f"{timezone.localtime(self.blocked_until):%Y-%m-%d %H:%M}",
            }

    def _raise_error(self, status: int, payload, usage: dict):
        error = payload.get("error") if isinstance(payload, dict) else None
        error = error if isinstance(error, dict) else {}
        code = error.get("code")
        if code in ACCESS_EXPIRED_CODES or (not error and status == 401):
            raise AccessExpired(
                _(
                    "%(label)s godtar inte längre åtkomsttoken (den har gått ut eller dragits "
                    "tillbaka). Ange en ny token på kanalens anslutningssida."
                )
                % {"label": self.label}
            )
        if code in RATE_LIMIT_CODES or status == 429:
            retry_at = _retry_at(usage.get("regain_minutes") if usage else None)
            self.blocked_until = retry_at
            self.limits = {
                **self.limits,
                "retry_at": retry_at.isoformat(),
                "summary": _("Metas anropsgräns är nådd; väntar till %(at)s")
                % {"at": f"{timezone.localtime(retry_at):%Y-%m-%d %H:%M}"},
            }
            raise RateLimited(
                _("%(label)s: gränsen för anrop är nådd; nästa försök efter %(at)s.")
                % {"label": self.label, "at": f"{timezone.localtime(retry_at):%H:%M}"},
                retry_at=retry_at,
            )
        if code in GONE_CODES and (error.get("error_subcode") in GONE_SUBCODES or code == 803):
            raise ObjectGone(_("Objektet finns inte på %(label)s.") % {"label": self.label})
        if code in (10, 200) or (isinstance(code, int) and 200 <= code <= 299):
            raise PlatformError(
                _("%(label)s nekade anropet: behörighet saknas (felkod %(code)s).")
                % {"label": self.label, "code": code}
            )
        # Graph's own message may quote the request; only the code is shown.
        raise PlatformError(
            _("%(label)s svarade med ett fel (HTTP %(status)s, felkod %(code)s).")
            % {"label": self.label, "status": status, "code": code if code is not None else "–"}
        )

    # --- Test ---------------------------------------------------------------------------

    def test(self) -> list[str]:
        """`debug_token` on the connection's own token: is it valid, which scopes it has."""
        payload = self.call("GET", "debug_token", params={"input_token": self.token})
        data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
        if not data.get("is_valid", False):
            raise AccessExpired(
                _(
                    "%(label)s godtar inte åtkomsttoken. "
                    "Ange en ny token på kanalens anslutningssida."
                )
                % {"label": self.label}
            )
        scopes = data.get("scopes") if isinstance(data.get("scopes"), list) else []
        return [label for name, label in self.REQUIRED_PERMISSIONS.items() if name not in scopes]

    # --- Pulls --------------------------------------------------------------------------

    # The account's own posts: the edge ("posts", "media"), the fields the pull reads, and
    # the fields that tell whether a post's thread changed (`thread_signature`).
    POSTS_EDGE = "posts"
    POST_FIELDS = "id"
    THREAD_FIELDS = "id"

    def fetch(self, kind: str, cursor: str) -> Page:
        posts = f"{self.account_id}/{self.POSTS_EDGE}"
        if kind == "posts":
            return self.fetch_listing(posts, cursor, self.POST_FIELDS, self.post_from)
        if kind == "comments":
            return self.fetch_threads(
                cursor,
                parents_path=posts,
                parents_fields=self.THREAD_FIELDS,
                signature=self.thread_signature,
                children=self.comments_of,
            )
        if kind == "messages":
            return self.fetch_conversations(cursor, self.message_from)
        raise PlatformError(
            _("%(label)s har ingen sådan sorts innehåll: %(kind)s.")
            % {"label": self.label, "kind": kind}
        )

    # The platform's mapping (facebook/mapping.py, instagram/mapping.py) and reads.

    @staticmethod
    def post_from(entry: dict) -> PlatformItem | None:
        raise NotImplementedError

    @staticmethod
    def message_from(entry: dict, account_id: str) -> PlatformItem | None:
        raise NotImplementedError

    @staticmethod
    def thread_signature(entry: dict) -> object:
        raise NotImplementedError

    def comments_of(self, post_id: str, after: str) -> tuple[list[PlatformItem], str]:
        """One page of a post's thread after `after`, and the `after` of the next ("" at
        the end)."""
        raise NotImplementedError

    def fetch_listing(self, path: str, cursor: str, fields: str, mapper, **extra) -> Page:
        """A listing read newest first (posts, media), incremental by creation time: each round
        reads what arrived after the newest item of the last round."""
        state = decode_cursor(cursor)
        since = state.get("since") if isinstance(state.get("since"), int) else 0
        high = state.get("high") if isinstance(state.get("high"), int) else since
        params = {"fields": fields, "limit": PAGE_SIZE, **extra}
        if since:
            params["since"] = since
        if state.get("after"):
            params["after"] = str(state["after"])
        payload = self.call("GET", path, params=params)
        items = []
        for entry in data_of(payload):
            item = mapper(entry)
            if item is None:
                continue
            if int(item.received_at.timestamp()) <= since:
                continue
            items.append(item)
            high = max(high, int(item.received_at.timestamp()))
        after = next_after(payload)
        if after:
            return Page(items, encode_cursor({"since": since, "high": high, "after": after}), True)
        return Page(items, encode_cursor({"since": high, "high": high}), False)

    def fetch_threads(
        self,
        cursor: str,
        *,
        parents_path: str,
        parents_fields: str,
        signature: Callable[[dict], object],
        children: Callable[[str, str], tuple[list[PlatformItem], str]],
    ) -> Page:
        """Comments, thread by thread. A round: first the posts of the window (one page a
        call), noting each post whose `signature` (its updated time, its comment count)
        changed since the last round; then one slice of the older posts (`sweep_older`);
        then the comments of each noted post, one page a call. A post's thread is read whole,
        so an edited comment comes again with its new text."""
        state = decode_cursor(cursor)
        seen = _mapping(state.get("seen"))
        fresh = _mapping(state.get("fresh"))
        sweep = _mapping(state.get("sweep"))
        queue = [p for p in state.get("queue", []) if isinstance(p, str)]
        after = state.get("after") if isinstance(state.get("after"), str) else ""
        phase = state.get("phase")
        phase = phase if phase in ("parents", "older", "children") else "parents"
        if phase == "parents":
            params = {"fields": parents_fields, "limit": PAGE_SIZE}
            params["since"] = int((timezone.now() - POST_WINDOW).timestamp())
            if after:
                params["after"] = after
            payload = self.call("GET", parents_path, params=params)
            for entry in data_of(payload):
                post_id = as_id(entry.get("id"))
                if not post_id or len(fresh) >= MAX_TRACKED:
                    continue
                mark = signature(entry)
                fresh[post_id] = mark
                if seen.get(post_id) != mark and post_id not in queue:
                    queue.append(post_id)
            after = next_after(payload)
            phase = "parents" if after else "older"
        elif phase == "older":
            sweep = self.sweep_older(
                sweep, seen, fresh, queue, path=parents_path, fields=parents_fields, mark=signature
            )
            phase = "children"
        elif queue:
            items, after = children(queue[0], after)
            if not after:
                queue = queue[1:]
            if not queue:
                return Page(items, encode_cursor(_round_end(seen, fresh, sweep)), False)
            state = {"seen": seen, "fresh": fresh, "sweep": sweep, "queue": queue}
            return Page(items, encode_cursor(state | {"after": after, "phase": phase}), True)
        else:
            return Page([], encode_cursor(_round_end(seen, fresh, sweep)), False)
        state = {"seen": seen, "fresh": fresh, "sweep": sweep, "queue": queue, "after": after}
        return Page([], encode_cursor(state | {"phase": phase}), True)

    def sweep_older(self, sweep: dict, seen, fresh, queue: list, *, path, fields, mark) -> dict:
        """One slice (SWEEP_SIZE) of the posts older than the window, newest first, from where
        the last slice stopped, starting over after the oldest: each one whose signature
        differs from the one remembered (or is not remembered) joins `queue`. Returns the
        sweep's new state: where the next slice starts and the signatures remembered."""
        known = _mapping(sweep.get("seen"))
        params = {"fields": fields, "limit": SWEEP_SIZE}
        params["until"] = int((timezone.now() - POST_WINDOW).timestamp())
        if isinstance(sweep.get("after"), str) and sweep["after"]:
            params["after"] = sweep["after"]
        payload = self.call("GET", path, params=params)
        for entry in data_of(payload):
            post_id = as_id(entry.get("id"))
            if not post_id or post_id in fresh:
                continue
            signed = mark(entry)
            # A post just out of the window is remembered from the window's rounds.
            before = known.pop(post_id, seen.get(post_id, _UNSEEN))
            if before != signed and post_id not in queue:
                queue.append(post_id)
            known[post_id] = signed
        return {"after": next_after(payload), "seen": _newest(known, MAX_SWEEP_TRACKED)}

    def fetch_conversations(self, cursor: str, mapper) -> Page:
        """Direct messages: the conversations updated since the last round (Graph lists them
        most recently updated first), then each one's messages newer than the last round."""
        state = decode_cursor(cursor)
        since = state.get("since") if isinstance(state.get("since"), int) else 0
        high = state.get("high") if isinstance(state.get("high"), int) else since
        queue = [c for c in state.get("queue", []) if isinstance(c, str)]
        after = state.get("after") if isinstance(state.get("after"), str) else ""
        phase = state.get("phase") if state.get("phase") in ("list", "read") else "list"
        path = f"{self.MESSAGING_NODE}/conversations"
        if phase == "list":
            params = {"platform": self.MESSAGING_PLATFORM, "fields": "id,updated_time"}
            params["limit"] = PAGE_SIZE
            if after:
                params["after"] = after
            payload = self.call("GET", path, params=params)
            ended = False
            for entry in data_of(payload):
                updated = parse_time(entry.get("updated_time"))
                conversation = as_id(entry.get("id"))
                if updated is None or not conversation:
                    continue
                if int(updated.timestamp()) <= since:
                    ended = True
                    break
                high = max(high, int(updated.timestamp()))
                queue.append(conversation)
            after = "" if ended else next_after(payload)
            phase = "list" if after else "read"
            state = {"since": since, "high": high, "queue": queue, "after": after, "phase": phase}
            return Page([], encode_cursor(state), True)
        if not queue:
            return Page([], encode_cursor({"since": high, "high": high}), False)
        params = {"fields": "id,message,from,created_time", "limit": PAGE_SIZE}
        if after:
            params["after"] = after
        payload = self.call("GET", f"{queue[0]}/messages", params=params)
        items = []
        older = False
        for entry in data_of(payload):
            item = mapper(entry, self.account_id)
            created = parse_time(entry.get("created_time"))
            if created is not None and int(created.timestamp()) <= since:
                older = True  # newest first: the rest was read in an earlier round
                break
            if item is not None:
                items.append(item)
        after = "" if older else next_after(payload)
        if not after:
            queue = queue[1:]
        if queue or after:
            state = {"since": since, "high": high, "queue": queue, "after": after, "phase": "read"}
            return Page(items, encode_cursor(state), True)
        return Page(items, encode_cursor({"since": high, "high": high}), False)

    def gone(self, external_ids: list[str]) -> set[str]:
        """One batch request (at most 50 reads): the ids whose read says "does not exist"."""
        ids = [i for i in dict.fromkeys(external_ids) if isinstance(i, str) and i][:BATCH_SIZE]
        if not ids:
            return set()
        batch = [{"method": "GET", "relative_url": f"{i}?fields=id"} for i in ids]
        response, payload, usage = self._send(
            "POST", "", data={"batch": json.dumps(batch), "include_headers": "false"}
        )
        if response.status_code >= 400 or isinstance(payload, dict):
            self._note_usage(usage)
            self._raise_error(response.status_code, payload, usage)
        self._note_usage(usage)
        if not isinstance(payload, list) or len(payload) != len(ids):
            raise PlatformError(_("%(label)s svarade inte på varje fråga.") % {"label": self.label})
        missing = set()
        for object_id, answer in zip(ids, payload, strict=True):
            if not isinstance(answer, dict) or answer.get("code") == 200:
                continue
            try:
                body = json.loads(answer.get("body") or "")
            except (TypeError, ValueError):
                continue
            error = body.get("error") if isinstance(body, dict) else None
            if isinstance(error, dict) and error.get("code") in GONE_CODES:
                missing.add(object_id)
        return missing

    # --- The profile ----------------------------------------------------------------------

    # The fields `GET /{account-id}` is asked for, and the connector's mapping of the answer.
    PROFILE_FIELDS: str = ""

    @staticmethod
    def profile_from(entry: dict) -> Profile:
        raise NotImplementedError

    def profile(self) -> Profile:
        """The account's name, description and address as the platform shows them: one call."""
        payload = self.call("GET", self.account_id, params={"fields": self.PROFILE_FIELDS})
        return self.profile_from(payload)

    # --- Actions ------------------------------------------------------------------------

    # The parameter `POST /{comment-id}` hides or shows a comment with.
    HIDE_PARAM = "is_hidden"

    def refused(self, target: ActionTarget, action: str) -> ActionOutcome | None:
        """NOT_POSSIBLE with the platform's reason when it does not let the account `action`
        ("hide", "unhide", "delete") the target, nothing called; None when it does."""
        return None

    def _set_hidden(self, target: ActionTarget, hidden: bool) -> ActionOutcome:
        refused = self.refused(target, "hide" if hidden else "unhide")
        if refused is not None:
            return refused
        label = {"label": self.label}
        try:
            self.call(
                "POST", target.external_id, data={self.HIDE_PARAM: "true" if hidden else "false"}
            )
        except ObjectGone:
            if hidden:
                return ActionOutcome(
                    ActionResult.DONE, _("Finns inte längre på %(label)s (borttagen där).") % label
                )
            return self.not_possible(_("Kommentaren finns inte längre på %(label)s.") % label)
        if hidden:
            return ActionOutcome(ActionResult.DONE, _("Dold på %(label)s") % label)
        return ActionOutcome(ActionResult.DONE, _("Visas igen på %(label)s") % label)

    def hide(self, target: ActionTarget) -> ActionOutcome:
        return self._set_hidden(target, True)

    def unhide(self, target: ActionTarget) -> ActionOutcome:
        return self._set_hidden(target, False)

    def delete(self, target: ActionTarget) -> ActionOutcome:
        refused = self.refused(target, "delete")
        if refused is not None:
            return refused
        # Already gone: what was decided holds.
        with contextlib.suppress(ObjectGone):
            self.call("DELETE", target.external_id)
        return ActionOutcome(ActionResult.DONE, _("Borttagen på %(label)s") % {"label": self.label})

    def reply_edge(self, target: ActionTarget) -> str:
        """The edge an answer to the target is posted on."""
        return "comments"

    @staticmethod
    def comment_url(comment_id: str) -> str:
        return ""

    def reply(self, target: ActionTarget, text: str) -> ActionOutcome:
        """The answer posted as the account under the target (a direct message through
        `reply_to_message`): the reply as the account's own post, with its platform id."""
        if target.kind == "message":
            return self.reply_to_message(target, text)
        answer = self.call(
            "POST", f"{target.external_id}/{self.reply_edge(target)}", data={"message": text}
        )
        reply_id = as_id(answer.get("id"))
        if not reply_id:
            raise PlatformError(_("%(label)s svarade utan id för svaret.") % {"label": self.label})
        created = parse_time(answer.get("created_time")) or timezone.now()
        reply = _own_reply(reply_id, text, target, created, url=self.comment_url(reply_id))
        return ActionOutcome(
            ActionResult.DONE, _("Besvarad på %(label)s") % {"label": self.label}, reply
        )

    # The field an answer's text is in, in the listing `find_reply_listing` names.
    FIND_TEXT_FIELD = "message"

    def find_reply_listing(self, target: ActionTarget) -> tuple[str, dict]:
        """Where the account's answers to the target are listed, and the parameters."""
        return (
            f"{target.external_id}/{self.reply_edge(target)}",
            {"fields": "id,message,from,created_time"},
        )

    def find_reply(self, target: ActionTarget, text: str) -> PlatformItem | None:
        """The account's own answer with this text among the newest answers to the target
        (FIND_PAGES pages of FIND_PAGE_SIZE at most); for a message, in its conversation."""
        if target.kind == "message":
            return self.find_message_reply(target, text)
        path, params = self.find_reply_listing(target)
        entry = self.own_entry(
            path, params, text, text_field=self.FIND_TEXT_FIELD, earliest=target.received_at
        )
        if entry is None:
            return None
        reply_id = as_id(entry.get("id"))
        created = parse_time(entry.get("created_time") or entry.get("timestamp"))
        return _own_reply(
            reply_id, text, target, created or timezone.now(), url=self.comment_url(reply_id)
        )

    def own_entry(
        self, path: str, params: dict, text: str, *, text_field: str, earliest=None
    ) -> dict | None:
        """In the listing at `path` (at most FIND_PAGES pages), the first entry from the
        account itself with this text, created no earlier than `earliest`."""
        params = {**params, "limit": FIND_PAGE_SIZE}
        for _page in range(FIND_PAGES):
            payload = self.call("GET", path, params=params)
            for entry in data_of(payload):
                sender = entry.get("from") if isinstance(entry.get("from"), dict) else {}
                created = parse_time(entry.get("created_time") or entry.get("timestamp"))
                posted = entry.get(text_field)
                if (
                    as_id(sender.get("id")) == self.account_id
                    and isinstance(posted, str)
                    and same_text(posted, text)
                    and not_before(created, earliest)
                ):
                    return entry
            after = next_after(payload)
            if not after:
                return None
            params = {**params, "after": after}
        return None

    def find_message_reply(self, target: ActionTarget, text: str) -> PlatformItem | None:
        """The account's answer with this text in the conversation with the message's sender,
        sent after the message (the conversation is read newest first, two pages at most)."""
        message = self.call("GET", target.external_id, params={"fields": "from,created_time"})
        sender = message.get("from") if isinstance(message.get("from"), dict) else {}
        recipient = as_id(sender.get("id"))
        if not recipient:
            return None
        earliest = parse_time(message.get("created_time")) or target.received_at
        conversations = self.call(
            "GET",
            f"{self.MESSAGING_NODE}/conversations",
            params={"platform": self.MESSAGING_PLATFORM, "user_id": recipient, "fields": "id"},
        )
        for conversation in data_of(conversations)[:1]:
            entry = self.own_entry(
                f"{as_id(conversation.get('id'))}/messages",
                {"fields": "id,message,from,created_time"},
                text,
                text_field="message",
                earliest=earliest,
            )
            if entry is not None:
                created = parse_time(entry.get("created_time")) or timezone.now()
                return _own_reply(as_id(entry.get("id")), text, target, created)
        return None

    def reply_to_message(self, target: ActionTarget, text: str) -> ActionOutcome:
        """A direct message is answered through the Send API to its sender, within Meta's
        24-hour window (outside it the platform refuses: error code 10)."""
        message = self.call("GET", target.external_id, params={"fields": "from"})
        sender = message.get("from") if isinstance(message.get("from"), dict) else {}
        recipient = as_id(sender.get("id"))
        if not recipient:
            return self.not_possible(
                _("Meddelandets avsändare går inte att läsa; svara i %(label)s.")
                % {"label": self.label}
            )
        answer = self.call(
            "POST",
            f"{self.MESSAGING_NODE}/messages",
            data={
                "recipient": json.dumps({"id": recipient}),
                "message": json.dumps({"text": text}, ensure_ascii=False),
                "messaging_type": "RESPONSE",
            },
        )
        reply = _own_reply(as_id(answer.get("message_id")), text, target, timezone.now())
        return ActionOutcome(
            ActionResult.DONE, _("Svar skickat på %(label)s") % {"label": self.label}, reply
        )


_UNSEEN = object()


def _own_reply(
    reply_id: str, text: str, target: ActionTarget, at: datetime.datetime, *, url: str = ""
) -> PlatformItem:
    """The account's answer to the target as its own post."""
    return PlatformItem(
        external_id=reply_id,
        kind="post",
        author="",
        text=text,
        received_at=at,
        url=url,
        parent=target.external_id,
    )


def _mapping(value) -> dict:
    return dict(value) if isinstance(value, dict) else {}


def _newest(marks: dict, limit: int) -> dict:
    """The last `limit` entries (the ones seen most lately: a post is re-inserted when seen)."""
    if len(marks) <= limit:
        return marks
    return dict(list(marks.items())[-limit:])


def _round_end(seen: dict, fresh: dict, sweep: dict) -> dict:
    """The cursor a round of comments ends with: the window's signatures for the next round,
    and the sweep's, to which the posts that left the window are handed with theirs."""
    known = _mapping(sweep.get("seen"))
    for post_id, mark in seen.items():
        if post_id not in fresh and post_id not in known:
            known[post_id] = mark
    after = sweep.get("after") if isinstance(sweep.get("after"), str) else ""
    return {"seen": fresh, "sweep": {"after": after, "seen": _newest(known, MAX_SWEEP_TRACKED)}}


class ObjectGone(PlatformError):
    """Graph says the object does not exist (deleted, or never there)."""
