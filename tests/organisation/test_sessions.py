"""Staff sessions end after a working day without activity, or when the browser closes."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

MORNING = datetime.datetime(2026, 11, 30, 7, 30, tzinfo=datetime.UTC)
STAFF_PAGE = "/aktivitetsplaner/"


def test_the_idle_limit_is_a_working_day_by_default():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_an_idle_session_past_a_working_day_is_logged_out(client, alice):
    with time_machine.travel(MORNING, tick=False) as traveller:
        client.force_login(alice)
        assert client.get(STAFF_PAGE).status_code == 200

        traveller.shift(datetime.timedelta(hours=8, minutes=1))
        response = client.get(STAFF_PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_activity_keeps_the_session_alive_past_a_working_day(client, alice):
    with time_machine.travel(MORNING, tick=False) as traveller:
        client.force_login(alice)
        for _ in range(3):
            traveller.shift(datetime.timedelta(hours=7))
            response = client.get(STAFF_PAGE)
            assert response.status_code == 200


def test_the_session_cookie_ends_with_the_browser(client, alice):
    client.post("/logga-in/", {"username": "alice", "password": TEST_PASSWORD})

    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert not cookie["expires"]
    assert not cookie["max-age"]
