"""The fixed cast: alice edits for Biblioteket, bob is her manager, carol works in another
unit, ingrid is Informationsenheten, and an anonymous visitor has no login at all."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from atvida_social.organisation.roles import Role
from tests.factories import AdministrationFactory, UnitFactory, UserFactory

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


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as a fresh process would."""
    cache.clear()


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
