"""The fixed cast: alice edits for Biblioteket, bob is her manager, carol works in another
unit, ingrid is Informationsenheten, arne is the archivist, and an anonymous visitor has no
login at all."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from atvida_social.organisation.roles import Role
from tests.factories import (
    ActivityPlanFactory,
    AdministrationFactory,
    ChannelFactory,
    UnitFactory,
    UserFactory,
)

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM use there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    broker = settings.CELERY_BROKER_URL
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
            )
        if "redis" in item.keywords and not broker.startswith("redis"):
            item.add_marker(
                pytest.mark.skip(reason="needs Redis: set CELERY_BROKER_URL=redis://...")
            )


def _restore_role_groups() -> None:
    """Re-create the role groups the data migrations made, with their permissions."""
    from importlib import import_module

    from django.contrib.auth.models import Group, Permission

    organisation = import_module("atvida_social.organisation.migrations.0002_role_groups")
    channels = import_module("channels.migrations.0003_role_permissions")
    scheduling = import_module(
        "atvida_social.scheduling.migrations.0002_information_unit_permissions"
    )
    for name, perms in organisation.ROLE_PERMISSIONS.items():
        extra = channels.INFORMATION_UNIT if name == "Informationsenheten" else channels.EVERY_ROLE
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [tuple(perm.split(".")) for perm in perms] + [("channels", c) for c in extra]
        if name == "Informationsenheten":
            wanted += [("django_celery_beat", c) for c in scheduling.INFORMATION_UNIT]
            wanted += [("outbox", "view_outboxmessage")]
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    archivist = import_module("atvida_social.organisation.migrations.0006_archivist_role")
    group, _ = Group.objects.get_or_create(name=archivist.ARCHIVIST)
    for perm in archivist.PERMISSIONS:
        app_label, codename = perm.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused database may have lost the role groups and the starter rules to an earlier
    run's transactional tests, whose flush empties every table; put them back once per
    session."""
    from importlib import import_module

    from django.apps import apps

    with django_db_blocker.unblock():
        _restore_role_groups()
        import_module("moderation.migrations.0003_starter_rules_and_policies").seed(apps, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches, as a fresh process would."""
    from channels.public_views import forget_rendered

    cache.clear()
    forget_rendered()


@pytest.fixture
def simulator():
    """The platform simulator every platform call in a test reaches (settings_test.py), its
    world empty at the start of the test."""
    from moderation.platforms.simulator.app import STATE

    STATE.reset()
    yield STATE
    STATE.reset()


@pytest.fixture
def seeded_schedule(db):
    """The periodic jobs the apps register, at their default times, as migrate seeds them."""
    from atvida_social.scheduling.seeding import seed_schedule

    seed_schedule()


@pytest.fixture
def library(db):
    return UnitFactory(
        name="Biblioteket",
        administration=AdministrationFactory(name="Kultur- och fritidsförvaltningen"),
    )


@pytest.fixture
def school(db):
    return UnitFactory(
        name="Centralskolan",
        is_confidential=True,
        administration=AdministrationFactory(name="Barn- och utbildningsförvaltningen"),
    )


@pytest.fixture
def information_unit(db):
    return UnitFactory(
        name="Informationsenheten",
        administration=AdministrationFactory(name="Kommunledningsförvaltningen"),
    )


@pytest.fixture
def alice(library):
    """A unit editor: account owner and daily operator at Biblioteket."""
    return UserFactory(
        username="alice", unit=library, roles=[Role.ACCOUNT_OWNER, Role.DAILY_OPERATOR]
    )


@pytest.fixture
def bob(library):
    """Biblioteket's responsible manager."""
    return UserFactory(username="bob", unit=library, roles=[Role.MANAGER])


@pytest.fixture
def carol(school):
    """Another unit's editor: sees nothing of Biblioteket."""
    return UserFactory(username="carol", unit=school, roles=[Role.ACCOUNT_OWNER])


@pytest.fixture
def ingrid(information_unit):
    """Informationsenheten: sees everything."""
    return UserFactory(username="ingrid", unit=information_unit, roles=[Role.INFORMATION_UNIT])


@pytest.fixture
def dora(library):
    """Biblioteket's daily operator, named in the channel's current plan."""
    return UserFactory(username="dora", unit=library, roles=[Role.DAILY_OPERATOR])


def moderated_channel(
    library,
    alice,
    bob,
    dora,
    *,
    platform="facebook",
    url="https://www.facebook.com/bibblan-moderering",
):
    """Biblioteket's channel (its Facebook page unless told), with an approved plan that names
    dora and alice; and the starter rules and response times, which a transactional test's
    flush may have emptied."""
    from importlib import import_module

    from django.apps import apps

    import_module("moderation.migrations.0003_starter_rules_and_policies").seed(apps, None)
    channel = ChannelFactory(unit=library, platform=platform, url=url)
    ActivityPlanFactory(
        unit=library,
        channel=channel,
        platform=platform,
        url=channel.url,
        status="godkand",
        manager=bob,
        prepared_by=alice,
        administrators=[alice],
        daily_operators=[dora],
    )
    return channel


@pytest.fixture
def channel(library, alice, bob, dora):
    """Biblioteket's Facebook page (`moderated_channel`)."""
    return moderated_channel(library, alice, bob, dora)


# The permission matrix's cast (tests/permission_matrix/world.py builds the same people):
# one role each, so that no answer comes from a second role.


@pytest.fixture
def dagny(library):
    """Daglig drift only at Biblioteket: runs an account day to day, drafts no plan."""
    return UserFactory(username="dagny", unit=library, roles=[Role.DAILY_OPERATOR])


@pytest.fixture
def kim(library):
    """Kontoansvarig only at Biblioteket."""
    return UserFactory(username="kim", unit=library, roles=[Role.ACCOUNT_OWNER])


@pytest.fixture
def arne(db):
    """The municipality's archivist (Arkivarie): reads and verifies the archive, nothing else."""
    unit = UnitFactory(
        name="Kommunarkivet",
        administration=AdministrationFactory(name="Kommunledningsförvaltningen"),
    )
    return UserFactory(username="arne", unit=unit, roles=[Role.ARCHIVIST])


@pytest.fixture
def sven(school):
    """Centralskolan's Ansvarig chef: a manager, but of another unit than Biblioteket."""
    return UserFactory(username="sven", unit=school, roles=[Role.MANAGER])
