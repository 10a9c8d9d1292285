"""Instagram's Graph API in the simulator: the endpoints InstagramConnector calls, in Graph's
JSON shape, from the simulator's state (what Facebook and Instagram share:
moderation/platforms/simulator/graph.py)."""

import httpx

from ..simulator.app import SimRequest
from ..simulator.graph import Graph, fault_response, graph_error, not_found, page_of, timestamp
from ..simulator.state import SimObject, SimulatorState

__all__ = ["PERMISSIONS", "fault_response", "handle", "seed_demo"]

PLATFORM = "instagram"
GRAPH = Graph(PLATFORM, messaging="instagram")
PERMISSIONS = frozenset(
    {
        "instagram_basic",
        "instagram_manage_comments",
        "instagram_manage_messages",
        "pages_show_list",
        "pages_read_engagement",
    }
)
USERNAME = "atvidabergs_kommun_demo"
# Replies shown with a comment (`replies{…}`); the rest on `/{comment-id}/replies`.
REPLIES_EXPANDED = 25


DEMO_PROFILE = {
    "name": "Åtvidabergs kommun (demo)",
    "username": USERNAME,
    # Instagram's "biography".
    "description": "Bilder och nyheter från Åtvidabergs kommun. Frågor? Skriv till oss här.",
}


def seed_demo(state: SimulatorState, account_id: str, token: str) -> None:
    state.grant(PLATFORM, token, account_id, PERMISSIONS)
    state.set_profile(PLATFORM, account_id, **DEMO_PROFILE)
    for caption in (
        "Höstlov på biblioteket: pyssel och sagostund hela veckan. #åtvidaberg",
        "Nu är den nya lekplatsen i parken klar. Välkomna!",
    ):
        state.add(PLATFORM, account_id, "post", caption, author=USERNAME, by_account=True)


def render_media(state: SimulatorState, obj: SimObject) -> dict:
    with state.lock:
        count = sum(
            1
            for other in state.objects.values()
            if other.platform == PLATFORM and other.post == obj.id and other.visible
        )
    return {
        "id": obj.id,
        "caption": obj.text,
        "media_type": "IMAGE",
        "permalink": f"https://www.instagram.com/p/{obj.id}/",
        "timestamp": timestamp(obj.created),
        "username": obj.author,
        "comments_count": count,
    }


def render_comment(obj: SimObject) -> dict:
    body = {
        "id": obj.id,
        "text": obj.text,
        "username": obj.author,
        "from": {"id": obj.author_id, "username": obj.author},
        "timestamp": timestamp(obj.created),
        "hidden": obj.hidden,
    }
    if obj.parent and obj.parent != obj.post:
        body["parent_id"] = obj.parent
    return body


def _media(state, request, token) -> httpx.Response:
    media = [m for m in state.listing(PLATFORM, token.account, "post") if m.parent is None]
    since = request.params.get("since")
    if since and since.isdigit():
        media = [m for m in media if m.created > int(since)]
    until = request.params.get("until")
    if until and until.isdigit():
        media = [m for m in media if m.created < int(until)]
    media.sort(key=lambda m: m.seq, reverse=True)
    return GRAPH.respond(
        state,
        request,
        200,
        page_of(request, media, lambda obj: render_media(state, obj), newest_first=True),
    )


def _comments(state, request, token, media_id: str) -> httpx.Response:
    media = state.get(PLATFORM, media_id)
    if media is None or not media.visible or media.account != token.account:
        return not_found(media_id)
    top = GRAPH.comments(state, lambda obj: obj.parent == media_id)
    replies: dict[str, list[SimObject]] = {}
    for obj in GRAPH.comments(state, lambda obj: obj.post == media_id != obj.parent):
        replies.setdefault(obj.parent, []).append(obj)
    # The expanded edge is paged as the edge itself is, its first page only.
    first_page = SimRequest("GET", request.path, {"limit": str(REPLIES_EXPANDED)}, None, {})

    def render(obj):
        body = render_comment(obj)
        below = replies.get(obj.id, [])
        if below:
            body["replies"] = page_of(first_page, below, render_comment, newest_first=False)
        return body

    return GRAPH.respond(state, request, 200, page_of(request, top, render, newest_first=False))


