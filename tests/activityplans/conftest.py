import pytest

from activityplans import services
from atvida_social.organisation.roles import Role
from tests.factories import TEST_PASSWORD, ActivityPlanFactory, UserFactory


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


@pytest.fixture
def approved(plan, alice, bob, dan, ingrid):
    """The plan submitted, signed by all three, reviewed and approved by ingrid."""
    services.submit_plan(plan, by=alice)
    for signer in (bob, alice, dan):
        services.sign_plan(plan, by=signer, password=TEST_PASSWORD)
    services.start_review(plan, by=ingrid)
    services.approve_plan(plan, by=ingrid)
    plan.refresh_from_db()
    return plan
