"""Logging in and out: CSRF protection, brute-force lockout and the audit trail."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from atvida_social.organisation.models import AuditLogEntry
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/logga-in/"
LOGOUT_URL = "/logga-ut/"
ADDRESS = "192.0.2.10"


@pytest.fixture
def csrf_client():
    """A client that, like a browser, must send the CSRF token it was given."""
    return Client(enforce_csrf_checks=True)


def csrf_token_from(client, url=LOGIN_URL) -> str:
    client.get(url)
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def fail_logins(client, username: str, times: int, **extra) -> None:
    for _ in range(times):
        client.post(LOGIN_URL, {"username": username, "password": "fel-lösenord"}, **extra)


# CSRF


def test_login_without_csrf_token_is_refused(csrf_client, alice):
    response = csrf_client.post(LOGIN_URL, {"username": "alice", "password": TEST_PASSWORD})

    assert response.status_code == 403
    assert "_auth_user_id" not in csrf_client.session


def test_login_with_csrf_token_from_the_login_page_succeeds(csrf_client, alice):
    token = csrf_token_from(csrf_client)

    response = csrf_client.post(
        LOGIN_URL,
        {"username": "alice", "password": TEST_PASSWORD, "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("start")
    assert csrf_client.session["_auth_user_id"] == str(alice.pk)


def test_logout_by_get_is_refused(client, alice):
    client.force_login(alice)

    response = client.get(LOGOUT_URL)

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_logout_by_post_with_csrf_token_logs_out(csrf_client, alice):
    csrf_client.force_login(alice)
    token = csrf_token_from(csrf_client, "/")

    response = csrf_client.post(LOGOUT_URL, {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in csrf_client.session


def test_logout_by_post_without_csrf_token_is_refused(csrf_client, alice):
    csrf_client.force_login(alice)

    response = csrf_client.post(LOGOUT_URL)

    assert response.status_code == 403
    assert csrf_client.session["_auth_user_id"] == str(alice.pk)


# Brute force


def test_login_is_locked_after_five_failures_even_with_correct_password(client, alice):
    fail_logins(client, "alice", 5, REMOTE_ADDR=ADDRESS)

    response = client.post(
        LOGIN_URL, {"username": "alice", "password": TEST_PASSWORD}, REMOTE_ADDR=ADDRESS
    )

    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_the_login(client, alice):
    fail_logins(client, "alice", 4, REMOTE_ADDR=ADDRESS)

    response = client.post(
        LOGIN_URL, {"username": "alice", "password": TEST_PASSWORD}, REMOTE_ADDR=ADDRESS
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_lockout_of_one_user_leaves_another_user_at_the_same_address_free(client, alice, bob):
    fail_logins(client, "alice", 5, REMOTE_ADDR=ADDRESS)

    response = client.post(
        LOGIN_URL, {"username": "bob", "password": TEST_PASSWORD}, REMOTE_ADDR=ADDRESS
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_lockout_of_a_user_at_one_address_leaves_the_same_user_free_elsewhere(client, alice):
    fail_logins(client, "alice", 5, REMOTE_ADDR=ADDRESS)

    response = client.post(
        LOGIN_URL, {"username": "alice", "password": TEST_PASSWORD}, REMOTE_ADDR="192.0.2.99"
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


# Audit


def test_successful_login_is_audited_with_actor_and_address(client, alice):
    client.post(LOGIN_URL, {"username": "alice", "password": TEST_PASSWORD}, REMOTE_ADDR=ADDRESS)

    entry = AuditLogEntry.objects.get(action="login")
    assert entry.actor == alice
    assert entry.ip_address == ADDRESS


def test_logout_is_audited_with_actor_and_address(client, alice):
    client.force_login(alice)

    client.post(LOGOUT_URL, REMOTE_ADDR=ADDRESS)

    entry = AuditLogEntry.objects.get(action="logout")
    assert entry.actor == alice
    assert entry.ip_address == ADDRESS


def test_failed_login_is_audited_with_attempted_name_and_address_but_no_actor(client, alice):
    client.post(LOGIN_URL, {"username": "alice", "password": "fel-lösenord"}, REMOTE_ADDR=ADDRESS)

    entry = AuditLogEntry.objects.get(action="login_failed")
    assert entry.details["username"] == "alice"
    assert entry.ip_address == ADDRESS
    assert entry.actor is None
    assert entry.actor_name == ""


def test_failed_login_for_unknown_name_is_audited_too(client):
    client.post(LOGIN_URL, {"username": "mallory", "password": "gissning"}, REMOTE_ADDR=ADDRESS)

    entry = AuditLogEntry.objects.get(action="login_failed")
    assert entry.details["username"] == "mallory"
    assert entry.actor is None


# Redirect after login


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "javascript:alert(1)",
    ],
)
def test_login_never_redirects_off_site(client, alice, next_url):
    response = client.post(
        LOGIN_URL, {"username": "alice", "password": TEST_PASSWORD, "next": next_url}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("start")


def test_login_follows_a_next_on_the_same_site(client, alice):
    response = client.post(
        LOGIN_URL,
        {"username": "alice", "password": TEST_PASSWORD, "next": "/organisation/verksamheter/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/organisation/verksamheter/"


def test_inactive_user_cannot_log_in(client, library):
    UserFactory(username="slutat", unit=library, is_active=False)

    response = client.post(LOGIN_URL, {"username": "slutat", "password": TEST_PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
