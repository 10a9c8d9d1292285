"""The signing password is protected like the login: the django-axes lockout counts it, and
error reports never show it."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.debug import ExceptionReporter

from activityplans import services
from activityplans.exceptions import WrongPassword
from activityplans.models import Signature
from activityplans.workflow import PlanStatus
from atvida_social.organisation.exceptions import LockedOut
from atvida_social.organisation.models import AuditLogEntry
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.20"
LOCKED = "För många felaktiga lösenord"


@pytest.fixture
def awaiting(plan, alice):
    services.submit_plan(plan, by=alice)
    return plan


def _sign(client, plan, password):
    return client.post(
        reverse("activityplans:plan-sign", args=[plan.pk]),
        {"password": password},
        REMOTE_ADDR=ADDRESS,
    )


def _log_in(password, username="bob"):
    client = Client()
    response = client.post(
        "/logga-in/", {"username": username, "password": password}, REMOTE_ADDR=ADDRESS
    )
    return client, response


def test_five_wrong_signing_passwords_lock_the_user_out_of_signing_and_logging_in(
    client, awaiting, bob
):
    client.force_login(bob)

    wrong = [_sign(client, awaiting, "fel-lösenord") for _ in range(5)]
    right = _sign(client, awaiting, TEST_PASSWORD)
    login_client, login = _log_in(TEST_PASSWORD)

    assert all("Lösenordet stämmer inte" in r.content.decode() for r in wrong[:4])
    assert LOCKED in wrong[4].content.decode()
    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert not Signature.objects.filter(signer=bob).exists()
    assert login.status_code == 429
    assert "_auth_user_id" not in login_client.session


def test_four_wrong_signing_passwords_still_let_the_signer_sign(client, awaiting, bob):
    client.force_login(bob)

    for _ in range(4):
        _sign(client, awaiting, "fel-lösenord")
    response = _sign(client, awaiting, TEST_PASSWORD)

    assert response.status_code == 302
    assert Signature.objects.filter(signer=bob).exists()


def test_a_user_locked_out_at_the_login_form_cannot_sign_from_a_live_session(client, awaiting, bob):
    client.force_login(bob)
    for _ in range(5):
        _log_in("fel-lösenord")

    response = _sign(client, awaiting, TEST_PASSWORD)

    awaiting.refresh_from_db()
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not Signature.objects.filter(signer=bob).exists()
    assert awaiting.status == PlanStatus.AWAITING_SIGNATURES


def test_the_signing_service_counts_wrong_passwords_although_it_signs_nothing(awaiting, bob):
    factory = RequestFactory()

    for _ in range(4):
        with pytest.raises(WrongPassword):
            services.sign_plan(
                awaiting, by=bob, password="fel", request=factory.post("/", REMOTE_ADDR=ADDRESS)
            )
    with pytest.raises(LockedOut):
        services.sign_plan(
            awaiting, by=bob, password="fel", request=factory.post("/", REMOTE_ADDR=ADDRESS)
        )
    with pytest.raises(LockedOut):
        services.sign_plan(
            awaiting,
            by=bob,
            password=TEST_PASSWORD,
            request=factory.post("/", REMOTE_ADDR=ADDRESS),
        )

    assert AccessAttempt.objects.get(username="bob", ip_address=ADDRESS).failures_since_start >= 5
    assert not Signature.objects.exists()


def test_a_wrong_signing_password_stays_in_the_audit_log(awaiting, bob):
    with pytest.raises(WrongPassword):
        services.sign_plan(awaiting, by=bob, password="fel")

    entry = AuditLogEntry.objects.get(action="plan_sign_failed")
    assert entry.actor == bob
    assert "fel" not in str(entry.details)


def test_the_signing_password_never_appears_in_an_error_report(client, awaiting, bob):
    secret = "Hemligt-signeringslösen-5521"
    client.force_login(bob)

    response = client.post(
        reverse("activityplans:plan-sign", args=[awaiting.pk]),
        {"password": secret, "extra": "synligt-fält"},
    )
    reporter = ExceptionReporter(response.wsgi_request, None, None, None)
    text = reporter.get_traceback_text()
    html = reporter.get_traceback_html()

    assert "synligt-fält" in text  # the report does show the POST data
    assert secret not in text
    assert secret not in html
