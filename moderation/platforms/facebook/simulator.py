"""Facebook's Graph API in the simulator: the endpoints FacebookConnector calls, in Graph's
JSON shape, from the simulator's state (see moderation/platforms/simulator/graph.py for
what Facebook and Instagram share)."""

import httpx

from ..simulator.app import SimRequest
from ..simulator.graph import Graph, fault_response, graph_error, not_found, page_of, timestamp
from ..simulator.state import SimObject, SimulatorState

__all__ = ["PERMISSIONS", "fault_response", "handle", "seed_demo"]

PLATFORM = "facebook"
GRAPH = Graph(PLATFORM)
PERMISSIONS = frozenset(
    {
        "pages_show_list",
        "pages_read_engagement",
        "pages_read_user_content",
        "pages_manage_engagement",
        "pages_manage_posts",
        "pages_messaging",
    }
)


# The profile in the simulator's terms: "description" is what Graph calls the page's
# "about" (the short text it shows first), "long_description" its "description".
DEMO_PROFILE = {
    "name": "Åtvidabergs kommun (demo)",
    "description": "Kommunens officiella sida. Vi svarar på frågor vardagar 8–16.",
    "long_description": (
        "Här berättar Åtvidabergs kommun om det som händer i kommunen. Frågor om ditt ärende "
        "når du säkrast via kontaktcenter."
    ),
}


def seed_demo(state: SimulatorState, account_id: str, token: str) -> None:
    state.grant(PLATFORM, token, account_id, PERMISSIONS)
    state.set_profile(PLATFORM, account_id, **DEMO_PROFILE)
    state.add(
        PLATFORM,
        account_id,
        "post",
        "Välkommen till vår sida! Här berättar vi om vad som händer i kommunen.",
        author="Åtvidabergs kommun (demo)",
        object_id=f"{account_id}_{state.new_id()}",
        by_account=True,
    )
    state.add(
        PLATFORM,
        account_id,
        "post",
        "Simhallen har nya öppettider från måndag: vardagar 6–20, helger 9–16.",
        author="Åtvidabergs kommun (demo)",
        object_id=f"{account_id}_{state.new_id()}",
        by_account=True,
    )


def render_post(obj: SimObject) -> dict:
    return {
        "id": obj.id,
        "message": obj.text,
        "from": {"id": obj.author_id, "name": obj.author},
        "created_time": timestamp(obj.created),
        "updated_time": timestamp(obj.updated),
        "permalink_url": f"https://www.facebook.com/{obj.id}",
    }


def render_comment(obj: SimObject) -> dict:
    body = {
        "id": obj.id,
        "message": obj.text,
        "from": {"id": obj.author_id, "name": obj.author},
        "created_time": timestamp(obj.created),
        "is_hidden": obj.hidden,
        "permalink_url": f"https://www.facebook.com/{obj.id}",
    }
    if obj.parent and obj.parent != obj.post:
        body["parent"] = {"id": obj.parent}
    return body


def _thread_updated(state: SimulatorState, post: SimObject) -> float:
    """A post's updated_time: its own, or the last change in its thread, as Graph counts a
    new comment."""
    latest = post.updated
    with state.lock:
        for obj in state.objects.values():
            if obj.platform == PLATFORM and obj.post == post.id:
                latest = max(latest, obj.updated, obj.created)
    return latest


def _posts(state, request, token) -> httpx.Response:
    posts = state.listing(PLATFORM, token.account, "post")
    posts = [p for p in posts if p.parent is None]
    since = request.params.get("since")
    if since and since.isdigit():
        posts = [p for p in posts if p.created > int(since)]
    until = request.params.get("until")
    if until and until.isdigit():
        posts = [p for p in posts if p.created < int(until)]
    posts.sort(key=lambda p: p.seq, reverse=True)

    def render(obj):
        body = render_post(obj)
        body["updated_time"] = timestamp(_thread_updated(state, obj))
        return body

    return GRAPH.respond(state, request, 200, page_of(request, posts, render, newest_first=True))


