"""The start page: each role sees the sections that the apps registered for it, each once,
and no section that has nothing behind it (Roller och ansvar)."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from activityplans.workflow import PlanStatus
from atvida_social import dashboard
from atvida_social.dashboard import Item, register_section, registered_sections
from atvida_social.organisation.roles import Role
from tests.factories import ActivityPlanFactory, ChannelFactory, UserFactory

pytestmark = pytest.mark.django_db

SECTION_HEADING = re.compile(r'<h2[^>]*id="sektion-[^"]*"[^>]*>([^<]*)</h2>')


def section_titles(client) -> list[str]:
    response = client.get(reverse("start"))
    assert response.status_code == 200
    return SECTION_HEADING.findall(response.content.decode())


@pytest.fixture
def registry(monkeypatch):
    """A copy of the registry that a test may add to without leaking into other tests."""
    monkeypatch.setattr(dashboard, "_registry", dict(dashboard._registry))
    return dashboard._registry


# Moderation's supervision sections, for the daily operators and Informationsenheten.
SUPERVISION = ["Svarstiden går snart ut", "Ej diarieförda direktmeddelanden", "Försenad tillsyn"]
# Moderation's platform sections: decisions the platform did not carry out (for those who
# decide) and broken connections (for those who mend them).
FAILURES = "Misslyckades på plattformen"
BROKEN = "Brutna anslutningar"


@pytest.mark.parametrize(
    ("roles", "titles"),
    [
        (
            [Role.INFORMATION_UNIT],
            [
                "Modereringskö",
                *SUPERVISION,
                "Kanaler där alla är frånvarande",
                BROKEN,
                FAILURES,
                "Att granska",
                "Kanalregistret",
                "Arkivet",
                "Bakgrundsjobb",
            ],
        ),
        ([Role.MANAGER], ["Att signera"]),
        ([Role.ACCOUNT_OWNER], [BROKEN, "Att signera", "Mina planer"]),
        ([Role.DAILY_OPERATOR], ["Modereringskö", *SUPERVISION, FAILURES]),
        ([Role.ARCHIVIST], ["Arkivet"]),
        ([], []),
    ],
    ids=[
        "informationsenheten",
        "ansvarig-chef",
        "kontoansvarig",
        "daglig-drift",
        "arkivarie",
        "ingen-roll",
    ],
)
def test_each_role_sees_exactly_its_sections(client, library, roles, titles):
    client.force_login(UserFactory(unit=library, roles=roles))

    assert section_titles(client) == titles


@pytest.mark.parametrize(
    ("roles", "titles"),
    [
        (
            list(Role),
            [
                "Modereringskö",
                *SUPERVISION,
                "Kanaler där alla är frånvarande",
                BROKEN,
                FAILURES,
                "Att granska",
                "Kanalregistret",
                "Arkivet",
                "Att signera",
                "Mina planer",
                "Bakgrundsjobb",
            ],
        ),
        ([Role.MANAGER, Role.ACCOUNT_OWNER], [BROKEN, "Att signera", "Mina planer"]),
        (
            [Role.ACCOUNT_OWNER, Role.DAILY_OPERATOR],
            ["Modereringskö", *SUPERVISION, BROKEN, FAILURES, "Att signera", "Mina planer"],
        ),
    ],
    ids=["alla-roller", "chef-och-kontoansvarig", "kontoansvarig-och-daglig-drift"],
)
def test_user_with_several_roles_sees_each_section_once_in_a_stable_order(
    client, library, roles, titles
):
    client.force_login(UserFactory(unit=library, roles=roles))

    assert section_titles(client) == titles


def test_daily_operator_is_not_told_of_a_duty_that_does_not_exist_yet(client, library):
    client.force_login(UserFactory(unit=library, roles=[Role.DAILY_OPERATOR]))

    page = client.get(reverse("start")).content.decode()

    assert "Modereringskö" in page
    assert "Veckans tillsyn" not in page


def test_every_registered_section_has_a_provider_that_lists_items(library):
    user = UserFactory(unit=library, roles=list(Role))

    specs = registered_sections()

    assert [spec.key for spec in specs] == [
        "queue",
        "deadline_warnings",
        "unregistered_messages",
        "overdue_reviews",
        "unattended_channels",
        "broken_connections",
        "platform_failures",
        "to_review",
        "register",
        "archive",
        "to_sign",
        "my_plans",
        "background",
    ]
    for spec in specs:
        assert callable(spec.provider)
        assert all(isinstance(item, Item) for item in spec.provider(user))


@pytest.mark.parametrize(
    "bad",
    [
        {"provider": None},
        {"roles": []},
        {"roles": ["Webbredaktör"]},
    ],
    ids=["utan-provider", "utan-roll", "okand-roll"],
)
def test_section_without_provider_or_known_role_is_refused(registry, bad):
    arguments = {
        "title": "Veckans tillsyn",
        "empty_text": "Ingen tillsyn väntar.",
        "roles": [Role.DAILY_OPERATOR],
        "provider": lambda user: [],
        "order": 50,
    } | bad

    with pytest.raises(ImproperlyConfigured):
        register_section("supervision", **arguments)

    assert "supervision" not in registry


def test_another_section_under_a_taken_key_is_refused(registry):
    with pytest.raises(ImproperlyConfigured):
        register_section(
            "to_sign",
            title="Något annat",
            empty_text="Inget.",
            roles=[Role.DAILY_OPERATOR],
            provider=lambda user: [],
            order=1,
        )

    assert registry["to_sign"].title == "Att signera"


def test_apps_registering_again_leaves_each_section_once(client, library, registry):
    from django.apps import apps

    for config in apps.get_app_configs():
        config.ready()
    client.force_login(UserFactory(unit=library, roles=list(Role)))

    assert section_titles(client) == [
        "Modereringskö",
        *SUPERVISION,
        "Kanaler där alla är frånvarande",
        BROKEN,
        FAILURES,
        "Att granska",
        "Kanalregistret",
        "Arkivet",
        "Att signera",
        "Mina planer",
        "Bakgrundsjobb",
    ]


def test_section_a_later_app_registers_appears_for_its_roles_in_its_place(
    client, library, registry
):
    """How a later app adds its part: register from its own AppConfig, nothing else."""
    register_section(
        "supervision",
        title="Veckans tillsyn",
        empty_text="Ingen tillsyn väntar.",
        roles=[Role.DAILY_OPERATOR, Role.INFORMATION_UNIT],
        provider=lambda user: [Item(label=f"Kommentar till {user.username}", url="/k/1/")],
        order=25,
    )
    client.force_login(UserFactory(username="maja", unit=library, roles=list(Role)))

    page = client.get(reverse("start")).content.decode()

    assert SECTION_HEADING.findall(page) == [
        "Modereringskö",
        *SUPERVISION,
        "Kanaler där alla är frånvarande",
        BROKEN,
        FAILURES,
        "Att granska",
        "Kanalregistret",
        "Arkivet",
        "Veckans tillsyn",
        "Att signera",
        "Mina planer",
        "Bakgrundsjobb",
    ]
    assert '<a href="/k/1/">Kommentar till maja</a>' in page


def _fill_every_section(library, user, count: int) -> None:
    """`count` plans by the user waiting for review, `count` waiting for the user's
    signature, and `count` channels not yet published."""
    for _ in range(count):
        ChannelFactory(unit=library)
        ActivityPlanFactory(
            unit=library,
            manager=user,
            administrators=[user],
            status=PlanStatus.AWAITING_SIGNATURES,
        )
        ActivityPlanFactory(unit=library, prepared_by=user, status=PlanStatus.IN_REVIEW)


def test_start_page_query_count_does_not_grow_with_the_items(
    client, library, django_assert_max_num_queries
):
    user = UserFactory(unit=library, roles=list(Role))
    _fill_every_section(library, user, count=8)
    # Eight direct messages waiting to be registered, on one of the channels.
    messages_channel = ChannelFactory(unit=library)
    for number in range(8):
        _message(messages_channel, number)
    client.force_login(user)

    # 17 for the page (one for the moderation queue, three for the archive's section), 5 for
    # moderation's supervision sections (2 more prefetching the plans' people when channels
    # have current plans; one for the unregistered direct messages), 3 for saving the
    # idle-session clock (an UPDATE in a savepoint) and 3 for the background jobs' section
    # (heartbeat, oldest waiting message, those given up).
    with django_assert_max_num_queries(30):
        response = client.get(reverse("start"))

    page = response.content.decode()
    assert page.count("väntar på publicering") == 1
    # The nine new channels started long ago and have no snapshot: the archive lists them.
    # The eight messages, long past their deadline, are listed three times: in the queue,
    # as late, and as waiting to be registered.
    assert page.count('class="list-group-item"') == 8 + 8 + 9 + 1 + 8 + 8 + 8 + 8


def _message(channel, number: int):
    from moderation import services
    from tests.moderation.conftest import item_data

    return services.register_item(
        channel, item_data(kind="message", external_id=f"dm-{number}", text="Hej!")
    )[0]


def _unregistered_section(page: str) -> str:
    start = page.index('id="sektion-unregistered_messages"')
    return page[start : page.index("</section>", start)]


def test_the_start_page_lists_the_direct_messages_waiting_to_be_registered(
    client, channel, dora, bob
):
    from moderation import services

    waiting = _message(channel, 1)
    registered = _message(channel, 2)
    services.decide_item(registered, by=dora, kind="register", diarienummer="KFN 2026/1")
    client.force_login(dora)

    section = _unregistered_section(client.get(reverse("start")).content.decode())

    assert waiting.get_absolute_url() in section
    assert registered.get_absolute_url() not in section
    client.force_login(bob)
    assert "Ej diarieförda direktmeddelanden" not in section_titles(client)


def test_the_unregistered_messages_section_costs_the_same_for_one_or_many(
    client, channel, dora, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from moderation.dashboard import UNREGISTERED_SHOWN

    _message(channel, 0)
    client.force_login(dora)
    client.get(reverse("start"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("start"))
    for number in range(1, UNREGISTERED_SHOWN + 5):
        _message(channel, number)

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("start"))

    section = _unregistered_section(response.content.decode())
    assert section.count('class="list-group-item"') == UNREGISTERED_SHOWN + 1
    assert "?unregistered=on" in section
