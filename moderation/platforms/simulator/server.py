"""The simulator as a small HTTP server, for the demo (`make run`) and the browser tests.

Each request becomes an `httpx.Request` for `app.handle`, the same front door the tests use
in-process, and its answer is written back. Stdlib only (wsgiref, one thread per request);
it binds to the loopback interface and nothing else, reads at most MAX_BODY_BYTES of a
request, and never logs a query string (a Graph API URL carries its access token there).

A small admin API under /_sim/ (JSON) lets the browser tests set the world up:
  GET  /_sim/state                  a summary of the world (never a token)
  GET  /_sim/object?platform=&id=   one object's state (hidden, deleted, removed, text)
  POST /_sim/reset   {"empty": false}  empty the world, then apply the demo seed again
                                        unless "empty" is true (and pause the trickle then)
  POST /_sim/seed    {"platform", "account", "token"}  a demo account (its seed_demo)
  POST /_sim/fault   {"platform", "kind", "path": "", "times": 1, "seconds": 0}
  POST /_sim/comment {"platform", "account", "text", "author": "", "kind": "comment",
                      "parent": null}  a citizen's comment (on the account's newest post
                      when no parent is given) or direct message ("kind": "message")
  POST /_sim/profile {"platform", "account", "name": "", "description": ""}  change the
                      account's profile (a field left out or empty is kept)
  POST /_sim/trickle {"on": true}   pause or resume the trickle
"""

import http
import ipaddress
import json
import logging
import socketserver
import threading
import traceback
from urllib.parse import quote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

import httpx

from . import app
from .seeding import SeedEntry, apply_seed
from .state import Fault, SimulatorState
from .trickle import Account, Trickle

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
# An admin field's longest value; a comment's text may be as long as an item's (64 KB).
MAX_FIELD_CHARS = 200
MAX_TEXT_BYTES = 64 * 1024
MAX_DESCRIPTION_CHARS = 5000
FAULT_KINDS = ("rate_limit", "expired", "server_error", "slow", "cut_short")
MAX_FAULT_TIMES = 1000
MAX_FAULT_SECONDS = 30.0
# Headers a WSGI application may not set, or that the server sets itself.
SKIPPED_HEADERS = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "content-encoding",
}
BANNER = (
    "DEMOPLATTFORM: plattformssimulatorn svarar på http://{host}:{port}/ "
    "(bara för demo och test; inga riktiga plattformar nås)"
)


