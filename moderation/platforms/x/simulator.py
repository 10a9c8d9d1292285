"""The part of X API v2 the connector calls, served from the simulator's world.

Objects of platform "x": the account's own posts (kind "post", by_account), and the posts of
others in its conversations or mentioning it (kind "comment"; `parent` the post answered,
none for a mention that starts its own conversation). The mention timeline holds what
mentions the account as X counts it: a post starting its own conversation, a reply to the
account (X puts the @name of the one answered in a reply) and a post with the account's
@name (`username(account)`) in its text; a reply to someone else's reply without it is
found only by searching its conversation (`conversation_id:`). An edit (state.edit) gives
the post a new version id, as X does, kept here with the edit history. Limits per token and
endpoint in 15-minute windows, shown in X's x-rate-limit-* headers; a used-up window answers
429. Recent search (`to:` and `conversation_id:` queries) is one endpoint, one window.
"""

import calendar
import re
import time

import httpx

from ..simulator.app import json_response

PLATFORM = "x"
PERMISSIONS = ("tweet.read", "users.read", "tweet.write", "tweet.moderate.write", "offline.access")
WINDOW = 15 * 60
# Calls per token and endpoint in a 15-minute window, as X's user-context limits.
LIMITS = {
    "posts": 900,
    "mentions": 450,
    "search": 450,
    "lookup": 900,
    "me": 75,
    "user": 900,
    "hide": 50,
    "create": 100,
    "delete": 50,
}
DEFAULT_PAGE = 10
ACCOUNT_NAME = "Åtvidabergs kommun (demo)"


def _x(state) -> dict:
    """This platform's part of state.usage: windows, edit versions, refresh tokens, names."""
    with state.lock:
        return state.usage.setdefault(
            PLATFORM, {"windows": {}, "versions": {}, "refresh": {}, "names": {}}
        )


def set_remaining(state, token: str, group: str, remaining: int) -> None:
    """Use up a window so that `remaining` calls are left (for tests)."""
    with state.lock:
        _x(state)["windows"][(token, group)] = [time.time(), LIMITS[group] - remaining]


def grant_refresh(state, refresh_token: str, access_token: str) -> None:
    """Let `refresh_token` renew the grant of `access_token`."""
    with state.lock:
        _x(state)["refresh"][refresh_token] = access_token


def _problem(status: int, title: str, detail: str, headers: dict | None = None):
    return json_response(
        status,
        {"title": title, "detail": detail, "type": "about:blank", "status": status},
        headers,
    )


def fault_response(kind: str) -> httpx.Response:
    if kind == "rate_limit":
        reset = int(time.time()) + WINDOW
        return _problem(
            429,
            "Too Many Requests",
            "Too Many Requests",
            {
                "x-rate-limit-limit": "50",
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(reset),
            },
        )
    if kind == "expired":
        return _problem(401, "Unauthorized", "Unauthorized")
    return _problem(503, "Service Unavailable", "Service Unavailable")


# --- The world in X's shape ----------------------------------------------------------


def versions(state, obj) -> list[str]:
    """The post's edit history ids, oldest first: a new id for each edit, as X gives."""
    with state.lock:
        known = _x(state)["versions"].setdefault(obj.id, [obj.id])
        while len(known) < len(obj.edits) + 1:
            known.append(state.new_id())
        return list(known)


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(epoch))


def _username(obj) -> str:
    slug = re.sub(r"[^A-Za-z0-9_]", "", obj.author.replace(" ", "_"))[:15]
    return slug or f"user{obj.author_id}"


def username(account: str) -> str:
    """The account's @name in the simulator."""
    return f"konto{account}"


def _account_user(state, account: str) -> dict:
    name = _x(state)["names"].get(account, "Kommunens konto")
    return {"id": account, "name": name, "username": username(account)}


def _conversation_root(state, obj):
    root_id = obj.post or obj.id
    return state.get(PLATFORM, root_id)


def serialize(state, obj) -> dict:
    history = versions(state, obj)
    root = _conversation_root(state, obj)
    post = {
        "id": history[-1],
        "text": obj.text,
        "edit_history_tweet_ids": history,
        "author_id": obj.author_id,
        "created_at": _iso(obj.updated if obj.edits else obj.created),
        "conversation_id": versions(state, root)[0] if root else obj.id,
    }
    if obj.parent:
        parent = state.get(PLATFORM, obj.parent)
        post["referenced_tweets"] = [{"type": "replied_to", "id": obj.parent}]
        if parent is not None:
            post["in_reply_to_user_id"] = parent.author_id
    return post


