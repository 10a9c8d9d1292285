"""Two people acting on the same plan at the same moment, on PostgreSQL: one open plan per
channel and one current plan hold under concurrency, and whoever loses the race gets the same
Swedish answer as one who came second, never a 500 and never half a change."""

import functools
import threading
import time
from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from activityplans import selectors, services
from activityplans.exceptions import TransitionNotAllowed
from activityplans.models import ActivityPlan, PlanEvent
from activityplans.workflow import OPEN, PlanStatus
from atvida_social.organisation.models import AuditLogEntry
from channels.models import Channel
from tests.activityplans.test_rules import _new_plan
from tests.activityplans.test_views import _form_data
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

OPEN_PLAN_MESSAGE = "Det finns redan en pågående aktivitetsplan för den här kanalen."
INSERT_PLAN = 'INSERT INTO "activityplans_activityplan"'


def _pause_before(sql_start: str, barrier: threading.Barrier):
    """An execute wrapper that holds the thread at the barrier just before its first statement
    starting with sql_start: every thread is then past its own checks when they go on."""
    waited = False

    def wrapper(execute, sql, params, many, context):
        nonlocal waited
        if not waited and sql.startswith(sql_start):
            waited = True
            barrier.wait(timeout=15)
        return execute(sql, params, many, context)

    return wrapper


def _hold_before_open_plan_check(reached: threading.Event, done: threading.Event):
    """An execute wrapper that holds the thread just before it looks for the channel's open
    plan, until the other thread has finished or waits for a lock this thread holds."""

    def wrapper(execute, sql, params, many, context):
        if not reached.is_set() and '"activityplans_activityplan"."status" IN' in sql:
            reached.set()
            deadline = time.monotonic() + 30
            while not done.is_set() and time.monotonic() < deadline:
                with context["connection"].cursor() as cursor:
                    cursor.execute(
                        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted"
                        " AND pg_backend_pid() = ANY(pg_blocking_pids(pid)))"
                    )
                    if cursor.fetchone()[0]:
                        break
                time.sleep(0.05)
        return execute(sql, params, many, context)

    return wrapper


def _in_threads(*calls: Callable) -> list:
    """Run each call in a thread of its own, with its own database connection; returns what
    each call returned or raised, in the order of the calls."""
    outcomes: list = [None] * len(calls)

    def run(index: int, call: Callable) -> None:
        try:
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a racing call never finished"
    return outcomes


def _race(*calls: Callable, before_sql: str | None = None) -> list:
    """The calls in threads released together by a barrier: at their start, or, with
    before_sql, just before each one's first statement starting with it."""
    barrier = threading.Barrier(len(calls))

    def released(call: Callable):
        if before_sql is None:
            barrier.wait(timeout=15)
            return call()
        with connection.execute_wrapper(_pause_before(before_sql, barrier)):
            return call()

    return _in_threads(*(functools.partial(released, call) for call in calls))


@pytest.fixture
def revision_in_review(approved, alice, bob, dan, ingrid):
    """Revision 2 of the approved plan, changed, signed again and under review."""
    draft = services.start_revision(approved, by=alice)
    draft.account_name = "Biblioteket i Åtvidaberg"
    services.save_plan(draft, by=alice, administrators=[alice, dan], daily_operators=[alice])
    services.submit_plan(draft, by=alice)
    for signer in (bob, alice, dan):
        services.sign_plan(draft, by=signer, password=TEST_PASSWORD)
    services.start_review(draft, by=ingrid)
    draft.refresh_from_db()
    return draft


# --- 1. Two people draw up a plan for the same address at once ---------------------------