class BadRequest(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SimulatorApp:
    """The WSGI application: the admin API under /_sim/, every other path to `app.handle`."""

    def __init__(
        self,
        state: SimulatorState = app.STATE,
        *,
        seed: list[SeedEntry] | None = None,
        trickle: Trickle | None = None,
    ):
        self.state = state
        self.seed = list(seed or [])
        self.trickle = trickle
        self.lock = threading.Lock()
        self.applied: list[SeedEntry] = []
        self._apply(self.seed)

    def _apply(self, entries: list[SeedEntry]) -> None:
        applied = apply_seed(self.state, entries)
        self.applied.extend(applied)
        if self.trickle is not None:
            known = set(self.trickle.accounts)
            for entry in applied:
                account = Account(entry.platform, entry.account)
                if account not in known:
                    self.trickle.accounts.append(account)
                    known.add(account)

    # --- WSGI -------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        try:
            body = _read_body(environ)
            path = _path(environ)
            if path == "/_sim" or path.startswith("/_sim/"):
                status, headers, content = self._admin(environ["REQUEST_METHOD"], path, environ)
            else:
                status, headers, content = self._platform(environ, path, body)
        except BadRequest as error:
            status, headers, content = _json(error.status, {"error": error.message})
        except Exception:
            logger.error("The simulator failed:\n%s", traceback.format_exc())
            status, headers, content = _json(500, {"error": "Simulatorn fick ett internt fel."})
        phrase = _phrase(status)
        start_response(f"{status} {phrase}", [*headers, ("Content-Length", str(len(content)))])
        return [content]

    def _platform(self, environ, path: str, body: bytes):
        headers = [
            (name[5:].replace("_", "-").lower(), value)
            for name, value in environ.items()
            if name.startswith("HTTP_")
        ]
        if environ.get("CONTENT_TYPE"):
            headers.append(("content-type", environ["CONTENT_TYPE"]))
        url = httpx.URL("http://127.0.0.1/").copy_with(
            raw_path=(_quote(environ.get("PATH_INFO", "/")) + _query(environ)).encode("ascii")
        )
        request = httpx.Request(environ["REQUEST_METHOD"], url, headers=headers, content=body)
        response = app.handle(request, self.state)
        content = response.content
        out = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in SKIPPED_HEADERS
        ]
        return response.status_code, out, content

    # --- The admin API ----------------------------------------------------------------

    def _admin(self, method: str, path: str, environ):
        routes = {
            ("GET", "/_sim/state"): self._state,
            ("GET", "/_sim/object"): self._object,
            ("POST", "/_sim/reset"): self._reset,
            ("POST", "/_sim/seed"): self._seed,
            ("POST", "/_sim/fault"): self._fault,
            ("POST", "/_sim/comment"): self._comment,
            ("POST", "/_sim/profile"): self._profile,
            ("POST", "/_sim/trickle"): self._trickle,
        }
        handler = routes.get((method, path))
        if handler is None:
            if any(route_path == path for _method, route_path in routes):
                raise BadRequest(405, "Metoden stöds inte här.")
            raise BadRequest(404, "Okänd adress i simulatorns administration.")
        if method == "GET":
            payload = dict(httpx.QueryParams(environ.get("QUERY_STRING", "")))
        else:
            payload = _json_body(environ["atvida.body"])
        return _json(200, handler(payload))

    def _state(self, payload: dict) -> dict:
        with self.state.lock:
            objects = list(self.state.objects.values())
            accounts = sorted(
                {(token.platform, token.account) for token in self.state.tokens.values()}
            )
            faults = [
                {"platform": f.platform, "kind": f.kind, "path": f.path, "times": f.times}
                for f in self.state.faults
            ]
            calls = len(self.state.calls)
        platforms = {}
        for platform, account in accounts:
            platforms.setdefault(platform, {"accounts": [], "objects": {}})
            platforms[platform]["accounts"].append(account)
        for obj in objects:
            summary = platforms.setdefault(obj.platform, {"accounts": [], "objects": {}})
            counts = summary["objects"].setdefault(
                obj.kind, {"visible": 0, "hidden": 0, "deleted": 0, "removed": 0}
            )
            counts["visible"] += obj.visible and not obj.hidden
            counts["hidden"] += obj.hidden
            counts["deleted"] += obj.deleted
            counts["removed"] += obj.removed
        return {
            "demo": True,
            "platforms": platforms,
            "faults": faults,
            "calls": calls,
            "trickle": self.trickle is not None and not self.trickle.paused,
        }

    def _object(self, payload: dict) -> dict:
        platform = _field(payload, "platform", choices=app.PLATFORMS)
        obj = self.state.get(platform, _field(payload, "id"))
        if obj is None:
            raise BadRequest(404, "Objektet finns inte i simulatorn.")
        return {
            "id": obj.id,
            "platform": obj.platform,
            "account": obj.account,
            "kind": obj.kind,
            "text": obj.text,
            "parent": obj.parent,
            "hidden": obj.hidden,
            "deleted": obj.deleted,
            "removed": obj.removed,
            "status": obj.status,
            "edits": len(obj.edits),
            "by_account": obj.by_account,
        }

    def _reset(self, payload: dict) -> dict:
        empty = payload.get("empty", False)
        if not isinstance(empty, bool):
            raise BadRequest(400, "”empty” ska vara true eller false.")
        with self.lock:
            self.state.reset()
            self.applied = []
            if self.trickle is not None:
                self.trickle.accounts.clear()
                self.trickle.paused = empty
            if not empty:
                self._apply(self.seed)
        return {"accounts": len(self.applied)}

    def _seed(self, payload: dict) -> dict:
        entry = SeedEntry(
            _field(payload, "platform", choices=app.PLATFORMS),
            _field(payload, "account"),
            _field(payload, "token"),
        )
        with self.lock:
            before = len(self.applied)
            self._apply([entry])
            if len(self.applied) == before:
                raise BadRequest(400, "Plattformen har ingen simulator för demokonton.")
        return {"platform": entry.platform, "account": entry.account}

    def _fault(self, payload: dict) -> dict:
        platform = _field(payload, "platform", choices=app.PLATFORMS)
        kind = _field(payload, "kind", choices=FAULT_KINDS)
        path = _field(payload, "path", required=False)
        times = payload.get("times", 1)
        seconds = payload.get("seconds", 0)
        if (
            not isinstance(times, int)
            or isinstance(times, bool)
            or not 1 <= times <= MAX_FAULT_TIMES
        ):
            raise BadRequest(400, f"”times” ska vara ett heltal 1–{MAX_FAULT_TIMES}.")
        if (
            not isinstance(seconds, int | float)
            or isinstance(seconds, bool)
            or not 0 <= seconds <= MAX_FAULT_SECONDS
        ):
            raise BadRequest(400, f"”seconds” ska vara 0–{MAX_FAULT_SECONDS:g}.")
        self.state.inject(Fault(platform, kind, path=path, times=times, seconds=float(seconds)))
        return {"platform": platform, "kind": kind, "path": path, "times": times}

    def _comment(self, payload: dict) -> dict:
        platform = _field(payload, "platform", choices=app.PLATFORMS)
        account = _field(payload, "account")
        kind = _field(payload, "kind", required=False) or "comment"
        if kind not in ("comment", "message"):
            raise BadRequest(400, "”kind” ska vara comment eller message.")
        text = payload.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadRequest(400, "”text” saknas.")
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            raise BadRequest(400, "”text” är för lång.")
        author = _field(payload, "author", required=False) or "Demo Medborgare"
        parent = _field(payload, "parent", required=False) or None
        if kind == "comment" and parent is None:
            posts = self.state.listing(platform, account, "post")
            if not posts:
                raise BadRequest(400, "Kontot har inget inlägg att kommentera.")
            parent = posts[-1].id
        if parent is not None and self.state.get(platform, parent) is None:
            raise BadRequest(400, "”parent” finns inte i simulatorn.")
        obj = self.state.add(platform, account, kind, text, author=author, parent=parent)
        return {"id": obj.id, "platform": platform, "account": account, "parent": parent}

    def _profile(self, payload: dict) -> dict:
        platform = _field(payload, "platform", choices=app.PLATFORMS)
        account = _field(payload, "account")
        changes = {}
        name = _field(payload, "name", required=False)
        if name:
            changes["name"] = name
        description = payload.get("description", "")
        if not isinstance(description, str) or len(description) > MAX_DESCRIPTION_CHARS:
            raise BadRequest(400, f"”description” ska vara högst {MAX_DESCRIPTION_CHARS} tecken.")
        if description:
            changes["description"] = description
        if not changes:
            raise BadRequest(400, "Ange ”name” eller ”description”.")
        profile = self.state.set_profile(platform, account, **changes)
        return {"platform": platform, "account": account, "name": profile.get("name", "")}

    def _trickle(self, payload: dict) -> dict:
        on = payload.get("on")
        if not isinstance(on, bool):
            raise BadRequest(400, "”on” ska vara true eller false.")
        if self.trickle is None:
            raise BadRequest(400, "Servern kör utan strömmen av demokommentarer.")
        self.trickle.paused = not on
        return {"trickle": on}


