"""The X connector (API v2, paths relative to the base URL ".../2/").

Credentials (the connection's encrypted secrets): `access_token`, an OAuth 2.0 user access
token of the account; optionally `refresh_token` and `client_id` (the app's OAuth 2.0 client
id, registered as a public client) so that an expired access token (X's last two hours) is
renewed without a person. X rotates the refresh token on every renewal: after any call the
connector may hold `connector.new_credentials`, a dict of the whole new credentials (access
token, refresh token, client id, scope), which the caller must save encrypted in place of the
old ones, also when the call itself then failed; the old refresh token no longer works.

Kinds: "posts" (the account's own posts, kind "post"), "mentions" (posts that mention the
account), "replies" (replies to the account's posts, by recent search `to:<id>`) and
"conversations" (the rest of the conversations the account started in the last seven days:
replies to other people's replies there, which neither answer nor mention the account yet
may be hidden by it; by recent search `conversation_id:<id>`). Each cursor of the first
three is JSON: {"since_id": newest id of the last complete pull} between pulls, plus
{"newest", "next"} while the pages of one pull are read (X's timelines go newest first).
The cursor of "conversations" is described at `_fetch_conversations`.

Limits: X's `x-rate-limit-limit/remaining/reset` headers are kept per endpoint in
`self.limits` (JSON-able; a caller may hand the saved dict back before calling); a call to an
endpoint whose window is used up raises RateLimited without calling (hides: 50 per 15 min).
Recent search is one endpoint for X, whatever the query: "replies" and "conversations" share
its window (the group "search").
"""

import dataclasses
import datetime
import json
import time

from django.utils import timezone
from django.utils.translation import gettext as _

from ..base import (
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
    same_text,
)
from ..http import send_or_fail
from . import mapping

TWEET_FIELDS = (
    "author_id,created_at,conversation_id,in_reply_to_user_id,referenced_tweets,"
    "edit_history_tweet_ids,note_tweet"
)
LOOKUP_FIELDS = "author_id,conversation_id,edit_history_tweet_ids,in_reply_to_user_id"

# The scopes the connector needs, with what each is for (Swedish, for the connection page).
SCOPES = {
    "tweet.read": "tweet.read – läsa inlägg",
    "users.read": "users.read – läsa kontots uppgifter",
    "tweet.write": "tweet.write – svara och radera kommunens inlägg",
    "tweet.moderate.write": "tweet.moderate.write – dölja svar",
    "offline.access": "offline.access – förnya åtkomsten utan ny inloggning",
}

# The endpoints, by the limit X counts separately, with a Swedish name for the summary.
LIMIT_LABELS = {
    "posts": "Egna inlägg",
    "mentions": "Omnämnanden",
    "search": "Sökning",
    "lookup": "Uppslag",
    "me": "Kontokontroll",
    "user": "Profil",
    "hide": "Dölja svar",
    "create": "Publicera",
    "delete": "Radera",
}
# Without a reset header: X's windows are 15 minutes.
DEFAULT_WINDOW = datetime.timedelta(minutes=15)
# Recent search reaches back seven days; an older since_id is refused.
SEARCH_REACH = datetime.timedelta(days=6, hours=23)
GONE_BATCH = 100
# The window recent search counts in, whatever the kind that searches.
SEARCH = "search"
# Conversations searched in one round at most (the least recently searched first), and the
# newest conversations kept in the cursor; a busier account's older ones wait their turn.
CONVERSATIONS_PER_ROUND = 20
MAX_CONVERSATIONS = 500
# Searches left in the window for the replies of the next pull: the conversations stop for
# now at this many, so that they never put the whole connection to rest.
SEARCH_RESERVE = 5
# Looking for a reply an earlier attempt may have posted: the account's newest posts.
FIND_POSTS = 100


class _NotFound(PlatformError):
    """X has no such object (404); the actions take it as gone."""

    def __init__(self):
        super().__init__(_("X hittade inte det som efterfrågades."))


class _Refused(PlatformError):
    """X refused the request itself (a 4xx other than 401, 404 and 429)."""


