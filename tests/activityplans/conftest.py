import pytest

from atvida_social.organisation.roles import Role
from tests.factories import ActivityPlanFactory, UserFactory


@pytest.fixture
def dan(library):
    """Biblioteket's second account owner."""
    return UserFactory(username="dan", unit=library, roles=[Role.ACCOUNT_OWNER])


@pytest.fixture
def plan(library, alice, bob, dan):
    """A complete draft by alice: administered by alice and dan, signed off by bob."""
    return ActivityPlanFactory(
        unit=library,
        account_name="Bibblan på Facebook",
        url="https://www.facebook.com/bibblan",
        manager=bob,
        prepared_by=alice,
        administrators=[alice, dan],
        daily_operators=[alice],
    )
