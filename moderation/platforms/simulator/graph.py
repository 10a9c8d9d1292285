"""Meta's Graph API as the Facebook and Instagram simulators serve it: the token check, the
usage headers (calls per token per hour), Graph's error JSON, cursor paging, `debug_token`,
the batch request, the routes both platforms serve alike (`route_shared`: the batch,
`debug_token`, Messenger and Instagram Direct conversations), and on comments the
account's answers, hiding and removal. Each platform's simulator.py adds its own nodes (a
page's posts and comments, an Instagram account's media, comments and replies)."""

import base64
import datetime
import json
import time

import httpx

from .app import SimRequest, json_response
from .state import SimObject, SimulatorState

# Calls one token may make in an hour before Graph refuses (error 4); the usage header
# reports the share used, as X-App-Usage does.
CALLS_PER_HOUR = 200
DEFAULT_LIMIT = 25
MAX_LIMIT = 100


def graph_error(status: int, message: str, kind: str, code: int, subcode: int | None = None):
    error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfGhIjK"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return json_response(status, {"error": error})


def fault_response(kind: str) -> httpx.Response:
    if kind == "rate_limit":
        response = graph_error(400, "(#4) Application request limit reached", "OAuthException", 4)
        response.headers["x-app-usage"] = json.dumps(
            {"call_count": 100, "total_cputime": 20, "total_time": 30}
        )
        return response
    if kind == "expired":
        return graph_error(
            400,
            "Error validating access token: Session has expired on Sunday, 06-Dec-26 10:00:00 PST.",
            "OAuthException",
            190,
            463,
        )
    return graph_error(
        500,
        "An unexpected error has occurred. Please retry your request later.",
        "OAuthException",
        2,
    )


def not_found(object_id: str) -> httpx.Response:
    return graph_error(
        400,
        f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation.",
        "GraphMethodException",
        100,
        33,
    )


def timestamp(epoch: float) -> str:
    return datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC).strftime(
        "%Y-%m-%dT%H:%M:%S+0000"
    )


def encode_after(seq: int) -> str:
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode()