# --- Parsing --------------------------------------------------------------------------


def _read_body(environ) -> bytes:
    """The request's body, at most MAX_BODY_BYTES (a larger one is refused unread)."""
    raw = environ.get("CONTENT_LENGTH") or "0"
    try:
        length = int(raw)
    except ValueError:
        raise BadRequest(400, "Ogiltig Content-Length.") from None
    if length < 0:
        raise BadRequest(400, "Ogiltig Content-Length.")
    if length > MAX_BODY_BYTES:
        raise BadRequest(413, "Förfrågan är för stor.")
    if environ.get("HTTP_TRANSFER_ENCODING"):
        raise BadRequest(411, "Ange Content-Length.")
    body = environ["wsgi.input"].read(length) if length else b""
    environ["atvida.body"] = body
    return body


def _path(environ) -> str:
    # WSGI hands the path over as latin-1 of its bytes.
    return environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")


def _quote(raw: str) -> str:
    """A WSGI (latin-1) path or query back to the ASCII of a URL, its bytes kept."""
    return quote(raw, safe="/:@!$&'()*+,;=-._~%?", encoding="latin-1")


def _query(environ) -> str:
    query = environ.get("QUERY_STRING", "")
    return "?" + _quote(query) if query else ""


def _json_body(body: bytes) -> dict:
    if not body:
        return {}
    try:
        payload = json.loads(body)
    except ValueError:
        raise BadRequest(400, "Kroppen är inte JSON.") from None
    if not isinstance(payload, dict):
        raise BadRequest(400, "Kroppen ska vara ett JSON-objekt.")
    return payload


