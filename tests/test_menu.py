"""The staff menu: the entries each app registered, in their order, each to the users who may
see it (Roller och ansvar); Informationsenheten's drop-down only to Informationsenheten."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from atvida_social import menu
from atvida_social.menu import INFORMATION_UNIT, register_menu_entry
from atvida_social.organisation.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MAIN_LINK = re.compile(r'<a class="nav-link" href="([^"]*)">([^<]*)</a>')
DROPDOWN_LINK = re.compile(r'<a class="dropdown-item" href="([^"]*)">([^<]*)</a>')

EVERYONE = [
    ("/", "Start"),
    ("/aktivitetsplaner/", "Aktivitetsplaner"),
    ("/moderering/", "Moderering"),
    ("/moderering/statistik/", "Statistik"),
    ("/kanaler/", "Kanaler"),
    ("/organisation/verksamheter/", "Verksamheter"),
]
ARCHIVE = [("/arkiv/", "Arkiv")]
ADMIN = [("/admin/", "Administration")]
INFORMATION_UNIT_MENU = [
    ("/kanaler/publicera/", "Publicera registret"),
    ("/kanaler/versioner/", "Publicerade versioner"),
    ("/kanaler/partier/", "Partier"),
    ("/aktivitetsplaner/inloggningsuppgifter/", "Inloggningar i förvar"),
    ("/moderering/regler/", "Regler för moderering"),
    ("/moderering/anslutningar/", "Plattformsanslutningar"),
    ("/moderering/api-nycklar/", "API-nycklar"),
]


def menu_links(client, page: str = "start") -> tuple[list, list]:
    """The main menu's links and the drop-down's, as (href, label), in page order."""
    response = client.get(reverse(page))
    assert response.status_code == 200
    header = response.content.decode().split("</header>")[0]
    return MAIN_LINK.findall(header), DROPDOWN_LINK.findall(header)


@pytest.fixture
def registry(monkeypatch):
    """A copy of the registry that a test may add to without leaking into other tests."""
    monkeypatch.setattr(menu, "_registry", dict(menu._registry))
    return menu._registry


@pytest.mark.parametrize(
    ("user", "main", "dropdown"),
    [
        ({"roles": []}, EVERYONE, []),
        ({"roles": [Role.MANAGER]}, EVERYONE, []),
        ({"roles": [Role.ACCOUNT_OWNER]}, EVERYONE, []),
        ({"roles": [Role.DAILY_OPERATOR]}, EVERYONE, []),
        ({"roles": [Role.ARCHIVIST]}, EVERYONE + ARCHIVE, []),
        ({"roles": [Role.ARCHIVIST], "is_staff": True}, EVERYONE + ARCHIVE + ADMIN, []),
        ({"roles": [], "is_staff": True}, EVERYONE + ADMIN, []),
        ({"roles": [Role.INFORMATION_UNIT]}, EVERYONE + ARCHIVE, INFORMATION_UNIT_MENU),
        (
            {"roles": [Role.INFORMATION_UNIT], "is_staff": True},
            EVERYONE + ARCHIVE,
            INFORMATION_UNIT_MENU + ADMIN,
        ),
        (
            {"roles": [], "is_staff": True, "is_superuser": True},
            EVERYONE + ARCHIVE,
            INFORMATION_UNIT_MENU + ADMIN,
        ),
    ],
    ids=[
        "no-role",
        "manager",
        "account-owner",
        "daily-operator",
        "archivist",
        "archivist-staff",
        "staff",
        "information-unit",
        "information-unit-staff",
        "superuser",
    ],
)
def test_each_role_sees_the_registered_entries_meant_for_it(client, library, user, main, dropdown):
    client.force_login(UserFactory(unit=library, **user))

    assert menu_links(client) == (main, dropdown)


def test_a_visitor_who_is_not_logged_in_sees_no_menu(client):
    assert menu_links(client, "login") == ([], [])


def test_an_entry_an_app_registers_appears_in_its_place(client, ingrid, registry):
    register_menu_entry("extra", label="Extra", url_name="channels:party-list", order=45)
    register_menu_entry(
        "extra_info",
        label="Extra för informationsenheten",
        url_name="moderation:rule-list",
        order=5,
        menu=INFORMATION_UNIT,
    )
    client.force_login(ingrid)

    main, dropdown = menu_links(client)

    assert [label for _, label in main][4:7] == ["Kanaler", "Extra", "Verksamheter"]
    assert dropdown[0] == ("/moderering/regler/", "Extra för informationsenheten")


def test_an_entry_is_hidden_from_whom_its_visibility_refuses(client, alice, bob, registry):
    register_menu_entry(
        "alice_only",
        label="Bara Alice",
        url_name="channels:channel-list",
        order=1,
        visible=lambda user: user.username == "alice",
    )

    client.force_login(alice)
    assert "Bara Alice" in [label for _, label in menu_links(client)[0]]
    client.force_login(bob)
    assert "Bara Alice" not in [label for _, label in menu_links(client)[0]]


def test_registering_the_same_entry_again_changes_nothing(registry):
    before = menu.registered_entries(menu.MAIN)
    from channels import menu as channels_menu

    channels_menu.register_menu_entries()

    assert menu.registered_entries(menu.MAIN) == before


def test_another_entry_under_a_taken_key_is_refused(registry):
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        register_menu_entry("channels", label="Kanaler", url_name="channels:publish", order=40)


def test_an_entry_in_an_unknown_menu_is_refused(registry):
    with pytest.raises(ImproperlyConfigured, match="unknown menu"):
        register_menu_entry("x", label="X", url_name="start", order=1, menu="footer")
