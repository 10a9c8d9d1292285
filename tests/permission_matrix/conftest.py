import pytest
from django.db import transaction

from tests.moderation.platforms.stub import stub_connectors

from .world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module; each test runs in a savepoint inside this transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _stub_connectors():
    """The connection pages' connector, until the platform connectors land beside them."""
    with stub_connectors():
        yield
