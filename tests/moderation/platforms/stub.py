"""A stand-in connector for the connection pages' tests, until the platform connectors land
beside this branch (the lead switches these tests to the Facebook and YouTube connectors and
the simulator on merge). It answers "Testa anslutningen" from the token it was given:
"utgangen…" is refused as expired, "fel…" fails on the platform's side, "utan-dolja…" lacks
the permission to hide comments; anything else works."""

import contextlib

from moderation.platforms import registry
from moderation.platforms.base import AccessExpired, Connector, PlatformError


class StubConnector(Connector):
    platform = "facebook"
    label = "Facebook"
    KINDS = ("comments",)
    SECRET_FIELDS = (("page_token", "Sidans token"), ("app_secret", "Appens hemlighet"))
    ACCOUNT_ID_LABEL = "Sidans id"

    def test(self) -> list[str]:
        token = self.credentials.get("page_token", "")
        if token.startswith("utgangen"):
            raise AccessExpired("Åtkomsten har gått ut.")
        if token.startswith("fel"):
            raise PlatformError("Plattformen svarade med ett serverfel.")
        self.limits = {"summary": "12 % av timmens anrop använda"}
        return ["Dölja kommentarer"] if token.startswith("utan-dolja") else []


STUB_PATH = f"{__name__}.StubConnector"


@contextlib.contextmanager
def stub_connectors(*platforms: str):
    """The stub serves `platforms` (default Facebook and YouTube) while the block runs."""
    saved = dict(registry.CONNECTORS)
    registry.CONNECTORS.update(dict.fromkeys(platforms or ("facebook", "youtube"), STUB_PATH))
    try:
        yield
    finally:
        registry.CONNECTORS.clear()
        registry.CONNECTORS.update(saved)