def decode_after(token: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    if not text.startswith("seq:"):
        return None
    try:
        return int(text[4:])
    except ValueError:
        return None


def limit_of(request: SimRequest) -> int:
    try:
        return max(1, min(MAX_LIMIT, int(request.params.get("limit", DEFAULT_LIMIT))))
    except ValueError:
        return DEFAULT_LIMIT


def page_of(request: SimRequest, objects: list[SimObject], render, *, newest_first: bool):
    """One page of `objects` (already in order) after the request's `after` cursor, in
    Graph's {"data", "paging"} shape; the cursor is the last object's arrival number."""
    after = decode_after(request.params.get("after", "")) if request.params.get("after") else None
    if after is not None:
        objects = [o for o in objects if (o.seq < after if newest_first else o.seq > after)]
    limit = limit_of(request)
    page = objects[:limit]
    body = {"data": [render(o) for o in page]}
    if page:
        body["paging"] = {
            "cursors": {"before": encode_after(page[0].seq), "after": encode_after(page[-1].seq)}
        }
        if len(objects) > limit:
            body["paging"]["next"] = (
                f"https://graph.facebook.com/v21.0/next?access_token=secret&after={encode_after(page[-1].seq)}"
            )
    return body


class Graph:
    """The shared part of a Graph simulator for one platform ("facebook", "instagram");
    `messaging` is the conversations' platform parameter it serves ("messenger" when none
    is given, as Graph reads it)."""

    def __init__(self, platform: str, *, messaging: str = "messenger"):
        self.platform = platform
        self.messaging = messaging

    def route_shared(self, state, request: SimRequest, token, route) -> httpx.Response | None:
        """The endpoints both platforms serve alike: the batch (each call answered by
        `route`), `debug_token` and the direct messages; None for any other."""
        parts = [part for part in request.path.split("/") if part]
        method = request.method
        if method == "POST" and not parts:
            return self.batch(state, request, token, route)
        if parts == ["debug_token"] and method == "GET":
            return self.debug_token(state, request, token)
        if parts == ["me", "conversations"] and method == "GET":
            if request.params.get("platform", "messenger") != self.messaging:
                return graph_error(
                    400, f"(#100) Param platform must be {self.messaging}", "OAuthException", 100
                )
            return self.conversations(state, request, token)
        if parts == ["me", "messages"] and method == "POST":
            return self.send_message(state, request, token)
        if len(parts) == 2 and parts[1] == "messages" and method == "GET":
            return self.messages(state, request, token, parts[0])
        return None

    def dispatch(self, state, request: SimRequest, token, route) -> httpx.Response:
        """The shared endpoints, else the platform's own (`route(state, request, token)`)."""
        shared = self.route_shared(state, request, token, route)
        return shared if shared is not None else route(state, request, token)

    def handle(self, state: SimulatorState, request: SimRequest, route) -> httpx.Response:
        """A call to the platform: the token checked, then `dispatch`."""
        token, refusal = self.authorise(state, request)
        if refusal is not None:
            return refusal
        return self.dispatch(state, request, token, route)

    # --- Comments (reading them, the account's answers, hiding, removing) ---------------

    def comments(self, state: SimulatorState, where) -> list[SimObject]:
        """The platform's visible comments for which `where(comment)` holds, as they
        arrived."""
        with state.lock:
            found = [
                obj
                for obj in state.objects.values()
                if obj.platform == self.platform
                and obj.kind == "comment"
                and obj.visible
                and where(obj)
            ]
        return sorted(found, key=lambda obj: obj.seq)

    def answer(self, state, request, token, target: SimObject, *, author: str, missing: str):
        """`POST /{id}/comments` or `/replies`: the account's comment under `target`."""
        body = request.body if isinstance(request.body, dict) else {}
        message = body.get("message") or request.params.get("message")
        if not message:
            return graph_error(400, missing, "OAuthException", 100)
        reply = state.add(
            self.platform,
            token.account,
            "comment",
            message,
            author=author,
            parent=target.id,
            by_account=True,
        )
        return self.respond(state, request, 200, {"id": reply.id})

    def set_hidden(self, state, request, obj: SimObject, *, param: str, refusal: str):
        """`POST /{comment-id}` with `param` "true" or "false"."""
        body = request.body if isinstance(request.body, dict) else {}
        value = body.get(param, request.params.get(param))
        if value not in ("true", "false"):
            return graph_error(400, refusal, "OAuthException", 100)
        with state.lock:
            obj.hidden = value == "true"
        return self.respond(state, request, 200, {"success": True})

    def remove(self, state, request, obj: SimObject):
        """`DELETE /{comment-id}`: removed by the account."""
        with state.lock:
            obj.removed = True
            obj.updated = time.time()
        return self.respond(state, request, 200, {"success": True})

    def usage_headers(self, state: SimulatorState, bearer: str) -> dict:
        with state.lock:
            usage = state.usage.setdefault(self.platform, {})
            share = min(100, int(usage.get(bearer, 0) * 100 / CALLS_PER_HOUR))
        return {
            "x-app-usage": json.dumps(
                {"call_count": share, "total_cputime": share // 2, "total_time": share // 2}
            )
        }

    def authorise(self, state: SimulatorState, request: SimRequest):
        """The token and None, or None and the error answer. Counts the call for the usage
        headers and refuses past the hourly limit, as Graph does."""
        bearer = request.bearer or request.params.get("access_token", "")
        token = state.token(self.platform, bearer) if bearer else None
        if token is None:
            return None, graph_error(
                400, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190
            )
        if token.expired:
            return None, fault_response("expired")
        with state.lock:
            usage = state.usage.setdefault(self.platform, {})
            usage[bearer] = usage.get(bearer, 0) + 1
            over = usage[bearer] > CALLS_PER_HOUR
        if over:
            response = graph_error(
                400, "(#4) Application request limit reached", "OAuthException", 4
            )
            response.headers.update(self.usage_headers(state, bearer))
            return None, response
        return token, None

    def respond(self, state, request, status: int, payload) -> httpx.Response:
        response = json_response(status, payload)
        response.headers.update(self.usage_headers(state, request.bearer))
        return response

    def debug_token(self, state, request, token) -> httpx.Response:
        inspected = state.token(self.platform, request.params.get("input_token", ""))
        if inspected is None:
            data = {"is_valid": False, "scopes": []}
        else:
            data = {
                "app_id": "138483919580948",
                "type": "PAGE",
                "application": "Atvida Social (simulator)",
                "expires_at": 0,
                "is_valid": not inspected.expired,
                "issued_at": 1764000000,
                "profile_id": inspected.account,
                "scopes": sorted(inspected.permissions),
                "user_id": "10215346312345678",
            }
        return self.respond(state, request, 200, {"data": data})

    def batch(self, state, request, token, route) -> httpx.Response:
        """POST / with batch=[{method, relative_url}]: each read answered on its own."""
        body = request.body if isinstance(request.body, dict) else {}
        try:
            calls = json.loads(body.get("batch", ""))
        except ValueError:
            calls = None
        if not isinstance(calls, list) or not calls or len(calls) > 50:
            return graph_error(
                400,
                "(#100) Too many requests in batch message. Maximum batch size is 50",
                "OAuthException",
                100,
            )
        answers = []
        for call in calls:
            relative = str(call.get("relative_url", "")) if isinstance(call, dict) else ""
            path, _sep, query = relative.partition("?")
            params = dict(pair.split("=", 1) for pair in query.split("&") if "=" in pair)
            sub = SimRequest(
                method=str(call.get("method", "GET")).upper() if isinstance(call, dict) else "GET",
                path="/" + path.lstrip("/"),
                params=params,
                body=None,
                headers=request.headers,
            )
            answer = self.dispatch(state, sub, token, route)
            answers.append(
                {"code": answer.status_code, "headers": [], "body": answer.content.decode()}
            )
        return self.respond(state, request, 200, answers)

    # --- Messaging (Messenger, Instagram Direct) ----------------------------------------

    @staticmethod
    def conversation_key(state: SimulatorState, obj: SimObject) -> str:
        if obj.by_account and obj.parent:
            root = state.get(obj.platform, obj.post or obj.parent)
            return f"t_{root.author_id}" if root else f"t_{obj.author_id}"
        return f"t_{obj.author_id}"

    def conversations(self, state, request, token) -> httpx.Response:
        messages = state.listing(self.platform, token.account, "message")
        latest: dict[str, SimObject] = {}
        for message in messages:
            key = self.conversation_key(state, message)
            if key not in latest or message.created >= latest[key].created:
                latest[key] = message
        # A conversation is listed by its latest message: as a stand-in object with its key.
        rows = sorted(latest.items(), key=lambda pair: (pair[1].created, pair[1].seq), reverse=True)
        # user_id: only the conversation with that person.
        if request.params.get("user_id"):
            rows = [row for row in rows if row[0] == f"t_{request.params['user_id']}"]
        after = (
            decode_after(request.params.get("after", "")) if request.params.get("after") else None
        )
        position = 0
        if after is not None:
            position = after
        limit = limit_of(request)
        page = rows[position : position + limit]
        body = {
            "data": [
                {"id": key, "updated_time": timestamp(message.created)} for key, message in page
            ]
        }
        if page:
            body["paging"] = {
                "cursors": {
                    "before": encode_after(position),
                    "after": encode_after(position + len(page)),
                }
            }
            if position + limit < len(rows):
                body["paging"]["next"] = "https://graph.facebook.com/v21.0/next"
        return self.respond(state, request, 200, body)

    def messages(self, state, request, token, conversation: str) -> httpx.Response:
        found = [
            m
            for m in state.listing(self.platform, token.account, "message")
            if self.conversation_key(state, m) == conversation
        ]
        found.sort(key=lambda m: m.seq, reverse=True)
        return self.respond(
            state, request, 200, page_of(request, found, self.render_message, newest_first=True)
        )

    def render_message(self, obj: SimObject) -> dict:
        return {
            "id": obj.id,
            "message": obj.text,
            # Instagram names a sender by its username, Messenger by its name.
            "from": {
                "id": obj.author_id,
                ("username" if self.platform == "instagram" else "name"): obj.author,
            },
            "created_time": timestamp(obj.created),
        }

    def send_message(self, state, request, token) -> httpx.Response:
        body = request.body if isinstance(request.body, dict) else {}
        try:
            recipient = json.loads(body.get("recipient", "")).get("id")
            text = json.loads(body.get("message", "")).get("text")
        except (ValueError, AttributeError):
            recipient = text = None
        if not recipient or not isinstance(text, str):
            return graph_error(
                400, "(#100) Param recipient must be non-empty.", "OAuthException", 100
            )
        last = [
            m
            for m in state.listing(self.platform, token.account, "message")
            if m.author_id == recipient and not m.by_account
        ]
        if not last:
            return graph_error(400, "(#100) No matching user found", "OAuthException", 100, 2018001)
        reply = state.add(
            self.platform,
            token.account,
            "message",
            text,
            author="Sidan",
            parent=last[-1].id,
            by_account=True,
        )
        return self.respond(
            state, request, 200, {"recipient_id": recipient, "message_id": reply.id}
        )


def now() -> float:
    return time.time()