def _user(state, obj) -> dict:
    if obj.by_account:
        return _account_user(state, obj.account)
    return {"id": obj.author_id, "name": obj.author, "username": _username(obj)}


def _page(state, objects, request, *, page_param: str) -> httpx.Response:
    """Newest first from the pagination token on, `max_results` at a time, after since_id."""
    try:
        size = max(1, min(int(request.params.get("max_results", DEFAULT_PAGE)), 100))
    except ValueError:
        return _problem(400, "Invalid Request", "max_results is not a number")
    until = request.params.get(page_param)
    try:
        since = int(request.params.get("since_id") or 0)
    except ValueError:
        return _problem(400, "Invalid Request", "since_id is not a Tweet id")
    rows = []
    for obj in objects:
        history = versions(state, obj)
        current = int(history[-1])
        if current > since:
            rows.append((current, obj))
    rows.sort(key=lambda row: row[0], reverse=True)
    if until:
        try:
            below = int(until.removeprefix("t"), 36)
        except ValueError:
            return _problem(400, "Invalid Request", "The pagination token is invalid")
        rows = [row for row in rows if row[0] < below]
    chosen = rows[:size]
    meta = {"result_count": len(chosen)}
    if chosen:
        meta["newest_id"] = str(chosen[0][0])
        meta["oldest_id"] = str(chosen[-1][0])
    if len(rows) > size:
        meta["next_token"] = "t" + _base36(chosen[-1][0])
    if not chosen:
        return json_response(200, {"meta": meta})
    users = {}
    for _current, obj in chosen:
        users[obj.author_id] = _user(state, obj)
    return json_response(
        200,
        {
            "data": [serialize(state, obj) for _current, obj in chosen],
            "includes": {"users": list(users.values())},
            "meta": meta,
        },
    )


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def _objects(state, account: str, kind: str):
    return state.listing(PLATFORM, account, kind)


def _answers_account(state, obj) -> bool:
    parent = state.get(PLATFORM, obj.parent) if obj.parent else None
    return parent is not None and parent.by_account


def _mentions(state, obj) -> bool:
    """Whether X shows the post on the account's mention timeline."""
    if obj.parent is None or _answers_account(state, obj):
        return True
    return f"@{username(obj.account)}".lower() in obj.text.lower()


def _timeline(state, account: str, request):
    """The account's own posts; `exclude=replies` leaves the posts that start a
    conversation, `start_time` those written since then. None for a broken start_time."""
    objects = _objects(state, account, "post")
    if "replies" in request.params.get("exclude", "").split(","):
        objects = [obj for obj in objects if obj.parent is None]
    start = request.params.get("start_time")
    if start:
        try:
            since = calendar.timegm(time.strptime(start, "%Y-%m-%dT%H:%M:%SZ"))
        except ValueError:
            return None
        objects = [obj for obj in objects if obj.created >= since]
    return objects


def _search(state, account: str, query: str) -> list:
    """Recent search for the two queries the connector makes: `to:<id> -from:<id>
    is:reply` (replies to the account) and `conversation_id:<id>` with `-from:`/`-to:`
    (a conversation's posts, but those by or answering the one named). Any other query
    finds nothing."""
    terms = query.split()
    to = next((term[3:] for term in terms if term.startswith("to:")), None)
    conversation = next((term[16:] for term in terms if term.startswith("conversation_id:")), None)
    not_from = {term[6:] for term in terms if term.startswith("-from:")}
    not_to = {term[4:] for term in terms if term.startswith("-to:")}
    if to is not None:
        if to != account:
            return []
        return [
            obj
            for obj in _objects(state, account, "comment")
            if obj.parent and _answers_account(state, obj)
        ]
    if not conversation:
        return []
    found = []
    for obj in _objects(state, account, "comment") + _objects(state, account, "post"):
        root = _conversation_root(state, obj)
        if root is None or obj is root or versions(state, root)[0] != conversation:
            continue
        if obj.author_id in not_from:
            continue
        parent = state.get(PLATFORM, obj.parent) if obj.parent else None
        if parent is not None and parent.author_id in not_to:
            continue
        found.append(obj)
    return found


def _by_version(state, post_id: str):
    """The object one of whose versions has this id."""
    obj = state.get(PLATFORM, post_id)
    if obj is not None:
        return obj
    with state.lock:
        for original, history in _x(state)["versions"].items():
            if post_id in history:
                return state.get(PLATFORM, original)
    return None


