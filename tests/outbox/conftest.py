from contextlib import contextmanager

import pytest

from atvida_social import celery_app
from atvida_social.organisation.roles import Role
from tests.factories import ActivityPlanFactory, UserFactory

# A port nothing listens on: Redis "stopped".
STOPPED_BROKER = "redis://127.0.0.1:1/0"


@contextmanager
def broker(url: str):
    """Celery publishes to `url` for real (no in-process shortcut) until the block ends."""
    # The read and write URLs, because a CELERY_BROKER_URL in the environment outranks
    # broker_url in Celery's configuration.
    keys = ("broker_read_url", "broker_write_url", "task_always_eager")
    before = {key: celery_app.conf.get(key) for key in keys}
    _forget_connections()
    celery_app.conf.update(broker_read_url=url, broker_write_url=url, task_always_eager=False)
    try:
        yield
    finally:
        celery_app.conf.update(before)
        _forget_connections()


def _forget_connections() -> None:
    # The app keeps its broker connection pool; a changed broker_url needs a fresh one.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def dan(library):
    """Biblioteket's second account owner."""
    return UserFactory(username="dan", unit=library, roles=[Role.ACCOUNT_OWNER])


@pytest.fixture
def plan(library, alice, bob, dan):
    """A complete draft by alice, to be signed by alice, dan and their manager bob."""
    return ActivityPlanFactory(
        unit=library,
        account_name="Bibblan på Facebook",
        url="https://www.facebook.com/bibblan",
        manager=bob,
        prepared_by=alice,
        administrators=[alice, dan],
        daily_operators=[alice],
    )
