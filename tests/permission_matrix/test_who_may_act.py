"""Who may act for a plan's unit is decided at the time of acting, against the stored plan.

(Roller och ansvar.)
The author keeps no right of their own; someone named on a plan cannot move it to their unit;
an administrator removed in a later revision no longer hands the login over.
"""

import pytest

from activityplans import services
from activityplans.models import ActivityPlan, Credential
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.roles import Role
from tests.factories import TEST_PASSWORD, ActivityPlanFactory, UserFactory

pytestmark = pytest.mark.django_db


def _draft(unit, *, author, manager, administrators, operators):
    return ActivityPlanFactory(
        unit=unit,
        manager=manager,
        prepared_by=author,
        administrators=administrators,
        daily_operators=operators,
    )


def _approve(plan, *, submitter, signers, ingrid):
    services.submit_plan(plan, by=submitter)
    for signer in signers:
        services.sign_plan(plan, by=signer, password=TEST_PASSWORD)
    services.start_review(plan, by=ingrid)
    services.approve_plan(plan, by=ingrid)
    plan.refresh_from_db()
    return plan


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def second_owner(library):
    return UserFactory(username="kajsa", unit=library, roles=[Role.ACCOUNT_OWNER])


@pytest.fixture
def kims_plan(library, kim, bob, second_owner, dagny):
    """A draft kim wrote while Kontoansvarig at Biblioteket."""
    return _draft(
        library,
        author=kim,
        manager=bob,
        administrators=[kim, second_owner],
        operators=[dagny],
    )


def test_kontoansvarig_of_the_unit_may_submit(kims_plan, kim):
    services.submit_plan(kims_plan, by=kim)

    assert ActivityPlan.objects.get(pk=kims_plan.pk).status == "vantar_pa_signering"


def test_author_who_lost_the_role_may_not_submit(kims_plan, kim):
    kim.groups.clear()

    with pytest.raises(PermissionDeniedError):
        services.submit_plan(kims_plan, by=_fresh(kim))
    assert ActivityPlan.objects.get(pk=kims_plan.pk).status == "utkast"


def test_author_who_left_the_unit_may_not_edit(kims_plan, kim, school):
    kim.unit = school
    kim.save()

    with pytest.raises(PermissionDeniedError):
        services.save_plan(
            kims_plan,
            by=_fresh(kim),
            administrators=list(kims_plan.administrators.all()),
            daily_operators=list(kims_plan.daily_operators.all()),
        )


DRAFTING = [
    # (who, may draft a new Biblioteket plan through the service)
    ("kim", True),
    ("bob", True),
    ("ingrid", True),
    ("dagny", False),  # a unit member without a plan role
    ("sven", False),  # a manager of another unit
]


@pytest.mark.parametrize(("who", "allowed"), DRAFTING, ids=[who for who, _ in DRAFTING])
def test_only_who_may_act_for_the_unit_drafts_a_plan_through_the_service(
    request, library, kim, bob, dagny, second_owner, who, allowed
):
    author = request.getfixturevalue(who)
    url = f"https://www.facebook.com/{who}s-plan"
    plan = ActivityPlanFactory.build(unit=library, manager=bob, prepared_by=author, url=url)

    def draft():
        services.save_plan(
            plan, by=author, administrators=[kim, second_owner], daily_operators=[dagny]
        )

    if allowed:
        draft()
    else:
        with pytest.raises(PermissionDeniedError):
            draft()
    assert ActivityPlan.objects.filter(url=url).exists() is allowed


def test_another_units_manager_cannot_save_a_plan_drawn_up_by_the_unit(
    library, alice, kim, bob, dagny, second_owner, sven
):
    plan = ActivityPlanFactory.build(unit=library, manager=bob, prepared_by=alice)

    with pytest.raises(PermissionDeniedError):
        services.save_plan(
            plan, by=sven, administrators=[kim, second_owner], daily_operators=[dagny]
        )
    assert not ActivityPlan.objects.exists()


def test_someone_named_on_a_plan_cannot_move_it_to_their_own_unit(kims_plan, carol, school):
    kims_plan.daily_operators.add(carol)
    kims_plan.unit = school
    kims_plan.confidentiality_measures = "Inga bilder på elever."

    with pytest.raises(PermissionDeniedError):
        services.save_plan(
            kims_plan,
            by=carol,
            administrators=list(kims_plan.administrators.all()),
            daily_operators=list(kims_plan.daily_operators.all()),
        )
    assert ActivityPlan.objects.get(pk=kims_plan.pk).unit.name == "Biblioteket"


@pytest.fixture
def replaced_administrator(kims_plan, kim, bob, second_owner, ingrid, library):
    """kim administered revision 1; revision 2, approved, names kajsa and lena instead."""
    first = _approve(kims_plan, submitter=kim, signers=[bob, kim, second_owner], ingrid=ingrid)
    lena = UserFactory(username="lena", unit=library, roles=[Role.ACCOUNT_OWNER])
    second = services.start_revision(first, by=bob)
    services.save_plan(
        second,
        by=bob,
        administrators=[second_owner, lena],
        daily_operators=list(second.daily_operators.all()),
    )
    _approve(second, submitter=bob, signers=[bob, second_owner, lena], ingrid=ingrid)
    return first


def test_administrator_of_the_current_plan_hands_the_login_over(
    replaced_administrator, second_owner
):
    current = ActivityPlan.objects.get(supersedes=replaced_administrator)

    services.save_credential(current, by=second_owner, username="bibblan", password="x-1")

    assert Credential.objects.get(channel=current.channel).entered_by == second_owner


def test_administrator_removed_in_a_later_revision_cannot_hand_the_login_over(
    replaced_administrator, kim
):
    with pytest.raises(PermissionDeniedError):
        services.save_credential(replaced_administrator, by=kim, username="kim", password="x-2")
    assert not Credential.objects.exists()


def test_administrator_removed_in_a_later_revision_is_refused_the_login_page(
    client, replaced_administrator, kim
):
    client.force_login(kim)

    response = client.get(f"/aktivitetsplaner/{replaced_administrator.pk}/inloggning/")

    assert response.status_code == 403