def test_two_people_saving_a_plan_for_one_address_at_once_store_one_plan(
    library, alice, bob, dan, ingrid
):
    """Both pass every check before either inserts; the database decides, and the service
    turns its refusal into the form's Swedish message (One open plan per channel)."""
    address = {"platform": "instagram", "url": "https://www.instagram.com/bibblan"}

    def save(by):
        plan = _new_plan(library, bob, **address)
        services.save_plan(plan, by=by, administrators=[alice, dan], daily_operators=[alice])
        return plan

    outcomes = _race(lambda: save(alice), lambda: save(ingrid), before_sql=INSERT_PLAN)

    saved = [o for o in outcomes if isinstance(o, ActivityPlan)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(saved), len(refused)) == (1, 1), outcomes
    assert refused[0].message_dict == {NON_FIELD_ERRORS: [OPEN_PLAN_MESSAGE]}
    assert list(ActivityPlan.objects.values_list("pk", flat=True)) == [saved[0].pk]
    assert AuditLogEntry.objects.filter(action="plan_created").count() == 1


def test_two_people_posting_the_new_plan_form_at_once_store_one_plan(
    library, alice, bob, dan, ingrid
):
    """One is sent to the saved plan, the other sees the form again with the Swedish error."""
    data = _form_data(library, bob, [alice, dan], [alice])
    clients = []
    for user in (alice, ingrid):
        client = Client()
        client.force_login(user)
        clients.append(client)
    url = reverse("activityplans:plan-create")

    outcomes = _race(*(lambda c=c: c.post(url, data) for c in clients), before_sql=INSERT_PLAN)

    assert sorted(getattr(o, "status_code", o) for o in outcomes) == [200, 302], outcomes
    plan = ActivityPlan.objects.get()
    redirected = next(o for o in outcomes if o.status_code == 302)
    refused = next(o for o in outcomes if o.status_code == 200)
    assert redirected.url == plan.get_absolute_url()
    assert OPEN_PLAN_MESSAGE in refused.content.decode()


# --- 2. A double click on "revise" -------------------------------------------------------


def test_two_simultaneous_revisions_of_the_current_plan_give_the_same_draft(approved, alice):
    """Under the current plan's row lock the second call finds the first one's draft."""
    outcomes = _race(
        lambda: services.start_revision(approved, by=alice),
        lambda: services.start_revision(approved, by=alice),
    )

    assert all(isinstance(o, ActivityPlan) for o in outcomes), outcomes
    draft = ActivityPlan.objects.get(channel=approved.channel, status__in=OPEN)
    assert [o.pk for o in outcomes] == [draft.pk, draft.pk]
    assert (draft.revision, draft.supersedes_id) == (2, approved.pk)
    assert AuditLogEntry.objects.filter(action="plan_revision_started").count() == 1


def test_a_double_click_on_revise_in_two_requests_at_once_opens_one_draft(approved, alice):
    """Both clicks land on the same draft's edit page."""
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(alice)
    url = reverse("activityplans:plan-revise", args=[approved.pk])

    outcomes = _race(*(lambda c=c: c.post(url) for c in clients))

    draft = ActivityPlan.objects.get(channel=approved.channel, status__in=OPEN)
    edit = reverse("activityplans:plan-edit", args=[draft.pk])
    assert [(getattr(o, "status_code", o), getattr(o, "url", None)) for o in outcomes] == [
        (302, edit),
        (302, edit),
    ]
    assert ActivityPlan.objects.filter(channel=approved.channel).count() == 2


def test_a_revision_is_never_started_from_a_plan_superseded_at_the_same_moment(
    approved, revision_in_review, alice, ingrid
):
    """A click on "revise" of the plan in force while Informationsenheten approves its
    successor: the click holds the plan's row lock, so the approval waits for it and the click
    lands on the open revision; no draft is ever copied from a plan superseded meanwhile."""
    reached, approval_done = threading.Event(), threading.Event()

    def revise():
        with connection.execute_wrapper(_hold_before_open_plan_check(reached, approval_done)):
            return services.start_revision(approved, by=alice)

    def approve():
        reached.wait(timeout=15)
        try:
            return services.approve_plan(revision_in_review, by=ingrid)
        finally:
            approval_done.set()

    revised, approval = _in_threads(revise, approve)

    assert isinstance(approval, ActivityPlan), approval
    assert getattr(revised, "pk", revised) == revision_in_review.pk
    plans = ActivityPlan.objects.filter(channel=approved.channel).order_by("revision")
    assert list(plans.values_list("revision", "status")) == [
        (1, PlanStatus.SUPERSEDED),
        (2, PlanStatus.APPROVED),
    ]


