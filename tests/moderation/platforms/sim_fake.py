"""A small platform for the simulator's own tests, in the shape every platform's
`simulator.py` has (handle, fault_response, PERMISSIONS, seed_demo), so the server, the seed
and the trickle are tested before, and apart from, the real platforms."""

import sys
import types

import pytest

from moderation.platforms.base import Connector
from moderation.platforms.simulator import app

NAME = "testplattform"
PERMISSIONS = ("read_comments", "moderate_comments")


def handle(state, request):
    token = state.token(request.platform_name, request.bearer)
    if token is None or token.expired:
        return app.json_response(401, {"error": {"message": "Invalid token"}})
    platform = request.platform_name
    if request.method == "GET" and request.path == "/comments":
        comments = state.listing(platform, token.account, "comment")
        return app.json_response(
            200,
            {
                "data": [
                    {"id": obj.id, "text": obj.text, "hidden": obj.hidden} for obj in comments
                ],
                "query": request.params,
            },
        )
    if request.method == "POST" and request.path.startswith("/comments/"):
        obj = state.get(platform, request.path.split("/")[2])
        if obj is None:
            return app.json_response(404, {"error": {"message": "No such comment"}})
        obj.hidden = bool((request.body or {}).get("hidden"))
        return app.json_response(200, {"success": True})
    return app.json_response(404, {"error": {"message": "Unknown endpoint"}})


def fault_response(kind):
    status = {"rate_limit": 429, "expired": 401}.get(kind, 500)
    return app.json_response(status, {"error": {"message": kind}})


def module_for(platform: str):
    """This platform's module, answering as `platform`."""

    def handle_as(state, request):
        request.platform_name = platform
        return handle(state, request)

    def seed_demo(state, account_id, token):
        state.grant(platform, token, account_id, PERMISSIONS)
        state.add(platform, account_id, "post", "Välkommen till vår sida!", by_account=True)
        state.add(platform, account_id, "post", "Sommarens öppettider", by_account=True)

    module = types.ModuleType(f"moderation.platforms.{platform}.simulator")
    module.handle = handle_as
    module.fault_response = fault_response
    module.PERMISSIONS = PERMISSIONS
    module.seed_demo = seed_demo
    return module


class FakeConnector(Connector):
    """Only what seeding asks of a connector: its secret fields."""

    platform = "facebook"
    SECRET_FIELDS = (("page_token", "Sidans åtkomsttoken"),)


@pytest.fixture
def fake_platform(monkeypatch):
    """NAME served by this module, as if it were one of app.PLATFORMS."""
    monkeypatch.setattr(app, "PLATFORMS", (*app.PLATFORMS, NAME))
    monkeypatch.setitem(sys.modules, f"moderation.platforms.{NAME}.simulator", module_for(NAME))
    return NAME
