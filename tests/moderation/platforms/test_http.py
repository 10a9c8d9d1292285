"""The one way out to a platform (platforms/http.py), against a real HTTP server on the
loopback: only the configured base URL's host, no redirect followed, a bound on the size of
an answer, time limits, and TLS verified with one shared context."""

import http.server
import socketserver
import ssl
import threading
import time

import httpx
import pytest

from moderation.platforms import http as platform_http
from moderation.platforms.base import PlatformError

BIG = platform_http.MAX_RESPONSE_BYTES + 1


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/big":
            self._answer(200, b"x" * BIG)
        elif self.path == "/away":
            self.send_response(302)
            self.send_header("Location", "http://example.org/stolen")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(1.0)
            self._answer(200, b"{}")
        else:
            self._answer(200, b'{"ok": true}')

    def _answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up (the time-limit test) leaves a broken pipe behind


@pytest.fixture
def platform(settings):
    """A platform whose base URL is a server on the loopback; its port."""
    server = _Server(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    settings.PLATFORM_SIMULATOR_IN_PROCESS = False
    settings.PLATFORM_BASE_URLS = {
        **settings.PLATFORM_BASE_URLS,
        "facebook": f"http://127.0.0.1:{port}/",
    }
    yield port
    server.shutdown()
    server.server_close()


def test_a_call_to_the_base_url_is_answered(platform):
    with platform_http.client_for("facebook") as client:
        response = platform_http.send_or_fail(client, "GET", "ok")

    assert response.json() == {"ok": True}


def test_a_call_to_another_host_is_refused_before_it_leaves(platform):
    with (
        platform_http.client_for("facebook") as client,
        pytest.raises(PlatformError, match="en annan adress än plattformens"),
    ):
        platform_http.send_or_fail(client, "GET", f"http://localhost:{platform}/ok")


def test_a_redirect_is_not_followed(platform):
    with platform_http.client_for("facebook") as client:
        response = platform_http.send_or_fail(client, "GET", "away")

    assert response.status_code == 302


def test_an_answer_larger_than_the_bound_is_refused(platform):
    with (
        platform_http.client_for("facebook") as client,
        pytest.raises(PlatformError, match="för stort"),
    ):
        platform_http.send_or_fail(client, "GET", "big")


def test_a_platform_that_answers_too_late_is_given_up(platform, monkeypatch):
    monkeypatch.setattr(platform_http, "TIMEOUT", httpx.Timeout(0.2))
    with (
        platform_http.client_for("facebook") as client,
        pytest.raises(PlatformError, match="svarade inte i tid"),
    ):
        platform_http.send_or_fail(client, "GET", "slow")


def test_every_client_verifies_tls_with_one_shared_context(platform):
    first = platform_http.client_for("facebook")
    second = platform_http.client_for("facebook")
    context = platform_http.tls_context()

    assert context is platform_http.tls_context()
    assert (context.verify_mode, context.check_hostname) == (ssl.CERT_REQUIRED, True)
    for client in (first, second):
        pool = client._transport._pool
        assert pool._ssl_context is context
        client.close()
