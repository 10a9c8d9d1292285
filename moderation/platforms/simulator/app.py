"""The simulator's front door: one handler for every platform, in-process as an httpx
transport (tests) or behind the small server of `python -m moderation.platforms.simulator`
(the browser tests and `make run`).

A URL's first path segment names the platform (/facebook/…, /x/…); the rest goes to
`moderation.platforms.<platform>.simulator.handle(state, request)`, which answers in its
platform's JSON. Faults injected into the state are applied here: a platform's
`fault_response(kind)` shapes the errors its real API gives ("rate_limit", "expired",
"server_error"); "slow" waits and then answers; "cut_short" breaks the body off half-way.
"""

import dataclasses
import importlib
import json
import time
from urllib.parse import parse_qsl

import httpx

from .state import Call, SimulatorState

# The one world of the process: the in-process transport and the server share it.
STATE = SimulatorState()

PLATFORMS = ("facebook", "instagram", "x", "youtube", "youtube_oauth", "wordpress")
# A platform whose URLs another platform's simulator answers (Google's token endpoint is a
# host of its own in production, its simulator lives with YouTube's).
SIMULATOR_MODULES = {"youtube_oauth": "youtube"}


@dataclasses.dataclass
class SimRequest:
    method: str
    path: str  # after the platform's segment, starting with "/"
    params: dict  # the query string, one value per name
    body: object  # the parsed JSON or form body, or None
    headers: httpx.Headers

    @property
    def bearer(self) -> str:
        value = self.headers.get("authorization", "")
        return value[7:].strip() if value.lower().startswith("bearer ") else ""


def json_response(status: int, payload, headers: dict | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )


def _module(platform: str):
    try:
        return importlib.import_module(f"moderation.platforms.{platform}.simulator")
    except ModuleNotFoundError:
        return None


def _body(request: httpx.Request):
    content = request.content
    if not content:
        return None
    kind = request.headers.get("content-type", "")
    if "application/json" in kind:
        try:
            return json.loads(content)
        except ValueError:
            return None
    if "application/x-www-form-urlencoded" in kind:
        return dict(parse_qsl(content.decode("utf-8", "replace")))
    return None


def handle(request: httpx.Request, state: SimulatorState = STATE) -> httpx.Response:
    segments = request.url.path.lstrip("/").split("/", 1)
    platform = segments[0]
    path = "/" + (segments[1] if len(segments) > 1 else "")
    module = _module(SIMULATOR_MODULES.get(platform, platform)) if platform in PLATFORMS else None
    if module is None:
        return json_response(404, {"error": "unknown platform"})
    sim_request = SimRequest(
        method=request.method,
        path=path,
        params=dict(request.url.params),
        body=_body(request),
        headers=request.headers,
    )
    state.log(Call(platform, request.method, path, sim_request.params, sim_request.body))
    query = " ".join(f"{name}={value}" for name, value in sim_request.params.items())
    fault = state.take_fault(platform, path, query)
    if fault is not None and fault.kind == "slow":
        time.sleep(fault.seconds)
    elif fault is not None and fault.kind != "cut_short":
        return module.fault_response(fault.kind)
    response = module.handle(state, sim_request)
    if fault is not None and fault.kind == "cut_short":
        content = response.content
        return httpx.Response(
            response.status_code, content=content[: len(content) // 2], headers=response.headers
        )
    return response


def transport(state: SimulatorState = STATE) -> httpx.MockTransport:
    """An httpx transport that answers from the simulator, in-process."""
    return httpx.MockTransport(lambda request: handle(request, state))