def _comments(state, request, token, post_id: str) -> httpx.Response:
    post = state.get(PLATFORM, post_id)
    if post is None or not post.visible or post.account != token.account:
        return not_found(post_id)
    if request.params.get("filter") == "toplevel":
        # Only what answers the node itself; else (stream) the whole thread.
        found = GRAPH.comments(state, lambda obj: obj.parent == post_id)
    else:
        found = GRAPH.comments(state, lambda obj: post_id in (obj.post, obj.parent))
    newest_first = request.params.get("order") == "reverse_chronological"
    if newest_first:
        found.reverse()
    return GRAPH.respond(
        state, request, 200, page_of(request, found, render_comment, newest_first=newest_first)
    )


def _reply(state, request, token, object_id: str) -> httpx.Response:
    target = state.get(PLATFORM, object_id)
    if target is None or not target.visible:
        return not_found(object_id)
    return GRAPH.answer(
        state,
        request,
        token,
        target,
        author="Åtvidabergs kommun (demo)",
        missing="(#100) Missing message or attachment",
    )


def _page(state: SimulatorState, request: SimRequest, token) -> httpx.Response:
    """The page node: the requested fields of its profile (and its id), as Graph answers."""
    stored = state.profile(PLATFORM, token.account)
    profile = {
        "name": stored.get("name", ""),
        "about": stored.get("description", ""),
        "description": stored.get("long_description", ""),
        "link": stored.get("link", f"https://www.facebook.com/{token.account}"),
    }
    wanted = [f for f in request.params.get("fields", "name").split(",") if f]
    body = {field: profile[field] for field in wanted if profile.get(field)}
    return GRAPH.respond(state, request, 200, {**body, "id": token.account})


def _node(state: SimulatorState, request: SimRequest, token, object_id: str) -> httpx.Response:
    if object_id in (token.account, "me") and request.method == "GET":
        return _page(state, request, token)
    obj = state.get(PLATFORM, object_id)
    if obj is None and object_id.startswith("t_") and request.method == "GET":
        return not_found(object_id)
    if obj is None or not obj.visible:
        return not_found(object_id)
    if request.method == "GET":
        render = (
            GRAPH.render_message
            if obj.kind == "message"
            else (render_post if obj.kind == "post" else render_comment)
        )
        return GRAPH.respond(state, request, 200, render(obj))
    if request.method == "DELETE":
        if obj.kind == "message":
            return graph_error(
                400,
                "(#3) Application does not have the capability to make this API call.",
                "OAuthException",
                3,
            )
        return GRAPH.remove(state, request, obj)
    if obj.kind == "message":
        return graph_error(400, "(#100) Invalid parameter", "OAuthException", 100)
    return GRAPH.set_hidden(
        state, request, obj, param="is_hidden", refusal="(#100) Invalid parameter"
    )


def _route(state: SimulatorState, request: SimRequest, token) -> httpx.Response:
    """The page's own nodes (the shared ones are `Graph.route_shared`'s)."""
    parts = [part for part in request.path.split("/") if part]
    method = request.method
    if len(parts) == 2 and parts[1] in ("posts", "feed") and method == "GET":
        if parts[0] not in (token.account, "me"):
            return graph_error(
                403,
                "(#10) This endpoint requires the 'pages_read_engagement' permission",
                "OAuthException",
                10,
            )
        return _posts(state, request, token)
    if len(parts) == 2 and parts[1] == "comments" and method == "GET":
        return _comments(state, request, token, parts[0])
    if len(parts) == 2 and parts[1] == "comments" and method == "POST":
        return _reply(state, request, token, parts[0])
    if len(parts) == 1 and method in ("GET", "POST", "DELETE"):
        return _node(state, request, token, parts[0])
    return graph_error(400, "Unknown path components", "OAuthException", 2500)


def handle(state: SimulatorState, request: SimRequest) -> httpx.Response:
    return GRAPH.handle(state, request, _route)