def _replies(state, request, token, comment_id: str) -> httpx.Response:
    comment = state.get(PLATFORM, comment_id)
    if (
        comment is None
        or not comment.visible
        or comment.kind != "comment"
        or comment.account != token.account
    ):
        return not_found(comment_id)
    below = GRAPH.comments(state, lambda obj: obj.parent == comment_id)
    return GRAPH.respond(
        state, request, 200, page_of(request, below, render_comment, newest_first=False)
    )


def _answer(state, request, token, object_id: str, edge: str) -> httpx.Response:
    target = state.get(PLATFORM, object_id)
    if target is None or not target.visible:
        return not_found(object_id)
    if (edge == "replies") != (target.kind == "comment"):
        return graph_error(400, "(#100) Unsupported post request", "GraphMethodException", 100)
    return GRAPH.answer(
        state,
        request,
        token,
        target,
        author=USERNAME,
        missing="(#100) The parameter message is required",
    )


def _account(state: SimulatorState, request: SimRequest, token) -> httpx.Response:
    """The IG User node: the requested fields of its profile (and its id)."""
    stored = state.profile(PLATFORM, token.account)
    profile = {
        "name": stored.get("name", ""),
        "username": stored.get("username", USERNAME),
        "biography": stored.get("description", ""),
    }
    wanted = [f for f in request.params.get("fields", "id").split(",") if f]
    body = {field: profile[field] for field in wanted if profile.get(field)}
    return GRAPH.respond(state, request, 200, {**body, "id": token.account})


def _node(state: SimulatorState, request: SimRequest, token, object_id: str) -> httpx.Response:
    if object_id == token.account and request.method == "GET":
        return _account(state, request, token)
    obj = state.get(PLATFORM, object_id)
    if obj is None or not obj.visible:
        return not_found(object_id)
    if request.method == "GET":
        if obj.kind == "message":
            return GRAPH.respond(state, request, 200, GRAPH.render_message(obj))
        render = render_comment if obj.kind == "comment" else (lambda o: render_media(state, o))
        return GRAPH.respond(state, request, 200, render(obj))
    if obj.kind != "comment":
        return graph_error(400, "(#100) Unsupported request", "GraphMethodException", 100)
    if request.method == "DELETE":
        return GRAPH.remove(state, request, obj)
    return GRAPH.set_hidden(
        state, request, obj, param="hide", refusal="(#100) Param hide must be a boolean"
    )


def _route(state: SimulatorState, request: SimRequest, token) -> httpx.Response:
    """The account's own nodes (the shared ones are `Graph.route_shared`'s)."""
    parts = [part for part in request.path.split("/") if part]
    method = request.method
    if len(parts) == 2 and parts[1] == "media" and method == "GET":
        if parts[0] != token.account:
            return graph_error(
                400,
                "(#10) Application does not have permission for this action",
                "OAuthException",
                10,
            )
        return _media(state, request, token)
    if len(parts) == 2 and parts[1] == "comments" and method == "GET":
        return _comments(state, request, token, parts[0])
    if len(parts) == 2 and parts[1] == "replies" and method == "GET":
        return _replies(state, request, token, parts[0])
    if len(parts) == 2 and parts[1] in ("comments", "replies") and method == "POST":
        return _answer(state, request, token, parts[0], parts[1])
    if len(parts) == 1 and method in ("GET", "POST", "DELETE"):
        return _node(state, request, token, parts[0])
    return graph_error(400, "Unknown path components", "OAuthException", 2500)


def handle(state: SimulatorState, request: SimRequest) -> httpx.Response:
    return GRAPH.handle(state, request, _route)
