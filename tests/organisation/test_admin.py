"""The login-lockout pages that django-axes adds to the admin, as re-registered here."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCKOUT_PAGES = ["accessattempt", "accesslog", "accessfailurelog"]


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="sven", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("page", LOCKOUT_PAGES)
def test_lockout_page_lists_and_filters_by_date(superuser_client, page):
    response = superuser_client.get(
        f"/admin/axes/{page}/?attempt_time__gte=2026-01-01&attempt_time__lt=2026-02-01"
    )

    assert response.status_code == 200


@pytest.mark.parametrize("page", LOCKOUT_PAGES)
def test_lockout_page_refuses_an_out_of_range_year_instead_of_crashing(superuser_client, page):
    superuser_client.raise_request_exception = False

    response = superuser_client.get(f"/admin/axes/{page}/?attempt_time__year=9999")

    assert response.status_code == 400