# --- 3. Approvals -------------------------------------------------------------------------


def test_a_second_open_revision_of_a_channel_cannot_be_stored_even_at_once(approved):
    """Two revisions inserted at the same moment, each moving the account to an address of its
    own: the database keeps one open plan per channel, so two approvals can never race for one
    channel (One current plan per channel)."""

    def insert(number: int) -> ActivityPlan:
        revision = ActivityPlan.objects.get(pk=approved.pk)
        revision.pk = None
        revision._state.adding = True
        revision.status = PlanStatus.DRAFT
        revision.revision = number
        revision.supersedes = approved
        revision.url = f"https://www.facebook.com/bibblan-{number}"
        with transaction.atomic():
            revision.save()
        return revision

    outcomes = _race(lambda: insert(2), lambda: insert(3), before_sql=INSERT_PLAN)

    assert sorted(type(o).__name__ for o in outcomes) == ["ActivityPlan", "IntegrityError"]
    refusal = next(o for o in outcomes if isinstance(o, IntegrityError))
    assert "one_open_plan_per_channel" in str(refusal)
    assert ActivityPlan.objects.filter(channel=approved.channel, status__in=OPEN).count() == 1


@pytest.mark.parametrize("subject", ["first_plan", "revision"])
def test_two_simultaneous_approvals_of_one_plan_approve_it_once(
    request, subject, plan, alice, bob, dan, ingrid
):
    """A double click on "approve" (of a new channel's plan, or of a revision that supersedes
    the plan in force): one approval, one channel, one current plan; the other is refused."""
    if subject == "first_plan":
        services.submit_plan(plan, by=alice)
        for signer in (bob, alice, dan):
            services.sign_plan(plan, by=signer, password=TEST_PASSWORD)
        services.start_review(plan, by=ingrid)
        target = plan
    else:
        target = request.getfixturevalue("revision_in_review")

    outcomes = _race(
        lambda: services.approve_plan(target, by=ingrid),
        lambda: services.approve_plan(target, by=ingrid),
    )

    approved = [o for o in outcomes if isinstance(o, ActivityPlan)]
    refused = [o for o in outcomes if isinstance(o, TransitionNotAllowed)]
    assert (len(approved), len(refused)) == (1, 1), outcomes
    assert refused[0].message == "Planen är godkänd och kan inte godkännas."
    target.refresh_from_db()
    channel = Channel.objects.get()
    assert target.status == PlanStatus.APPROVED
    assert selectors.current_plan(channel) == target
    assert ActivityPlan.objects.filter(status=PlanStatus.APPROVED).count() == 1
    assert PlanEvent.objects.filter(to_status=PlanStatus.APPROVED).count() == (
        1 if subject == "first_plan" else 2
    )
    assert PlanEvent.objects.filter(to_status=PlanStatus.SUPERSEDED).count() == (
        0 if subject == "first_plan" else 1
    )


def test_a_double_click_on_approve_in_two_requests_at_once_approves_once(
    revision_in_review, ingrid
):
    """Both clicks come back to the plan; one says it is approved, the other why it is not."""
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(ingrid)
    url = reverse("activityplans:plan-approve", args=[revision_in_review.pk])

    outcomes = _race(*(lambda c=c: c.post(url) for c in clients))

    assert [getattr(o, "status_code", o) for o in outcomes] == [302, 302]
    shown = sorted(str(m) for o in outcomes for m in get_messages(o.wsgi_request))
    assert len(shown) == 2
    assert shown[0] == "Planen är godkänd och kan inte godkännas."
    assert shown[1].startswith("Planen är godkänd och kanalen finns i registret.")
    assert (
        PlanEvent.objects.filter(plan=revision_in_review, to_status=PlanStatus.APPROVED).count()
        == 1
    )
