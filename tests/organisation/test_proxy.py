"""The client's address in the audit log and in the login lockout, with and without a
reverse proxy in front (TRUSTED_PROXY_COUNT)."""

import pytest
from axes.models import AccessAttempt
from django.test import override_settings

from atvida_social.organisation.models import AuditLogEntry
from tests.factories import TEST_PASSWORD

LOGIN_URL = "/logga-in/"
CLIENT = "192.0.2.10"
OTHER_CLIENT = "192.0.2.20"
FORGED = "203.0.113.66"
PROXY = "10.0.0.5"

pytestmark = pytest.mark.django_db


def _fail_login(client, n: int = 0, **extra):
    return client.post(LOGIN_URL, {"username": "alice", "password": f"fel-{n}"}, **extra)


def _log_in(client, **extra):
    return client.post(LOGIN_URL, {"username": "alice", "password": TEST_PASSWORD}, **extra)


def test_forged_forwarded_for_from_a_direct_client_is_not_audited(client, alice):
    _fail_login(client, REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=FORGED)

    assert AuditLogEntry.objects.get(action="login_failed").ip_address == CLIENT
    assert AccessAttempt.objects.get().ip_address == CLIENT


def test_forged_forwarded_for_does_not_escape_the_lockout(client, alice):
    """Each attempt claims another address; the lockout still counts them as one client's."""
    for n in range(5):
        _fail_login(client, n, REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    response = _log_in(client, REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR="203.0.113.99")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_is_audited_not_what_the_client_wrote(client, alice):
    # The proxy appends the address it was reached from to what the client sent.
    _fail_login(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}")

    assert AuditLogEntry.objects.get(action="login_failed").ip_address == CLIENT
    assert AccessAttempt.objects.get().ip_address == CLIENT


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_lockout_is_per_client_not_per_proxy(client, alice):
    for n in range(5):
        _fail_login(client, n, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)

    locked = _log_in(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)
    elsewhere = _log_in(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OTHER_CLIENT)

    assert locked.status_code == 429
    assert elsewhere.status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_reaches_the_audit_of_a_logout(client, alice):
    client.force_login(alice)

    client.post("/logga-ut/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}")

    assert AuditLogEntry.objects.get(action="logout").ip_address == CLIENT


@override_settings(TRUSTED_PROXY_COUNT=2)
@pytest.mark.parametrize("forwarded", ["", CLIENT, "inte-en-adress, 10.0.0.4"])
def test_a_request_that_did_not_pass_the_configured_proxies_is_known_by_its_peer(
    client, alice, forwarded
):
    _fail_login(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    assert AuditLogEntry.objects.get(action="login_failed").ip_address == PROXY


@override_settings(TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        (f"{CLIENT}:52100", CLIENT),
        ("[2001:db8::7]:52100", "2001:db8::7"),
        ("2001:db8::7", "2001:db8::7"),
    ],
)
def test_an_address_a_load_balancer_wrote_with_its_port_is_known_without_it(
    client, alice, forwarded, expected
):
    _fail_login(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    assert AuditLogEntry.objects.get(action="login_failed").ip_address == expected