class XConnector(Connector):
    platform = "x"
    label = "X"
    # Conversations last: what their replies answer is then mostly stored already.
    KINDS = ("posts", "mentions", "replies", "conversations")
    SECRET_FIELDS = (
        ("access_token", "Åtkomsttoken (OAuth 2.0, användarkontext)"),
        ("refresh_token", "Förnyelsetoken (refresh token)"),
        ("client_id", "Appens klient-id (OAuth 2.0 client id)"),
    )
    ACCOUNT_ID_LABEL = "Kontots användar-id (numeriskt)"
    # Posts per page: X allows 5–100 (search 10–100).
    page_size = 100

    def __init__(self, *, account_id, credentials, http):
        super().__init__(account_id=str(account_id), credentials=dict(credentials), http=http)
        # Set when the access was renewed: the whole new credentials, to be saved encrypted.
        self.new_credentials: dict | None = None
        self._owners: dict[str, str | None] = {}

    # --- The one way to call X --------------------------------------------------------

    def _can_refresh(self) -> bool:
        return bool(self.credentials.get("refresh_token") and self.credentials.get("client_id"))

    def _refresh(self) -> None:
        """Renew the access token with the refresh token (which X then replaces)."""
        response = send_or_fail(
            self.http,
            "POST",
            "oauth2/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": self.credentials["refresh_token"],
                "client_id": self.credentials["client_id"],
            },
        )
        if response.status_code in (400, 401, 403):
            raise AccessExpired(
                _(
                    "X godtog inte förnyelsetoken: kontots ansvariga behöver logga in på X och "
                    "ange nya uppgifter på anslutningssidan."
                )
            )
        if response.status_code == 429:
            raise self._rate_limited(response, "me")
        if response.status_code >= 400:
            raise PlatformError(
                _("X kunde inte förnya åtkomsten just nu (%(status)s).")
                % {"status": response.status_code}
            )
        payload = self._json(response)
        token = payload.get("access_token")
        if not isinstance(token, str) or not token:
            raise PlatformError(_("X:s svar på förnyelsen saknade en åtkomsttoken."))
        renewed = {**self.credentials, "access_token": token}
        if isinstance(payload.get("refresh_token"), str):
            renewed["refresh_token"] = payload["refresh_token"]
        if isinstance(payload.get("scope"), str):
            renewed["scope"] = payload["scope"]
        if isinstance(payload.get("expires_in"), int):
            renewed["expires_at"] = int(time.time()) + payload["expires_in"]
        self.credentials = renewed
        self.new_credentials = dict(renewed)

    def _call(self, group: str, method: str, path: str, **kwargs) -> dict:
        """One call to X (and, once, after renewing an expired access token); the JSON
        answer, or one of base's errors."""
        self._check_limit(group)
        response = self._send(group, method, path, **kwargs)
        if response.status_code == 401 and self._can_refresh():
            self._refresh()
            response = self._send(group, method, path, **kwargs)
        if response.status_code == 401:
            raise AccessExpired(
                _(
                    "X godtog inte åtkomsttoken (utgången eller återkallad): ange en ny på "
                    "anslutningssidan."
                )
            )
        if response.status_code == 429:
            raise self._rate_limited(response, group)
        if response.status_code == 404:
            raise _NotFound
        if response.status_code == 403:
            raise _Refused(
                _(
                    "X nekade anropet (403 %(title)s): kontrollera appens behörigheter och "
                    "åtkomstnivå hos X."
                )
                % {"title": self._title(response)}
            )
        if response.status_code >= 400:
            error_class = PlatformError if response.status_code >= 500 else _Refused
            raise error_class(
                _("X svarade med ett fel (%(status)s %(title)s).")
                % {"status": response.status_code, "title": self._title(response)}
            )
        return self._json(response)

    def _send(self, group: str, method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {self.credentials.get('access_token', '')}"}
        response = send_or_fail(self.http, method, path, headers=headers, **kwargs)
        self._read_limits(group, response)
        return response

    @staticmethod
    def _json(response) -> dict:
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            raise PlatformError(_("X:s svar gick inte att läsa (avbrutet eller inte JSON)."))
        return payload

    @staticmethod
    def _title(response) -> str:
        try:
            payload = response.json()
        except ValueError:
            return ""
        title = payload.get("title") if isinstance(payload, dict) else None
        # X's problem titles are short English phrases ("Forbidden"); nothing else is shown.
        return " ".join(str(title).split())[:80] if isinstance(title, str) else ""

    # --- Limits -----------------------------------------------------------------------

    def _endpoints(self) -> dict:
        endpoints = self.limits.get("endpoints") if isinstance(self.limits, dict) else None
        if not isinstance(endpoints, dict):
            return {}
        # Only the groups counted now (a saved dict may name one no longer used).
        return {group: entry for group, entry in endpoints.items() if group in LIMIT_LABELS}

    def _check_limit(self, group: str) -> None:
        entry = self._endpoints().get(group)
        if not isinstance(entry, dict):
            return
        reset = entry.get("reset")
        if entry.get("remaining") == 0 and isinstance(reset, int) and reset > time.time():
            raise RateLimited(
                _("X:s gräns för %(what)s är nådd för stunden.")
                % {"what": LIMIT_LABELS.get(group, group).lower()},
                retry_at=datetime.datetime.fromtimestamp(reset, tz=datetime.UTC),
            )

    def _read_limits(self, group: str, response) -> None:
        try:
            entry = {
                "limit": int(response.headers["x-rate-limit-limit"]),
                "remaining": int(response.headers["x-rate-limit-remaining"]),
                "reset": int(response.headers["x-rate-limit-reset"]),
            }
        except (KeyError, ValueError):
            return
        endpoints = {**self._endpoints(), group: entry}
        self.limits = {"label": self.label, "endpoints": endpoints, "summary": _summary(endpoints)}

    def _rate_limited(self, response, group: str) -> RateLimited:
        try:
            retry_at = datetime.datetime.fromtimestamp(
                int(response.headers["x-rate-limit-reset"]), tz=datetime.UTC
            )
        except (KeyError, ValueError, OverflowError, OSError):
            retry_at = timezone.now() + DEFAULT_WINDOW
        entry = {"limit": None, "remaining": 0, "reset": int(retry_at.timestamp())}
        endpoints = {**self._endpoints(), group: {**self._endpoints().get(group, {}), **entry}}
        self.limits = {"label": self.label, "endpoints": endpoints, "summary": _summary(endpoints)}
        return RateLimited(
            _("X:s gräns för antalet anrop är nådd; nästa försök %(at)s.")
            % {"at": timezone.localtime(retry_at).strftime("%H:%M")},
            retry_at=retry_at,
        )

    # --- Connection test --------------------------------------------------------------

    def test(self) -> list[str]:
        # The granted scopes come with a renewal; renew once when they are not yet known.
        if not self.credentials.get("scope") and self._can_refresh():
            self._refresh()
        scope = self.credentials.get("scope")
        missing = (
            [label for name, label in SCOPES.items() if name not in set(scope.split())]
            if isinstance(scope, str)
            else None
        )
        try:
            payload = self._call("me", "GET", "users/me")
        except _NotFound:
            raise PlatformError(_("X hittade inte kontot.")) from None
        except _Refused:
            # A token without users.read is refused here: say which scopes are missing.
            if missing:
                return missing
            raise
        data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
        if mapping._id(data.get("id")) != self.account_id:
            raise PlatformError(
                _(
                    "Åtkomsttoken hör till ett annat X-konto än kontots id %(id)s: ange "
                    "kontots numeriska användar-id eller en token för rätt konto."
                )
                % {"id": self.account_id}
            )
        if missing is not None:
            return missing
        # Without a renewal X does not say which scopes a token has; it can still tell
        # that nothing renews the access.
        return [] if self._can_refresh() else [SCOPES["offline.access"]]

    # --- Pull -------------------------------------------------------------------------

    def fetch(self, kind: str, cursor: str) -> Page:
        if kind not in self.KINDS:
            raise PlatformError(_("Okänd typ av hämtning för X: %(kind)s.") % {"kind": kind})
        if kind == "conversations":
            return self._fetch_conversations(cursor)
        position = _load_cursor(cursor)
        since_id, newest, token = position["since_id"], position["newest"], position["next"]
        params = {
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": "name,username",
        }
        if kind == "replies":
            path = "tweets/search/recent"
            params["query"] = f"to:{self.account_id} -from:{self.account_id} is:reply"
            params["max_results"] = max(10, min(self.page_size, 100))
            since = mapping.snowflake_time(since_id) if since_id else None
            if since is not None and since < timezone.now() - SEARCH_REACH:
                since_id = ""
            if token:
                params["next_token"] = token
        else:
            path = f"users/{self.account_id}/{'tweets' if kind == 'posts' else 'mentions'}"
            params["max_results"] = max(5, min(self.page_size, 100))
            if kind == "posts":
                params["exclude"] = "retweets"
            if token:
                params["pagination_token"] = token
        if since_id:
            params["since_id"] = since_id
        try:
            payload = self._call(SEARCH if kind == "replies" else kind, "GET", path, params=params)
        except _NotFound:
            message = _("X hittade inte kontot %(id)s.") % {"id": self.account_id}
            raise PlatformError(message) from None
        if "data" not in payload and payload.get("errors"):
            raise PlatformError(
                _("X kunde inte lämna ut inläggen (%(title)s).")
                % {"title": _first_error_title(payload)}
            )
        meta = payload.get("meta") if isinstance(payload.get("meta"), dict) else {}
        items = mapping.map_posts(payload, account_id=self.account_id)
        newest = _max_id(newest, mapping._id(meta.get("newest_id")))
        next_token = meta.get("next_token")
        if isinstance(next_token, str) and next_token:
            state = {"since_id": position["since_id"], "newest": newest, "next": next_token}
            return Page(items=items, cursor=json.dumps(state), more=True)
        state = {"since_id": _max_id(position["since_id"], newest)}
        return Page(items=items, cursor=json.dumps(state), more=False)

    def _fetch_conversations(self, cursor: str) -> Page:
        """The posts of others in the conversations the account started within recent
        search's reach, but those answering the account (kind "replies") and the account's
        own (kind "posts"): `conversation_id:<id> -from:<id> -to:<id>`, from the
        conversation's own since_id, every page to the end.

        A round first finds the conversations begun since the last round (the account's
        timeline without replies), forgets those past SEARCH_REACH, and then searches at most
        CONVERSATIONS_PER_ROUND of them, the least recently searched first. The cursor is
        JSON: {"conversations": {id: [since_id, round last searched, started (epoch)]},
        "round", "found" (the newest post of the account seen by the finding), "queue" (the
        conversations still to search this round, null between rounds) and, within the
        pages of one finding or search, "discover"/"next" (X's page token) and "newest"}.
        With SEARCH_RESERVE or fewer searches left in the window, the round stops for now
        (nothing called, the cursor kept) and the next pull goes on with it; an item comes
        also by mention or reply, and the services store it once."""
        state = _load_conversations(cursor)
        if state["queue"] is None:
            return self._find_conversations(state)
        reach = (timezone.now() - SEARCH_REACH).timestamp()
        while state["queue"]:
            conversation = state["queue"][0]
            entry = state["conversations"].get(conversation)
            if entry is None or entry[2] < reach:
                # Past recent search's reach (X would refuse the since_id): forgotten.
                state["conversations"].pop(conversation, None)
                state["queue"].pop(0)
                state["next"] = state["newest"] = ""
                continue
            if self._search_nearly_used():
                return Page(items=[], cursor=json.dumps(state), more=False)
            return self._search_conversation(state, conversation)
        state["queue"] = None
        return Page(items=[], cursor=json.dumps(state), more=False)

    def _search_nearly_used(self) -> bool:
        entry = self._endpoints().get(SEARCH)
        if not isinstance(entry, dict):
            return False
        remaining, reset = entry.get("remaining"), entry.get("reset")
        return (
            isinstance(remaining, int)
            and isinstance(reset, int)
            and remaining <= SEARCH_RESERVE
            and reset > time.time()
        )

    def _find_conversations(self, state: dict) -> Page:
        """One page of the account's posts that start a conversation, newer than the last
        round found; the last page starts the round."""
        params = {
            "tweet.fields": "conversation_id,created_at,edit_history_tweet_ids",
            "exclude": "retweets,replies",
            "max_results": 100,
        }
        if state["found"]:
            params["since_id"] = state["found"]
        else:
            since = timezone.now() - SEARCH_REACH
            params["start_time"] = since.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if state["discover"]:
            params["pagination_token"] = state["discover"]
        try:
            payload = self._call("posts", "GET", f"users/{self.account_id}/tweets", params=params)
        except _NotFound:
            message = _("X hittade inte kontot %(id)s.") % {"id": self.account_id}
            raise PlatformError(message) from None
        for post in payload.get("data") or ():
            if not isinstance(post, dict):
                continue
            conversation = mapping._id(post.get("conversation_id")) or mapping.original_id(post)
            started = mapping.parse_time(post.get("created_at"), conversation)
            if conversation.isdigit() and started is not None:
                state["conversations"].setdefault(
                    conversation, [conversation, 0, int(started.timestamp())]
                )
        meta = payload.get("meta") if isinstance(payload.get("meta"), dict) else {}
        state["newest"] = _max_id(state["newest"], mapping._id(meta.get("newest_id")))
        next_token = meta.get("next_token")
        if isinstance(next_token, str) and next_token:
            state["discover"] = next_token
            return Page(items=[], cursor=json.dumps(state), more=True)
        state["found"] = _max_id(state["found"], state["newest"])
        state["discover"] = state["newest"] = ""
        reach = (timezone.now() - SEARCH_REACH).timestamp()
        kept = sorted(
            (key for key, entry in state["conversations"].items() if entry[2] >= reach),
            key=int,
            reverse=True,
        )[:MAX_CONVERSATIONS]
        state["conversations"] = {key: state["conversations"][key] for key in kept}
        state["round"] += 1
        queue = sorted(kept, key=lambda key: (state["conversations"][key][1], -int(key)))
        state["queue"] = queue[:CONVERSATIONS_PER_ROUND] or None
        return Page(items=[], cursor=json.dumps(state), more=state["queue"] is not None)

    def _search_conversation(self, state: dict, conversation: str) -> Page:
        since_id = state["conversations"][conversation][0]
        params = {
            "query": f"conversation_id:{conversation} -from:{self.account_id} "
            f"-to:{self.account_id}",
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": "name,username",
            "max_results": max(10, min(self.page_size, 100)),
            "since_id": since_id,
        }
        if state["next"]:
            params["next_token"] = state["next"]
        payload = self._call(SEARCH, "GET", "tweets/search/recent", params=params)
        if "data" not in payload and payload.get("errors"):
            raise PlatformError(
                _("X kunde inte lämna ut konversationen (%(title)s).")
                % {"title": _first_error_title(payload)}
            )
        # Oldest first, so that a reply follows what it answers within the page.
        items = sorted(
            mapping.map_posts(payload, account_id=self.account_id),
            key=lambda item: int(item.external_id) if item.external_id.isdigit() else 0,
        )
        meta = payload.get("meta") if isinstance(payload.get("meta"), dict) else {}
        state["newest"] = _max_id(state["newest"], mapping._id(meta.get("newest_id")))
        next_token = meta.get("next_token")
        if isinstance(next_token, str) and next_token:
            state["next"] = next_token
            return Page(items=items, cursor=json.dumps(state), more=True)
        entry = state["conversations"][conversation]
        state["conversations"][conversation] = [
            _max_id(since_id, state["newest"]),
            state["round"],
            entry[2],
        ]
        state["queue"].pop(0)
        state["next"] = state["newest"] = ""
        if not state["queue"]:
            state["queue"] = None
        return Page(items=items, cursor=json.dumps(state), more=state["queue"] is not None)

    def profile(self) -> Profile:
        """The account's name, @username and bio: one user lookup (`users/{id}`)."""
        try:
            payload = self._call(
                "user",
                "GET",
                f"users/{self.account_id}",
                params={"user.fields": "description,name,username"},
            )
        except _NotFound:
            raise PlatformError(_("X hittade inte kontot.")) from None
        data = payload.get("data")
        if not isinstance(data, dict) or mapping._id(data.get("id")) != self.account_id:
            raise PlatformError(_("X svarade utan kontots profil."))
        return mapping.profile_from(data)

    def gone(self, external_ids: list[str]) -> set[str]:
        wanted = [str(external_id) for external_id in external_ids][:GONE_BATCH]
        if not wanted:
            return set()
        payload = self._call(
            "lookup", "GET", "tweets", params={"ids": ",".join(wanted), "tweet.fields": "id"}
        )
        missing = set()
        for error in payload.get("errors") or ():
            if isinstance(error, dict) and error.get("title") == "Not Found Error":
                missing.add(mapping._id(error.get("value") or error.get("resource_id")))
        return missing & set(wanted)

    # --- Actions ----------------------------------------------------------------------

    def _look_up(self, post_id: str) -> dict | None:
        """The post (its newest version's fields), or None when X no longer has it."""
        try:
            payload = self._call(
                "lookup", "GET", f"tweets/{post_id}", params={"tweet.fields": LOOKUP_FIELDS}
            )
        except _NotFound:
            return None
        data = payload.get("data")
        if isinstance(data, dict):
            return data
        if _first_error_title(payload) in ("Not Found Error", "Authorization Error"):
            return None
        raise PlatformError(_("X:s svar om inlägget gick inte att läsa."))

    def _in_own_conversation(self, post: dict) -> bool:
        """Whether the post answers in a conversation the account started (the only replies
        X lets it hide)."""
        conversation = mapping._id(post.get("conversation_id"))
        if not conversation or conversation == mapping._id(post.get("id")):
            return False
        if conversation not in self._owners:
            root = self._look_up(conversation)
            self._owners[conversation] = mapping._id(root.get("author_id")) if root else None
        return self._owners[conversation] == self.account_id

    def _set_hidden(self, post: dict, hidden: bool) -> None:
        post_id = mapping.latest_id(post)
        try:
            payload = self._call("hide", "PUT", f"tweets/{post_id}/hidden", json={"hidden": hidden})
        except _NotFound:
            return  # gone since the look-up: nothing left to show or hide
        data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
        if data.get("hidden") is not hidden:
            raise PlatformError(_("X bekräftade inte att svaret dolts eller visats."))

    def _own(self, post: dict) -> bool:
        return mapping._id(post.get("author_id")) == self.account_id

    def hide(self, target: ActionTarget) -> ActionOutcome:
        # Hides are X's scarcest limit (50 per 15 minutes): no look-ups when none is left.
        self._check_limit("hide")
        post = self._look_up(target.external_id)
        if post is None:
            return ActionOutcome(ActionResult.DONE, _("Finns inte längre på X."))
        if self._own(post):
            return self.not_possible(
                _(
                    "X kan inte dölja kommunens egna inlägg. Inget gjordes på X; radera "
                    "inlägget om det ska bort."
                )
            )
        if not self._in_own_conversation(post):
            return self.not_possible(
                _(
                    "X låter kommunen dölja svar bara i konversationer som kommunens konto har "
                    "startat. Inget gjordes på X; anmäl inlägget till X om det bryter mot "
                    "X:s regler."
                )
            )
        self._set_hidden(post, True)
        return ActionOutcome(ActionResult.DONE, _("Dold på X."))

    def unhide(self, target: ActionTarget) -> ActionOutcome:
        self._check_limit("hide")
        post = self._look_up(target.external_id)
        if post is None:
            return ActionOutcome(ActionResult.DONE, _("Finns inte längre på X."))
        if self._own(post) or not self._in_own_conversation(post):
            # X hides nothing outside the account's conversations: nothing to show again.
            return ActionOutcome(ActionResult.DONE, _("Inlägget var inte dolt på X."))
        self._set_hidden(post, False)
        return ActionOutcome(ActionResult.DONE, _("Visas igen på X."))

    def delete(self, target: ActionTarget) -> ActionOutcome:
        post = self._look_up(target.external_id)
        if post is None:
            return ActionOutcome(ActionResult.DONE, _("Finns inte längre på X."))
        if self._own(post):
            try:
                payload = self._call("delete", "DELETE", f"tweets/{mapping.latest_id(post)}")
            except _NotFound:
                return ActionOutcome(ActionResult.DONE, _("Finns inte längre på X."))
            data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
            if data.get("deleted") is not True:
                raise PlatformError(_("X bekräftade inte att inlägget raderades."))
            return ActionOutcome(ActionResult.DONE, _("Raderat på X."))
        if self._in_own_conversation(post):
            self._set_hidden(post, True)
            return ActionOutcome(
                ActionResult.NEAREST, _("Dold på X – X låter inte kommunen radera andras inlägg.")
            )
        return self.not_possible(
            _(
                "X låter inte kommunen radera andras inlägg, och dölja bara svar i konversationer "
                "som kommunens konto har startat. Inget gjordes på X; anmäl inlägget till X om "
                "det bryter mot X:s regler."
            )
        )

    def reply(self, target: ActionTarget, text: str) -> ActionOutcome:
        if not text.strip():
            return self.not_possible(_("Svaret är tomt; inget publicerades på X."))
        body = {"text": text, "reply": {"in_reply_to_tweet_id": target.external_id}}
        try:
            payload = self._call("create", "POST", "tweets", json=body)
        except _NotFound:
            return self.not_possible(
                _("Inlägget finns inte längre på X; svaret publicerades inte.")
            )
        except _Refused:
            # 400/403: X refuses this reply (too long, the same text twice, replies limited
            # by the author); another try would be refused the same way.
            return self.not_possible(
                _(
                    "X tog inte emot svaret (för långt, samma text som tidigare eller svar som "
                    "inläggets författare har begränsat). Inget publicerades på X."
                )
            )
        data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
        reply_id = mapping._id(data.get("id"))
        if not reply_id:
            raise PlatformError(_("X:s svar saknade det nya inläggets id."))
        item = PlatformItem(
            external_id=reply_id,
            kind="post",
            author="",
            text=mapping.cut_text(data.get("text") if isinstance(data.get("text"), str) else text),
            received_at=mapping.snowflake_time(reply_id) or timezone.now(),
            url=mapping.post_url(reply_id),
            parent=target.external_id,
        )
        return ActionOutcome(ActionResult.DONE, _("Svar publicerat på X."), reply=item)

    def find_reply(self, target: ActionTarget, text: str) -> PlatformItem | None:
        """The account's own reply to the post with this text among its newest FIND_POSTS
        posts (its timeline, newest first, one call)."""
        params = {
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": "name,username",
            "max_results": FIND_POSTS,
        }
        payload = self._call("posts", "GET", f"users/{self.account_id}/tweets", params=params)
        for item in mapping.map_posts(payload, account_id=self.account_id):
            if (
                item.kind == "post"
                and item.parent == target.external_id
                and same_text(item.text, text)
            ):
                return dataclasses.replace(item, author="")
        return None


def _load_cursor(cursor: str) -> dict:
    state = decode_cursor(cursor)
    return {
        "since_id": mapping._id(state.get("since_id")),
        "newest": mapping._id(state.get("newest")),
        "next": state.get("next") if isinstance(state.get("next"), str) else "",
    }


def _load_conversations(cursor: str) -> dict:
    """The cursor of "conversations" (see XConnector._fetch_conversations), anything
    unreadable in it dropped."""
    state = decode_cursor(cursor)
    conversations = {}
    saved = state.get("conversations")
    for key, entry in saved.items() if isinstance(saved, dict) else ():
        if (
            isinstance(key, str)
            and key.isdigit()
            and isinstance(entry, list)
            and len(entry) == 3
            and mapping._id(entry[0]).isdigit()
            and all(isinstance(value, int) and not isinstance(value, bool) for value in entry[1:])
        ):
            conversations[key] = [mapping._id(entry[0]), entry[1], entry[2]]
    queue = state.get("queue")
    if isinstance(queue, list):
        queue = [key for key in queue if isinstance(key, str) and key in conversations]
    else:
        queue = None
    number = state.get("round")

    def text(name: str) -> str:
        value = state.get(name)
        return value if isinstance(value, str) else ""

    return {
        "conversations": conversations,
        "round": number if isinstance(number, int) and not isinstance(number, bool) else 0,
        "found": _digits(state.get("found")),
        "queue": queue,
        "discover": text("discover"),
        "next": text("next"),
        "newest": _digits(state.get("newest")),
    }


def _digits(value) -> str:
    """A post id, or "" for anything else."""
    text = mapping._id(value)
    return text if text.isdigit() else ""


def _max_id(*ids: str) -> str:
    numeric = [int(value) for value in ids if value and value.isdigit()]
    return str(max(numeric)) if numeric else ""


def _first_error_title(payload: dict) -> str:
    for error in payload.get("errors") or ():
        if isinstance(error, dict) and isinstance(error.get("title"), str):
            return error["title"][:80]
    return ""


def _summary(endpoints: dict) -> str:
    parts = []
    for group, entry in endpoints.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("reset"), int):
            continue
        reset = timezone.localtime(datetime.datetime.fromtimestamp(entry["reset"], tz=datetime.UTC))
        if entry.get("limit"):
            parts.append(
                _("%(what)s: %(remaining)s av %(limit)s anrop kvar till %(at)s")
                % {
                    "what": LIMIT_LABELS.get(group, group),
                    "remaining": entry.get("remaining"),
                    "limit": entry["limit"],
                    "at": reset.strftime("%H:%M"),
                }
            )
        else:
            parts.append(
                _("%(what)s: gränsen nådd till %(at)s")
                % {"what": LIMIT_LABELS.get(group, group), "at": reset.strftime("%H:%M")}
            )
    return "; ".join(parts)