def _not_found(post_id: str) -> dict:
    return {
        "value": post_id,
        "detail": f"Could not find tweet with id: [{post_id}].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": "id",
        "resource_id": post_id,
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }


# --- Requests ------------------------------------------------------------------------


def _group(request) -> str | None:
    path, method = request.path, request.method
    if method == "GET" and path == "/users/me":
        return "me"
    if method == "GET" and re.fullmatch(r"/users/[^/]+", path):
        return "user"
    if method == "GET" and re.fullmatch(r"/users/[^/]+/tweets", path):
        return "posts"
    if method == "GET" and re.fullmatch(r"/users/[^/]+/mentions", path):
        return "mentions"
    if method == "GET" and path == "/tweets/search/recent":
        return "search"
    if method == "GET" and re.fullmatch(r"/tweets(/[^/]+)?", path):
        return "lookup"
    if method == "PUT" and re.fullmatch(r"/tweets/[^/]+/hidden", path):
        return "hide"
    if method == "POST" and path == "/tweets":
        return "create"
    if method == "DELETE" and re.fullmatch(r"/tweets/[^/]+", path):
        return "delete"
    return None


def _count(state, bearer: str, group: str) -> tuple[dict | None, dict]:
    """Count the call in its window: (headers, headers), or (None, headers) when the window
    is used up."""
    now = time.time()
    with state.lock:
        windows = _x(state)["windows"]
        window = windows.get((bearer, group))
        if window is None or window[0] + WINDOW <= now:
            window = windows[(bearer, group)] = [now, 0]
        limit = LIMITS[group]
        headers = {
            "x-rate-limit-limit": str(limit),
            "x-rate-limit-reset": str(int(window[0] + WINDOW)),
        }
        if window[1] >= limit:
            headers["x-rate-limit-remaining"] = "0"
            return None, headers
        window[1] += 1
        headers["x-rate-limit-remaining"] = str(limit - window[1])
        return headers, headers


def _refresh(state, request) -> httpx.Response:
    body = request.body if isinstance(request.body, dict) else {}
    old_refresh = body.get("refresh_token", "")
    with state.lock:
        access = _x(state)["refresh"].pop(old_refresh, None)
        grant = state.token(PLATFORM, access) if access else None
        if body.get("grant_type") != "refresh_token" or grant is None or not body.get("client_id"):
            return json_response(
                400,
                {
                    "error": "invalid_request",
                    "error_description": "Value passed for the token was invalid.",
                },
            )
        new_access = f"xa-{state.new_id()}"
        new_refresh = f"xr-{state.new_id()}"
        state.grant(PLATFORM, new_access, grant.account, grant.permissions)
        state.expire(PLATFORM, access)
        _x(state)["refresh"][new_refresh] = new_access
    return json_response(
        200,
        {
            "token_type": "bearer",
            "expires_in": 7200,
            "access_token": new_access,
            "scope": " ".join(sorted(grant.permissions)),
            "refresh_token": new_refresh,
        },
    )


def handle(state, request) -> httpx.Response:
    if request.method == "POST" and request.path == "/oauth2/token":
        return _refresh(state, request)
    grant = state.token(PLATFORM, request.bearer)
    if grant is None or grant.expired:
        return _problem(401, "Unauthorized", "Unauthorized")
    group = _group(request)
    if group is None:
        return _problem(404, "Not Found", "Sorry, that page does not exist.")
    allowed, headers = _count(state, request.bearer, group)
    if allowed is None:
        return _problem(429, "Too Many Requests", "Too Many Requests", headers)
    needed = {"hide": "tweet.moderate.write", "create": "tweet.write", "delete": "tweet.write"}
    for scope in ("tweet.read", "users.read", needed.get(group)):
        if scope and scope not in grant.permissions:
            return _problem(
                403, "Forbidden", "You are not permitted to perform this action.", headers
            )
    response = _answer(state, request, grant, group)
    response.headers.update(headers)
    return response


