"""Which connector serves which platform. A platform without one (LinkedIn, TikTok, "annat")
stays on the ingest API and hand registration."""

import copy
import importlib

from django.utils.translation import gettext as _

from .base import Connector, PlatformError
from .http import client_for

CONNECTORS = {
    "facebook": "moderation.platforms.facebook.connector.FacebookConnector",
    "instagram": "moderation.platforms.instagram.connector.InstagramConnector",
    "x": "moderation.platforms.x.connector.XConnector",
    "youtube": "moderation.platforms.youtube.connector.YouTubeConnector",
    "blogg": "moderation.platforms.wordpress.connector.WordPressConnector",
}

# The platform segment of the simulator's URLs and of settings.PLATFORM_BASE_URLS.
API_NAMES = {"blogg": "wordpress"}


def api_name(platform: str) -> str:
    return API_NAMES.get(platform, platform)


def connector_class(platform: str) -> type[Connector] | None:
    path = CONNECTORS.get(platform)
    if path is None:
        return None
    module, _dot, name = path.rpartition(".")
    try:
        return getattr(importlib.import_module(module), name)
    except (ModuleNotFoundError, AttributeError):
        return None


def connectable_platforms() -> list[str]:
    return [platform for platform in CONNECTORS if connector_class(platform) is not None]


def connector_for(
    platform: str,
    *,
    account_id: str,
    credentials: dict,
    transport=None,
    limits: dict | None = None,
):
    """A connector for one connection, its client bound to the platform's base URL, starting
    from the limits the connection last recorded."""
    cls = connector_class(platform)
    if cls is None:
        raise PlatformError(
            _("Verktyget kan inte anslutas till %(platform)s.") % {"platform": platform}
        )
    http = client_for(api_name(platform), transport=transport)
    connector = cls(account_id=account_id, credentials=credentials, http=http)
    # A copy all the way down: what the connector learns is compared with what was saved.
    connector.limits = copy.deepcopy(limits or {})
    return connector
