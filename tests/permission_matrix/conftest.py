import pytest
from django.db import transaction

from tests.moderation.platforms.page import open_page

from .world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module; each test runs in a savepoint inside this transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _facebook_page(simulator):
    """The world's channel's page on the simulated Facebook, its token granted."""
    open_page(simulator)