def _answer(state, request, grant, group: str) -> httpx.Response:
    account = grant.account
    segments = request.path.strip("/").split("/")
    if group == "me":
        return json_response(200, {"data": _account_user(state, account)})
    if group == "user":
        if segments[1] != account:
            return json_response(200, {"errors": [_not_found(segments[1])]})
        profile = state.profile(PLATFORM, account)
        user = {**_account_user(state, account), **profile}
        wanted = {"id", "name", "username", *request.params.get("user.fields", "").split(",")}
        return json_response(200, {"data": {k: v for k, v in user.items() if k in wanted}})
    if group in ("posts", "mentions"):
        if segments[1] != account:
            return _problem(403, "Forbidden", "You can only read your own timelines here.")
        if group == "posts":
            objects = _timeline(state, account, request)
            if objects is None:
                return _problem(400, "Invalid Request", "start_time is not a valid time")
        else:
            objects = [obj for obj in _objects(state, account, "comment") if _mentions(state, obj)]
        return _page(state, objects, request, page_param="pagination_token")
    if group == "search":
        objects = _search(state, account, request.params.get("query", ""))
        return _page(state, objects, request, page_param="next_token")
    if group == "lookup":
        if len(segments) == 1:
            ids = [value for value in request.params.get("ids", "").split(",") if value][:100]
            found, errors = [], []
            for post_id in ids:
                obj = _by_version(state, post_id)
                if obj is None or not obj.visible:
                    errors.append(_not_found(post_id))
                else:
                    found.append(serialize(state, obj))
            payload = {"data": found} if found else {}
            if errors:
                payload["errors"] = errors
            return json_response(200, payload)
        obj = _by_version(state, segments[1])
        if obj is None or not obj.visible:
            return json_response(200, {"errors": [_not_found(segments[1])]})
        return json_response(200, {"data": serialize(state, obj)})
    if group == "hide":
        obj = _by_version(state, segments[1])
        if obj is None or not obj.visible:
            return _problem(404, "Not Found Error", "Could not find tweet.")
        root = _conversation_root(state, obj)
        if obj.by_account or root is None or root is obj or not root.by_account:
            return _problem(
                403, "Forbidden", "You cannot hide replies to conversations you do not own."
            )
        hidden = request.body.get("hidden") if isinstance(request.body, dict) else None
        if not isinstance(hidden, bool):
            return _problem(400, "Invalid Request", "hidden must be a boolean")
        with state.lock:
            obj.hidden = hidden
        return json_response(200, {"data": {"hidden": hidden}})
    if group == "delete":
        obj = _by_version(state, segments[1])
        if obj is None or not obj.visible:
            return _problem(404, "Not Found Error", "Could not find tweet.")
        if not obj.by_account:
            return _problem(
                403, "Forbidden", "You are not allowed to delete a Tweet you did not author."
            )
        with state.lock:
            obj.removed = True
        return json_response(200, {"data": {"deleted": True}})
    # create: a reply (or a post) by the account.
    body = request.body if isinstance(request.body, dict) else {}
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        return _problem(400, "Invalid Request", "text is required")
    reply_to = (body.get("reply") or {}).get("in_reply_to_tweet_id")
    parent = None
    if reply_to:
        parent = _by_version(state, str(reply_to))
        if parent is None or not parent.visible:
            return _problem(
                400, "Invalid Request", "The Tweet you are replying to is not available."
            )
    duplicate = any(
        obj.text == text and obj.visible for obj in state.listing(PLATFORM, account, "post")
    )
    if duplicate:
        return _problem(
            403, "Forbidden", "You are not allowed to create a Tweet with duplicate content."
        )
    obj = state.add(
        PLATFORM,
        account,
        "post",
        text,
        author=ACCOUNT_NAME,
        parent=parent.id if parent else None,
        by_account=True,
    )
    return json_response(
        201, {"data": {"id": obj.id, "text": obj.text, "edit_history_tweet_ids": [obj.id]}}
    )


def seed_demo(state, account_id: str, token: str) -> None:
    """A demo account: the token with every scope, and two of the account's own posts."""
    state.grant(PLATFORM, token, account_id, PERMISSIONS)
    with state.lock:
        _x(state)["names"][account_id] = ACCOUNT_NAME
    state.set_profile(
        PLATFORM,
        account_id,
        name=ACCOUNT_NAME,
        description="Nyheter och information från Åtvidabergs kommun. Vi svarar vardagar 8–16.",
    )
    now = time.time()
    for offset, text in enumerate(
        (
            "Välkommen till kommunens konto på X! Här berättar vi om det som händer i kommunen.",
            "Biblioteket har öppet som vanligt i helgen. Vilka böcker vill du att vi köper in?",
        )
    ):
        state.add(
            PLATFORM,
            account_id,
            "post",
            text,
            author=ACCOUNT_NAME,
            by_account=True,
            created=now - 3600 * (2 - offset),
        )
