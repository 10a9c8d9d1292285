"""WordPress (REST API wp/v2, under `sites/<site>/`) as the simulator shows it: exactly the
endpoints the connector calls, in WordPress's JSON, from the platform-neutral state.

Credentials are "username:application password" pairs granted as tokens
(`state.grant("wordpress", "user:pass", site, PERMISSIONS)`). A comment's WordPress status
is kept in `SimObject.status` ("approved", "hold", "trash"); a trashed one is `removed`.
The host's rate limit is simulated per credential: RATE_LIMIT calls per RATE_WINDOW seconds
(`state.usage["wordpress"]["limit"]` overrides it), shown in X-RateLimit-* headers.
"""

import base64
import datetime
import time

import httpx

from ..simulator.app import json_response

PLATFORM = "wordpress"
# The demo user is the blog's administrator: it may read the settings (the profile).
PERMISSIONS = ("moderate_comments", "edit_posts", "read", "manage_options")
RATE_LIMIT = 600
RATE_WINDOW = 60
DEFAULT_PER_PAGE = 10


def _error(status: int, code: str, message: str, headers=None) -> httpx.Response:
    return json_response(
        status, {"code": code, "message": message, "data": {"status": status}}, headers
    )


def fault_response(kind: str) -> httpx.Response:
    if kind == "rate_limit":
        return _error(429, "rest_too_many_requests", "Too many requests.", {"Retry-After": "120"})
    if kind == "expired":
        return _error(
            401,
            "incorrect_password",
            "The provided password is an invalid application password.",
        )
    return _error(
        500,
        "internal_server_error",
        "<p>There has been a critical error on this website.</p>",
    )


DEMO_USER = "demo"


def demo_credentials(account_id: str, token: str) -> dict:
    """The connection's credentials for a demo token: the demo user's application password."""
    return {"username": DEMO_USER, "application_password": token}


def seed_demo(state, account_id: str, token: str) -> None:
    """Grant `token` (the demo user's application password, or "user:application password")
    on the site and give it two posts."""
    credential = token if ":" in token else f"{DEMO_USER}:{token}"
    state.grant(PLATFORM, credential, account_id, PERMISSIONS)
    state.set_profile(
        PLATFORM,
        account_id,
        name="Bibliotekets blogg (demo)",
        description="Boktips, evenemang och nyheter från biblioteket i Åtvidaberg.",
    )
    for text in (
        "Sommarlovsläsning 2026\n\nNu drar sommarlovsläsningen igång på biblioteket!",
        "Nya öppettider i höst\n\nFrån 1 september har biblioteket öppet till 19 på torsdagar.",
    ):
        state.add(PLATFORM, account_id, "post", text, author="Biblioteket", by_account=True)


def _credential(request) -> str:
    value = request.headers.get("authorization", "")
    if not value.lower().startswith("basic "):
        return ""
    try:
        return base64.b64decode(value[6:].strip()).decode("utf-8")
    except ValueError:
        return ""