def _field(payload: dict, name: str, *, choices=None, required: bool = True) -> str:
    value = payload.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > MAX_FIELD_CHARS or "\n" in value:
        raise BadRequest(400, f"”{name}” är ogiltigt.")
    if required and not value:
        raise BadRequest(400, f"”{name}” saknas.")
    if choices is not None and value not in choices:
        raise BadRequest(400, f"”{name}” ska vara en av: {', '.join(choices)}.")
    return value


def _json(status: int, payload) -> tuple[int, list, bytes]:
    content = json.dumps(payload, ensure_ascii=False).encode()
    return status, [("Content-Type", "application/json; charset=utf-8")], content


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


# --- The server -----------------------------------------------------------------------


class _Handler(WSGIRequestHandler):
    # A client that stops sending does not hold its thread for ever.
    timeout = 30

    def log_request(self, code="-", size="-"):
        # The path without its query string: a Graph API URL carries its token there.
        method, _space, rest = (self.requestline or "").partition(" ")
        target = rest.rsplit(" ", 1)[0].split("?", 1)[0]
        self.log_message("%s %s %s", method, target, code)

    def log_message(self, format, *args):
        logger.info("%s " + format, self.address_string(), *args)

    def get_stderr(self):
        return _LogStream()


class _LogStream:
    """wsgiref writes an application's error to stderr; this sends it to the log instead."""

    def write(self, text):
        if text.strip():
            logger.error(text.rstrip())

    def flush(self):
        pass


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True

    def server_bind(self):
        # No reverse lookup of the host name (HTTPServer.server_bind's getfqdn can hang).
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = host
        self.server_port = port
        self.setup_environ()


def make_server(
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    state: SimulatorState = app.STATE,
    seed: list[SeedEntry] | None = None,
    trickle: Trickle | None = None,
) -> ThreadingWSGIServer:
    """The server, bound but not yet serving (`serve_forever`); loopback only."""
    if not is_loopback(host):
        raise ValueError(f"Simulatorn lyssnar bara på 127.0.0.1 eller localhost, inte på {host!r}.")
    server = ThreadingWSGIServer((host, port), _Handler)
    server.set_app(SimulatorApp(state, seed=seed, trickle=trickle))
    return server


def banner(server: ThreadingWSGIServer) -> str:
    host, port = server.server_address[:2]
    return BANNER.format(host=host, port=port)
