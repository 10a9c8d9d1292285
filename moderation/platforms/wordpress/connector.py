"""The WordPress connector: the REST API wp/v2 of a blog, under `sites/<account id>/` of the
configured base URL, with a user's application password (HTTP Basic).

Pulls are incremental per kind, with the cursor a JSON object:
- posts: `modified_after` the newest `modified_gmt` committed (ordered by modification), so
  an edited post comes again;
- comments: WordPress keeps no modification time on a comment, so each sweep reads the
  comments written since EDIT_WINDOW before the newest one seen, and hands on only those new
  or changed since the last sweep (the cursor keeps a short digest of each text in the
  window). An author's edit within the window becomes a new version; a comment trashed, marked
  spam or deleted is found by `gone`.
A page is the unit of resumption: the cursor of a page holds the next page of the same sweep.
"""

import base64
import datetime
import email.utils
import hashlib
import json
import re
from urllib.parse import quote

import httpx
from django.utils.translation import gettext as _

from .. import base
from ..http import send_or_fail
from . import mapping

PER_PAGE = 50
EDIT_WINDOW = datetime.timedelta(days=2)
# WordPress's rate limits come from the host (a plugin or the proxy): stop at this many calls
# left, so that the site keeps some for its visitors.
RESERVE_CALLS = 1
DEFAULT_RETRY = datetime.timedelta(minutes=1)
_ACCOUNT = re.compile(r"[A-Za-z0-9._-]{1,100}")
_CODE = re.compile(r"[a-z0-9_]{1,60}")
# The capabilities moderation needs, with what the connection page says when one is missing.
CAPABILITIES = {
    "moderate_comments": "Moderera kommentarer (moderate_comments)",
    "edit_posts": "Redigera inlägg (edit_posts)",
}
# Refused access: a wrong or revoked application password, or a user removed.
ACCESS_CODES = frozenset(
    {
        "incorrect_password",
        "invalid_username",
        "invalid_email",
        "rest_not_logged_in",
        "application_passwords_disabled",
        "application_passwords_disabled_for_user",
    }
)
MISSING_CODES = frozenset({"rest_comment_invalid_id", "rest_post_invalid_id"})


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:12]


