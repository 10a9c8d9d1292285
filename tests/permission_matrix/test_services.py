"""Every state transition by every role through its service, with its exact outcome.

The services are the rule (STYLE.md, "Rules live in services"): a view, the admin, a task or a
later API all meet the same refusal. Outcomes: done, PermissionDeniedError (the role may not
do this to this plan at all), TransitionNotAllowed (the role may, but not in this state) and
NotASigner. A refusal leaves the plan, its events and its signatures as they were.

The anonymous visitor has no case here: services are only called with a logged-in user.
"""

from dataclasses import dataclass

import pytest

from activityplans import services
from activityplans.exceptions import NotASigner, TransitionNotAllowed
from activityplans.models import ActivityPlan, Credential, PlanEvent, Signature
from atvida_social.organisation.exceptions import PermissionDeniedError
from tests.factories import TEST_PASSWORD

from .world import (
    ACCOUNT_OWNER,
    APPROVED,
    AWAITING,
    DRAFT,
    IN_REVIEW,
    INFORMATION_UNIT,
    MANAGER,
    REJECTED,
    RETURNED,
    SIGNED,
    STATES,
    STATUS_OF,
    USERS,
)

DONE = "done"
MAY_ACT = {ACCOUNT_OWNER, MANAGER, INFORMATION_UNIT}
SIGNERS = {ACCOUNT_OWNER, MANAGER}
INFO = {INFORMATION_UNIT}
ADMINISTRATORS = {ACCOUNT_OWNER}  # of the approved plan, the channel's current one
EDITABLE = {DRAFT, AWAITING, RETURNED}


def _save_plan(plan, *, by):
    return services.save_plan(
        plan,
        by=by,
        administrators=list(plan.administrators.all()),
        daily_operators=list(plan.daily_operators.all()),
    )


@dataclass(frozen=True)
class Service:
    call: object  # (plan, *, by) -> result
    who: frozenset  # who may do this at all; others get `refusal`
    when: dict  # state -> state after, or None where the status stays
    refusal: type = PermissionDeniedError


SERVICES = {
    "save_plan": Service(_save_plan, frozenset(MAY_ACT), dict.fromkeys(EDITABLE)),
    "submit_plan": Service(
        services.submit_plan,
        frozenset(MAY_ACT),
        # Returned unchanged, its signatures still hold: it is signed again at once.
        {DRAFT: AWAITING, RETURNED: SIGNED},
    ),
    "withdraw_plan": Service(services.withdraw_plan, frozenset(MAY_ACT), {AWAITING: DRAFT}),
    "sign_plan": Service(
        lambda plan, *, by: services.sign_plan(plan, by=by, password=TEST_PASSWORD),
        frozenset(SIGNERS),
        {AWAITING: None},  # one signer of three: still awaiting the others
        NotASigner,
    ),
    "start_review": Service(services.start_review, frozenset(INFO), {SIGNED: IN_REVIEW}),
    "decide_graphic_profile": Service(
        lambda plan, *, by: services.decide_graphic_profile(plan, by=by, approved=False),
        frozenset(INFO),
        {IN_REVIEW: None},
    ),
    "approve_plan": Service(services.approve_plan, frozenset(INFO), {IN_REVIEW: APPROVED}),
    "return_plan": Service(
        lambda plan, *, by: services.return_plan(plan, by=by, note="Förtydliga syftet."),
        frozenset(INFO),
        {IN_REVIEW: RETURNED},
    ),
    "reject_plan": Service(
        lambda plan, *, by: services.reject_plan(plan, by=by, note="Kanalen behövs inte."),
        frozenset(INFO),
        {IN_REVIEW: REJECTED},
    ),
    "start_revision": Service(services.start_revision, frozenset(MAY_ACT), {APPROVED: None}),
    "save_credential": Service(
        lambda plan, *, by: services.save_credential(
            plan, by=by, username="ny.inloggning", password="nytt-lösen-2"
        ),
        frozenset(ADMINISTRATORS),
        {APPROVED: None},
    ),
}


def expected(service: str, role: str, state: str):
    rule = SERVICES[service]
    if role not in rule.who:
        return rule.refusal
    if state in rule.when:
        return DONE
    return TransitionNotAllowed


def _params():
    for service in SERVICES:
        for state in STATES:
            for role in USERS:
                outcome = expected(service, role, state)
                name = outcome if outcome == DONE else outcome.__name__
                yield pytest.param(
                    service,
                    state,
                    role,
                    outcome,
                    id=f"{service}-{state}-{role}-{name}",
                )


def _snapshot(plan_pk: int) -> dict:
    plan = ActivityPlan.objects.get(pk=plan_pk)
    return {
        "status": plan.status,
        "graphic_profile_approved": plan.graphic_profile_approved,
        "events": list(PlanEvent.objects.filter(plan_id=plan_pk).values_list("pk", flat=True)),
        "signatures": list(Signature.objects.filter(plan_id=plan_pk).values_list("pk", flat=True)),
        "plans": ActivityPlan.objects.count(),
        "credentials": list(Credential.objects.values_list("pk", "entered_by_id", "updated_at")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("service", "state", "role", "outcome"), list(_params()))
def test_each_role_gets_exactly_its_outcome_from_each_service(world, service, state, role, outcome):
    plan, user = world.plan(state), world.user(role)
    before = _snapshot(plan.pk)

    if outcome != DONE:
        with pytest.raises(outcome):
            SERVICES[service].call(plan, by=user)
        assert _snapshot(plan.pk) == before
        return
    SERVICES[service].call(plan, by=user)

    after = SERVICES[service].when[state]
    stored = ActivityPlan.objects.get(pk=plan.pk)
    assert stored.status == STATUS_OF[after or state]
    if after is not None:
        new_events = PlanEvent.objects.filter(plan=plan).exclude(pk__in=before["events"])
        assert new_events.filter(to_status=STATUS_OF[after]).exists()
    if service == "sign_plan":
        assert Signature.objects.filter(plan=plan, signer=user).exists()
    if service == "decide_graphic_profile":
        assert stored.graphic_profile_approved is False
    if service == "start_revision":
        revision = ActivityPlan.objects.get(supersedes=plan)
        assert (revision.status, revision.revision) == (STATUS_OF[DRAFT], plan.revision + 1)
    if service == "save_credential":
        credential = Credential.objects.get(channel_id=plan.channel_id)
        assert (credential.username, credential.entered_by_id) == ("ny.inloggning", user.pk)