def _gmt(moment: float) -> str:
    return datetime.datetime.fromtimestamp(moment, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _since(value: str | None) -> float | None:
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.timestamp()


def _status(obj) -> str:
    if obj.removed:
        return "trash"
    return obj.status or ("hold" if obj.hidden else "approved")


def comment_json(state, obj, site: str) -> dict:
    above = state.get(PLATFORM, obj.parent) if obj.parent else None
    is_reply = above is not None and above.kind == "comment"
    return {
        "id": int(obj.id),
        "post": int(obj.post or obj.parent or 0),
        "parent": int(obj.parent) if is_reply else 0,
        "author": 1 if obj.by_account else 0,
        "author_name": obj.author,
        "author_email": "",
        "author_url": "",
        "date": _gmt(obj.created),
        "date_gmt": _gmt(obj.created),
        "content": {"rendered": f"<p>{obj.text}</p>\n", "raw": obj.text},
        "link": f"https://{site}/?p={obj.post or obj.parent}#comment-{obj.id}",
        "status": _status(obj),
        "type": "comment",
        "author_avatar_urls": {},
        "meta": [],
    }


def post_json(obj, site: str) -> dict:
    title, _sep, body = obj.text.partition("\n\n")
    return {
        "id": int(obj.id),
        "date": _gmt(obj.created),
        "date_gmt": _gmt(obj.created),
        "modified": _gmt(obj.updated),
        "modified_gmt": _gmt(obj.updated),
        "slug": f"inlagg-{obj.id}",
        "status": "trash" if obj.removed else "publish",
        "type": "post",
        "link": f"https://{site}/?p={obj.id}",
        "title": {"raw": title, "rendered": title},
        "content": {"raw": body, "rendered": f"<p>{body}</p>\n", "protected": False},
        "author": 1,
        "comment_status": "open",
    }


def _rate(state, credential: str) -> tuple[int, int, int]:
    """(limit, calls left, reset epoch) after counting this call."""
    with state.lock:
        usage = state.usage.setdefault(PLATFORM, {})
        limit = int(usage.get("limit", RATE_LIMIT))
        window = usage.setdefault("windows", {}).get(credential)
        now = time.time()
        if window is None or window[0] + RATE_WINDOW <= now:
            window = [now, 0]
            usage["windows"][credential] = window
        window[1] += 1
        return limit, limit - window[1], int(window[0] + RATE_WINDOW)


def _paged(found: list, params: dict) -> tuple[list, dict] | httpx.Response:
    try:
        per_page = max(1, min(100, int(params.get("per_page", DEFAULT_PER_PAGE))))
        page = max(1, int(params.get("page", 1)))
    except ValueError:
        return _error(400, "rest_invalid_param", "Invalid parameter(s): page")
    pages = max(1, -(-len(found) // per_page))
    if page > pages and found:
        return _error(
            400,
            "rest_post_invalid_page_number",
            "The page number requested is larger than the number of pages available.",
        )
    chunk = found[(page - 1) * per_page : page * per_page]
    return chunk, {"X-WP-Total": str(len(found)), "X-WP-TotalPages": str(pages)}


def handle(state, request) -> httpx.Response:
    parts = request.path.strip("/").split("/")
    if len(parts) < 2 or parts[0] != "sites":
        return _error(404, "rest_no_route", "No route was found matching the URL.")
    site, route = parts[1], parts[2:]
    credential = _credential(request)
    token = state.token(PLATFORM, credential) if credential else None
    if token is None or token.expired or token.account != site:
        return _error(
            401,
            "incorrect_password",
            "The provided password is an invalid application password.",
        )
    limit, left, reset = _rate(state, credential)
    headers = {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(max(left, 0)),
        "X-RateLimit-Reset": str(reset),
    }
    if left < 0:
        return _error(
            429,
            "rest_too_many_requests",
            "Too many requests.",
            headers | {"Retry-After": str(max(1, int(reset - time.time())))},
        )
    answer = _route(state, request, site, route, token)
    answer.headers.update(headers)
    return answer


def _route(state, request, site, route, token) -> httpx.Response:
    method, params = request.method, request.params
    if route == ["settings"] and method == "GET":
        # Only a user who may change the site's settings reads them.
        if "manage_options" not in token.permissions:
            return _error(403, "rest_forbidden", "Sorry, you are not allowed to do that.")
        profile = state.profile(PLATFORM, site)
        return json_response(
            200,
            {
                "title": profile.get("name", site),
                "description": profile.get("description", ""),
                "url": f"https://{site}",
            },
        )
    if route == ["users", "me"] and method == "GET":
        return json_response(
            200,
            {
                "id": 1,
                "name": "Kommunens redaktör",
                "capabilities": dict.fromkeys(token.permissions, True),
            },
        )
    if route == ["posts"] and method == "GET":
        since = _since(params.get("modified_after"))
        found = [
            obj
            for obj in state.listing(PLATFORM, site, "post")
            if since is None or obj.updated > since
        ]
        found.sort(key=lambda obj: (obj.updated, int(obj.id)))
        paged = _paged(found, params)
        if isinstance(paged, httpx.Response):
            return paged
        chunk, headers = paged
        return json_response(200, [post_json(obj, site) for obj in chunk], headers)
    if route == ["comments"] and method == "GET":
        return _comments(state, params, site)
    if route == ["comments"] and method == "POST":
        return _reply(state, request.body, site)
    if len(route) == 2 and route[0] in ("comments", "posts"):
        kind = "comment" if route[0] == "comments" else "post"
        obj = state.get(PLATFORM, route[1])
        if obj is None or obj.account != site or obj.kind != kind or obj.deleted:
            code = "rest_comment_invalid_id" if kind == "comment" else "rest_post_invalid_id"
            return _error(404, code, "Invalid ID.")
        if method == "GET":
            return json_response(200, comment_json(state, obj, site))
        if method == "POST" and kind == "comment":
            return _set_status(state, obj, request.body, site)
        if method == "DELETE":
            if obj.removed:
                return _error(410, "rest_already_trashed", "The item has already been trashed.")
            with state.lock:
                obj.removed = True
                obj.status = "trash"
            body = comment_json(state, obj, site) if kind == "comment" else post_json(obj, site)
            return json_response(200, body)
    return _error(404, "rest_no_route", "No route was found matching the URL and request method.")


def _comments(state, params, site) -> httpx.Response:
    if params.get("include"):
        wanted = set(params["include"].split(","))
        found = [
            obj
            for obj in state.listing(PLATFORM, site, "comment")
            if obj.id in wanted and _status(obj) in ("approved", "hold")
        ]
    else:
        since = _since(params.get("after"))
        found = [
            obj
            for obj in state.listing(PLATFORM, site, "comment")
            if (since is None or obj.created > since)
            and (params.get("status", "approve") == "all" or _status(obj) == "approved")
        ]
    # parent, post and author narrow the list as WordPress's own arguments do.
    for name in ("parent", "post", "author"):
        if params.get(name) is not None:
            found = [
                obj
                for obj in found
                if str(comment_json(state, obj, site)[name]) == str(params[name])
            ]
    found.sort(key=lambda obj: (obj.created, int(obj.id)), reverse=params.get("order") == "desc")
    paged = _paged(found, params)
    if isinstance(paged, httpx.Response):
        return paged
    chunk, headers = paged
    return json_response(200, [comment_json(state, obj, site) for obj in chunk], headers)


def _set_status(state, obj, body, site) -> httpx.Response:
    wanted = body.get("status") if isinstance(body, dict) else None
    if wanted not in ("hold", "approved", "approve"):
        return _error(400, "rest_invalid_param", "Invalid parameter(s): status")
    with state.lock:
        obj.status = "hold" if wanted == "hold" else "approved"
        obj.hidden = wanted == "hold"
    return json_response(200, comment_json(state, obj, site))


def _reply(state, body, site) -> httpx.Response:
    if not isinstance(body, dict) or not str(body.get("content") or "").strip():
        return _error(400, "rest_comment_content_invalid", "Invalid comment content.")
    post = state.get(PLATFORM, str(body.get("post")))
    if post is None or post.kind != "post" or post.account != site or not post.visible:
        return _error(
            403,
            "rest_comment_invalid_post_id",
            "Sorry, you are not allowed to create this comment without a post.",
        )
    parent = str(body.get("parent") or 0)
    if parent != "0":
        above = state.get(PLATFORM, parent)
        if above is None or above.kind != "comment" or above.account != site:
            return _error(400, "rest_comment_invalid_parent", "Invalid comment parent.")
    else:
        parent = post.id
    obj = state.add(
        PLATFORM,
        site,
        "comment",
        str(body["content"]),
        author="Kommunens redaktör",
        parent=parent,
        by_account=True,
    )
    obj.status = "approved"
    return json_response(201, comment_json(state, obj, site))
