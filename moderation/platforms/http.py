"""The one way out to a platform: an httpx client bound to the platform's configured base URL
(settings.PLATFORM_BASE_URLS, not editable in the interface), with TLS verification, time
limits, no redirects and a bound on the size of an answer."""

import functools
import ssl

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from .base import PlatformError

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
# Larger than any page the connectors ask for (100 comments of 64 KB at most each).
MAX_RESPONSE_BYTES = 8 * 1024 * 1024


def base_url(platform: str) -> str:
    try:
        return settings.PLATFORM_BASE_URLS[platform]
    except KeyError:
        raise PlatformError(
            _("Ingen adress är inställd för plattformen %(platform)s.") % {"platform": platform}
        ) from None


class _BoundedClient(httpx.Client):
    """Refuses a request to any other host than the base URL's, and reads at most
    MAX_RESPONSE_BYTES of an answer."""

    def send(self, request: httpx.Request, **kwargs) -> httpx.Response:
        if (request.url.scheme, request.url.host, request.url.port) != (
            self.base_url.scheme,
            self.base_url.host,
            self.base_url.port,
        ):
            raise PlatformError(_("Anropet gick till en annan adress än plattformens."))
        kwargs["stream"] = True
        response = super().send(request, **kwargs)
        try:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_RESPONSE_BYTES:
                    raise PlatformError(_("Plattformens svar var för stort."))
        finally:
            response.close()
        # The body is read and bounded; hand back a response with the content in place.
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            status_code=response.status_code,
            headers=headers,
            content=bytes(body),
            request=request,
            extensions={"http_version": response.extensions.get("http_version", b"HTTP/1.1")},
        )


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The verifying TLS context every client shares (httpx's own default: the certificate
    bundle, hostname checked). Built once: loading the bundle takes about 20 ms, which every
    pull and every action on the platform would otherwise pay again."""
    return httpx.create_ssl_context()


def client_for(platform: str, *, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """The client a connector uses. `transport` is the simulator's in tests; otherwise
    settings.PLATFORM_TRANSPORT decides (None: the network)."""
    if transport is None:
        transport = platform_transport()
    return _BoundedClient(
        base_url=base_url(platform),
        timeout=TIMEOUT,
        follow_redirects=False,
        verify=tls_context(),
        transport=transport,
        headers={"User-Agent": "AtvidaSocial/1.0"},
    )


def platform_transport() -> httpx.BaseTransport | None:
    """The in-process simulator's transport when settings ask for it (tests), else None."""
    if getattr(settings, "PLATFORM_SIMULATOR_IN_PROCESS", False):
        from .simulator import app

        return app.transport()
    return None


def send_or_fail(client: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
    """One call; a network fault or a time limit becomes a PlatformError in Swedish."""
    try:
        return client.request(method, url, **kwargs)
    except httpx.TimeoutException as error:
        raise PlatformError(_("Plattformen svarade inte i tid.")) from error
    except httpx.HTTPError as error:
        raise PlatformError(
            _("Plattformen gick inte att nå (%(error)s).") % {"error": type(error).__name__}
        ) from error