class WordPressConnector(base.Connector):
    platform = "blogg"
    label = "WordPress"
    KINDS = ("posts", "comments")
    SECRET_FIELDS = (
        ("username", "Användarnamn"),
        ("application_password", "Applikationslösenord"),
    )
    ACCOUNT_ID_LABEL = "Webbplatsens id eller adress (t.ex. bloggen.atvidaberg.se)"

    def __init__(self, *, account_id: str, credentials: dict, http: httpx.Client):
        super().__init__(account_id=account_id, credentials=credentials, http=http)
        self._blocked_until: datetime.datetime | None = None

    # --- Calls ------------------------------------------------------------------------

    def _prefix(self) -> str:
        if not _ACCOUNT.fullmatch(self.account_id or ""):
            raise base.PlatformError(_("Bloggens id är ogiltigt."))
        return f"sites/{quote(self.account_id, safe='')}/"

    def _auth(self) -> str:
        user = str(self.credentials.get("username") or "")
        password = str(self.credentials.get("application_password") or "")
        if not user or not password:
            raise base.AccessExpired(_("Användarnamn eller applikationslösenord saknas."))
        pair = f"{user}:{password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")

    def _call(
        self,
        method: str,
        path: str,
        *,
        params=None,
        body=None,
        missing_ok=False,
        forbidden_ok=False,
    ):
        """One call; returns (status, parsed JSON, headers). `missing_ok`: a 404 or 410 is an
        answer (the comment is gone), not an error; `forbidden_ok`: so is a refusal for want
        of a capability (`rest_forbidden`), the password itself still accepted."""
        now = _now()
        if self._blocked_until is not None and self._blocked_until > now:
            raise base.RateLimited(
                _("Bloggens gräns för anrop är nådd."), retry_at=self._blocked_until
            )
        kwargs = {"params": params or {}, "headers": {"Authorization": self._auth()}}
        if body is not None:
            kwargs["json"] = body
        response = send_or_fail(self.http, method, self._prefix() + path, **kwargs)
        self._read_limits(response, now)
        try:
            payload = response.json()
        except ValueError:
            payload = None
        status = response.status_code
        code = payload.get("code") if isinstance(payload, dict) else None
        code = code if isinstance(code, str) and _CODE.fullmatch(code) else ""
        if status == 401 or (status == 403 and code in ACCESS_CODES):
            raise base.AccessExpired(
                _("Bloggen godtar inte längre applikationslösenordet (HTTP %(status)s).")
                % {"status": status}
            )
        if status == 429:
            retry_at = self._retry_at(response, now)
            self._blocked_until = retry_at
            raise base.RateLimited(
                _("Bloggen begränsar antalet anrop: nästa försök %(time)s.")
                % {"time": retry_at.strftime("%Y-%m-%d %H:%M UTC")},
                retry_at=retry_at,
            )
        if missing_ok and (status in (404, 410)):
            return status, payload, response.headers
        if forbidden_ok and status in (401, 403) and code == "rest_forbidden":
            return status, payload, response.headers
        if status >= 500:
            raise base.PlatformError(
                _("Bloggen svarade med ett fel (HTTP %(status)s).") % {"status": status}
            )
        if status >= 400:
            raise base.PlatformError(
                _("Bloggen vägrade anropet (HTTP %(status)s %(code)s).")
                % {"status": status, "code": code}
            )
        if payload is None:
            raise base.PlatformError(
                _("Bloggens svar gick inte att läsa: det var avbrutet eller inte JSON.")
            )
        return status, payload, response.headers

    def _retry_at(self, response: httpx.Response, now) -> datetime.datetime:
        value = response.headers.get("retry-after", "")
        if value.isdigit():
            return now + datetime.timedelta(seconds=min(int(value), 86_400))
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            moment = None
        if moment is not None and moment.tzinfo is not None and moment > now:
            return min(moment, now + datetime.timedelta(days=1))
        return now + DEFAULT_RETRY

    def _read_limits(self, response: httpx.Response, now) -> None:
        """The host's rate-limit headers, when it sends them; at RESERVE_CALLS left no call
        is made before the window resets."""
        headers = response.headers
        remaining, limit = headers.get("x-ratelimit-remaining"), headers.get("x-ratelimit-limit")
        if remaining is None or not remaining.strip().isdigit():
            self.limits = {"summary": _("Bloggen anger inga gränser för anrop.")}
            return
        left = int(remaining.strip())
        reset = headers.get("x-ratelimit-reset", "")
        reset_at = (
            datetime.datetime.fromtimestamp(int(reset), datetime.UTC)
            if reset.isdigit() and int(reset) < 10**11
            else now + DEFAULT_RETRY
        )
        self.limits = {
            "remaining": left,
            "limit": int(limit) if limit and limit.isdigit() else None,
            "reset_at": reset_at.isoformat(),
            "summary": _("%(left)s anrop kvar till %(time)s.")
            % {"left": left, "time": reset_at.strftime("%H:%M UTC")},
        }
        if left <= RESERVE_CALLS:
            self._blocked_until = max(reset_at, now + datetime.timedelta(seconds=1))

    # --- The interface ----------------------------------------------------------------

    def test(self) -> list[str]:
        _status, payload, _headers = self._call("GET", "users/me", params={"context": "edit"})
        granted = payload.get("capabilities") if isinstance(payload, dict) else None
        granted = granted if isinstance(granted, dict) else {}
        return [label for name, label in CAPABILITIES.items() if not granted.get(name)]

    def profile(self) -> base.Profile | None:
        """The blog's title, tagline and address from its settings (`GET sites/<id>/settings`),
        one call; None when the user may not read them (WordPress lets only a user who may
        change the site's settings, `manage_options`, read them)."""
        status, payload, _headers = self._call(
            "GET", "settings", params={"_fields": "title,description,url"}, forbidden_ok=True
        )
        if status in (401, 403):
            return None
        profile = mapping.site_profile(payload) if isinstance(payload, dict) else None
        if profile is None:
            raise base.PlatformError(_("Bloggens inställningar gav inget namn på webbplatsen."))
        return profile

    def fetch(self, kind: str, cursor: str) -> base.Page:
        state = base.decode_cursor(cursor)
        if kind == "posts":
            return self._fetch_posts(state)
        if kind == "comments":
            return self._fetch_comments(state)
        raise base.PlatformError(_("Okänt slags innehåll: %(kind)s.") % {"kind": kind[:30]})

    def _page(self, path: str, params: dict) -> tuple[list, int]:
        _status, payload, headers = self._call("GET", path, params=params)
        if not isinstance(payload, list):
            raise base.PlatformError(_("Bloggens svar var inte en lista."))
        pages = headers.get("x-wp-totalpages", "")
        return payload, int(pages) if pages.isdigit() else 1

    def _fetch_posts(self, state: dict) -> base.Page:
        page = int(state.get("page") or 1)
        since = state.get("since") if page > 1 else _earlier(state.get("newest"), seconds=1)
        params = {
            "context": "edit",
            "orderby": "modified",
            "order": "asc",
            "per_page": PER_PAGE,
            "page": page,
        }
        if since:
            params["modified_after"] = since
        payload, pages = self._page("posts", params)
        found = mapping.items(payload, mapping.post_item)
        newest = state.get("newest") or ""
        for raw in payload:
            modified = mapping.parse_time(raw, "modified") if isinstance(raw, dict) else None
            if modified is not None and modified.isoformat() > newest:
                newest = modified.isoformat()
        more = page < pages
        cursor = {"newest": newest}
        if more:
            cursor |= {"page": page + 1, "since": since}
        return base.Page(items=found, cursor=json.dumps(cursor), more=more)

    def _fetch_comments(self, state: dict) -> base.Page:
        page = int(state.get("page") or 1)
        seen: dict = state.get("seen") if isinstance(state.get("seen"), dict) else {}
        if page > 1:
            since = state.get("since")
        else:
            since = _earlier(state.get("newest"), seconds=int(EDIT_WINDOW.total_seconds()))
        params = {
            "context": "edit",
            "status": "all",
            "orderby": "date_gmt",
            "order": "asc",
            "per_page": PER_PAGE,
            "page": page,
        }
        if since:
            params["after"] = since
        try:
            payload, pages = self._page("comments", params)
        except base.PlatformError as error:
            # Comments trashed since the sweep began can leave fewer pages than it counted.
            if page > 1 and "rest_post_invalid_page_number" in error.message:
                payload, pages = [], page
            else:
                raise
        changed, newest = [], state.get("newest") or ""
        for item in mapping.items(payload, mapping.comment_item):
            digest = _digest(item.text)
            if seen.get(item.external_id, [0, ""])[1] != digest:
                changed.append(item)
            seen[item.external_id] = [int(item.received_at.timestamp()), digest]
            newest = max(newest, item.received_at.isoformat())
        more = page < pages
        if newest:
            floor = datetime.datetime.fromisoformat(newest) - EDIT_WINDOW
            seen = {key: value for key, value in seen.items() if value[0] >= floor.timestamp()}
        cursor = {"newest": newest, "seen": seen}
        if more:
            cursor |= {"page": page + 1, "since": since}
        return base.Page(items=changed, cursor=json.dumps(cursor), more=more)

    def gone(self, external_ids: list[str]) -> set[str]:
        comments = [i for i in external_ids[:50] if mapping.post_id_of(i) is None and i.isdigit()]
        if not comments:
            return set()
        params = {
            "context": "edit",
            "status": "all",
            "include": ",".join(comments),
            "per_page": len(comments),
        }
        payload, _pages = self._page("comments", params)
        there = {str(raw.get("id")) for raw in payload if isinstance(raw, dict)}
        return set(comments) - there

    def _comment_path(self, target: base.ActionTarget) -> str | None:
        if target.kind == "message" or not target.external_id.isdigit():
            return None
        return f"comments/{target.external_id}"

    def _set_status(self, target, status: str, state: str, message: str) -> base.ActionOutcome:
        path = self._comment_path(target)
        if path is None:
            return self.not_possible(_("Bara kommentarer kan döljas på bloggen."))
        answer, _payload, _headers = self._call(
            "POST", path, body={"status": status}, missing_ok=True
        )
        if answer in (404, 410):
            return base.ActionOutcome(
                base.ActionResult.DONE, _("Kommentaren finns inte längre på bloggen.")
            )
        return base.ActionOutcome(state, message)

    def hide(self, target: base.ActionTarget) -> base.ActionOutcome:
        return self._set_status(
            target,
            "hold",
            base.ActionResult.NEAREST,
            _("Hålls för granskning på bloggen"),
        )

    def unhide(self, target: base.ActionTarget) -> base.ActionOutcome:
        return self._set_status(
            target, "approved", base.ActionResult.DONE, _("Godkänd och synlig igen på bloggen")
        )

    def delete(self, target: base.ActionTarget) -> base.ActionOutcome:
        post = mapping.post_id_of(target.external_id)
        path = f"posts/{post}" if post and post.isdigit() else self._comment_path(target)
        if path is None:
            return self.not_possible(_("Det här går inte att ta bort på bloggen."))
        # Without force WordPress moves it to the trash, where it can be restored.
        self._call("DELETE", path, missing_ok=True)
        return base.ActionOutcome(
            base.ActionResult.DONE, _("Flyttad till papperskorgen på bloggen")
        )

    def reply(self, target: base.ActionTarget, text: str) -> base.ActionOutcome:
        post = mapping.post_id_of(target.external_id)
        if post is not None and post.isdigit():
            body = {"post": int(post), "parent": 0, "content": text}
        elif self._comment_path(target) is not None:
            status, above, _headers = self._call(
                "GET",
                f"comments/{target.external_id}",
                params={"context": "edit"},
                missing_ok=True,
            )
            if status in (404, 410) or not isinstance(above, dict):
                return self.not_possible(
                    _("Kommentaren finns inte längre på bloggen: svaret publicerades inte.")
                )
            body = {"post": above.get("post"), "parent": int(target.external_id), "content": text}
        else:
            return self.not_possible(_("Det här går inte att svara på på bloggen."))
        _status, created, _headers = self._call("POST", "comments", body=body)
        item = mapping.comment_item(created)
        if item is None:
            raise base.PlatformError(
                _("Bloggens svar om det publicerade svaret var ofullständigt.")
            )
        return base.ActionOutcome(
            base.ActionResult.DONE,
            _("Svaret är publicerat på bloggen"),
            reply=base.PlatformItem(
                external_id=item.external_id,
                kind="post",
                author=item.author,
                text=item.text or text,
                received_at=item.received_at,
                url=item.url,
                parent=target.external_id,
            ),
        )

    def find_reply(self, target: base.ActionTarget, text: str) -> base.PlatformItem | None:
        """The connection's user's own comment with this text among the newest 100 that
        answer the comment (or, for a post, the newest top-level comments on it)."""
        post = mapping.post_id_of(target.external_id)
        if post is not None and post.isdigit():
            narrow = {"post": int(post), "parent": 0}
        elif self._comment_path(target) is not None:
            narrow = {"parent": int(target.external_id)}
        else:
            return None
        _status, me, _headers = self._call("GET", "users/me", params={"context": "edit"})
        user = mapping._id(me.get("id")) if isinstance(me, dict) else None
        if user is None:
            return None
        params = {
            "context": "edit",
            "status": "all",
            "author": user,
            "orderby": "date_gmt",
            "order": "desc",
            "per_page": 100,
            **narrow,
        }
        payload, _pages = self._page("comments", params)
        for item in mapping.items(payload, mapping.comment_item):
            if base.same_text(item.text, text):
                return base.PlatformItem(
                    external_id=item.external_id,
                    kind="post",
                    author=item.author,
                    text=item.text,
                    received_at=item.received_at,
                    url=item.url,
                    parent=target.external_id,
                )
        return None


def _earlier(moment: str | None, *, seconds: int) -> str | None:
    """`moment` (ISO, UTC) moved back, as WordPress's `after` wants it (no offset, UTC)."""
    if not moment:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(moment)
    except ValueError:
        return None
    earlier = parsed.astimezone(datetime.UTC) - datetime.timedelta(seconds=seconds)
    return earlier.replace(tzinfo=None).isoformat(timespec="seconds")
