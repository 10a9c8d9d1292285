import pytest
from django.urls import reverse

from atvida_social.organisation.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_start_page_sends_anonymous_visitor_to_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_swedish(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert '<html lang="sv">' in response.content.decode()
    assert "Användarnamn" in response.content.decode()


def test_wrong_password_gives_swedish_error(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "fel"})

    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord" in response.content.decode()


def test_login_leads_to_start_page_with_role_sections(client, alice):
    response = client.post(
        reverse("login"), {"username": "alice", "password": TEST_PASSWORD}, follow=True
    )

    page = response.content.decode()
    assert "Att signera" in page
    assert "Mina planer" in page
    assert "Att granska" not in page


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        (Role.INFORMATION_UNIT, "Att granska", "Att signera"),
        (Role.MANAGER, "Att signera", "Att granska"),
        (Role.ACCOUNT_OWNER, "Mina planer", "Kanalregistret"),
        (Role.DAILY_OPERATOR, "Modereringskö", "Att signera"),
    ],
)
def test_start_page_shows_each_role_its_own_sections(client, library, role, expected, absent):
    client.force_login(UserFactory(unit=library, roles=[role]))

    page = client.get("/").content.decode()

    assert expected in page
    assert absent not in page
