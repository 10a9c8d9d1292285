"""Asking for the password again: the user's own password only, counted by the same
django-axes lockout as the login form."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory, override_settings

from atvida_social.organisation.exceptions import IncorrectPassword, LockedOut
from atvida_social.organisation.reauth import confirm_password
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.40"


def _request():
    return RequestFactory().post("/", REMOTE_ADDR=ADDRESS)


def test_the_users_own_password_is_confirmed(alice):
    confirm_password(alice, TEST_PASSWORD, request=_request())

    assert not AccessAttempt.objects.exists()


def test_a_wrong_password_is_counted_against_the_username_and_address(alice):
    with pytest.raises(IncorrectPassword):
        confirm_password(alice, "fel", request=_request())

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("alice", ADDRESS)
    assert "fel" not in attempt.post_data


def test_an_empty_password_is_refused_and_counted(alice):
    with pytest.raises(IncorrectPassword):
        confirm_password(alice, "", request=_request())

    assert AccessAttempt.objects.get().failures_since_start == 1


def test_the_fifth_wrong_password_locks_out_even_the_right_one(alice):
    for _ in range(4):
        with pytest.raises(IncorrectPassword):
            confirm_password(alice, "fel", request=_request())
    with pytest.raises(LockedOut):
        confirm_password(alice, "fel", request=_request())

    with pytest.raises(LockedOut):
        confirm_password(alice, TEST_PASSWORD, request=_request())


def test_a_lockout_leaves_the_user_free_at_another_address(alice):
    for _ in range(5):
        with pytest.raises((IncorrectPassword, LockedOut)):
            confirm_password(alice, "fel", request=_request())

    confirm_password(alice, TEST_PASSWORD, request=RequestFactory().post("/"))


def test_the_lockout_message_names_the_configured_wait(alice):
    hour = datetime.timedelta(hours=1)
    with (
        override_settings(AXES_FAILURE_LIMIT=1, AXES_COOLOFF_TIME=hour),
        pytest.raises(LockedOut) as refusal,
    ):
        confirm_password(alice, "fel", request=_request())

    assert "Vänta 60 minuter" in str(refusal.value.message)


def test_an_inactive_user_is_not_confirmed(alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    with pytest.raises(IncorrectPassword):
        confirm_password(alice, TEST_PASSWORD, request=_request())
