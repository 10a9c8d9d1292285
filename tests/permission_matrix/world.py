"""The world every permission case runs in: the cast of roles, one Biblioteket plan in each
state of the workflow, and one of each other object a staff URL needs.

Built once per test module inside a transaction that is rolled back at the end; each test runs
in a savepoint within it, so no case sees another's changes (as in tests/test_bad_input.py).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.test import Client

from activityplans import services
from activityplans.models import ActivityPlan, GraphicProfile
from activityplans.workflow import PlanStatus
from archiving import services as archiving
from archiving.culling import services as culling
from archiving.models import CullingProposal, DispositionDecision, SnapshotReason
from atvida_social.organisation.roles import Role
from channels import services as channel_services
from moderation import services as moderation_services
from moderation.models import PlatformAction, PlatformActionState, Rule
from moderation.platforms.simulator import app as simulator_app
from moderation.platforms.simulator.state import Fault
from moderation.services import connections, ingest, platform_actions, reports, supervision
from moderation.workflow import DecisionKind
from tests.archiving.conftest import make_snapshot
from tests.factories import (
    TEST_PASSWORD,
    ActivityPlanFactory,
    AdministrationFactory,
    ChannelFactory,
    PartyLinkFactory,
    UnitFactory,
    UserFactory,
)
from tests.moderation.platforms import page

ANONYMOUS = "anonymous"
DAILY_OPERATOR = "daglig_drift"
ACCOUNT_OWNER = "kontoansvarig"
MANAGER = "chef"
OTHER_MANAGER = "annan_chef"
INFORMATION_UNIT = "informationsenheten"
ARCHIVIST = "arkivarie"

ROLES = [
    ANONYMOUS,
    DAILY_OPERATOR,
    ACCOUNT_OWNER,
    MANAGER,
    OTHER_MANAGER,
    INFORMATION_UNIT,
    ARCHIVIST,
]
USERS = [role for role in ROLES if role != ANONYMOUS]

DRAFT = "draft"
AWAITING = "awaiting_signatures"
SIGNED = "signed"
IN_REVIEW = "in_review"
APPROVED = "approved"
RETURNED = "returned"
REJECTED = "rejected"

# SUPERSEDED: an approved plan whose revision was approved since (one current plan per
# channel). It is seen like an approved plan and allows no action at all (edit → plan page,
# every action refused, no revision, no credential hand-over).
SUPERSEDED = "superseded"

STATES = [DRAFT, AWAITING, SIGNED, IN_REVIEW, APPROVED, RETURNED, REJECTED, SUPERSEDED]


@dataclass
class World:
    users: dict  # role -> user
    sessions: dict  # role -> session key, None for the anonymous visitor
    plans: dict  # state -> plan id
    ids: dict  # other objects' ids for URL templates

    def client(self, role: str) -> Client:
        client = Client()
        if self.sessions[role] is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client

    def plan(self, state: str) -> ActivityPlan:
        return ActivityPlan.objects.get(pk=self.plans[state])

    def user(self, role: str):
        # Fresh from the database: the role cache on a user object must not outlive a test.
        return type(self.users[role]).objects.get(pk=self.users[role].pk)


def build_world() -> World:
    library = UnitFactory(
        name="Biblioteket",
        administration=AdministrationFactory(name="Kultur- och fritidsförvaltningen"),
    )
    school = UnitFactory(
        name="Centralskolan",
        is_confidential=True,
        administration=AdministrationFactory(name="Barn- och utbildningsförvaltningen"),
    )
    information_unit = UnitFactory(
        name="Informationsenheten",
        administration=AdministrationFactory(name="Kommunledningsförvaltningen"),
    )
    archive = UnitFactory(
        name="Kommunarkivet",
        administration=AdministrationFactory(name="Kommunledningsförvaltningen"),
    )
    # The same people as the dagny, kim, bob, sven, ingrid and arne fixtures of
    # tests/conftest.py. arne, the archivist, holds no role in any unit's channels.
    users = {
        DAILY_OPERATOR: UserFactory(username="dagny", unit=library, roles=[Role.DAILY_OPERATOR]),
        ACCOUNT_OWNER: UserFactory(username="kim", unit=library, roles=[Role.ACCOUNT_OWNER]),
        MANAGER: UserFactory(username="bob", unit=library, roles=[Role.MANAGER]),
        OTHER_MANAGER: UserFactory(username="sven", unit=school, roles=[Role.MANAGER]),
        INFORMATION_UNIT: UserFactory(
            username="ingrid", unit=information_unit, roles=[Role.INFORMATION_UNIT]
        ),
        ARCHIVIST: UserFactory(username="arne", unit=archive, roles=[Role.ARCHIVIST]),
    }
    # The author and second administrator: outside the matrix, so that no role's answer
    # comes from having written the plan.
    alice = UserFactory(
        username="alice", unit=library, roles=[Role.ACCOUNT_OWNER, Role.DAILY_OPERATOR]
    )
    plans = _build_plans(library, users, alice)
    approved = ActivityPlan.objects.get(pk=plans[APPROVED])
    credential = services.save_credential(
        approved, by=users[ACCOUNT_OWNER], username="bibblan", password="hemligt-1"
    )
    # An item on the approved plan's channel: dagny (its daily operator), kim and alice (its
    # administrators) and Informationsenheten moderate it.
    item, _ = moderation_services.register_item(
        approved.channel,
        {
            "external_id": "fb-1",
            "kind": "question",
            "author": "Anna",
            "text": "När öppnar ni?",
            "received_at": "2026-03-27T16:30:00+01:00",
        },
    )
    # Two direct messages in the diarium, each with its copy archived: one registered, one
    # marked secret (its copy is for Informationsenheten only).
    diarium_copies = {}
    for external_id, kind in (("dm-registered", "register"), ("dm-secret", "secrecy")):
        message, _ = moderation_services.register_item(
            approved.channel,
            {
                "external_id": external_id,
                "kind": "message",
                "author": "Anna",
                "text": "Jag vill överklaga beslutet.",
                "received_at": "2026-03-27T16:30:00+01:00",
            },
        )
        registering = moderation_services.decide_item(
            message, by=users[INFORMATION_UNIT], kind=kind, diarienummer="KS 2026/1"
        )
        diarium_copies[kind] = archiving.archive_diarium_copy(registering.pk).pk
    token, _secret = ingest.create_ingest_token(approved.channel, label="Kopplingen")
    # The channel's connection to its page on the simulated Facebook, entered by its account
    # owner; and a comment removed by its daily operator whose removal failed there (the
    # platform answered with server errors until the attempts ran out).
    connections.save_connection(
        approved.channel,
        by=users[ACCOUNT_OWNER],
        account_id=page.PAGE,
        credentials=page.CREDENTIALS,
    )
    simulator = simulator_app.STATE
    simulator.reset()
    page.open_page(simulator)
    removed, _ = moderation_services.register_item(
        approved.channel,
        {
            "external_id": "fb-2",
            "kind": "comment",
            "author": "Reklam AB",
            "text": "Köp billiga klockor här!",
            "received_at": "2026-03-27T16:31:00+01:00",
        },
    )
    moderation_services.decide_item(
        removed, by=users[DAILY_OPERATOR], kind=DecisionKind.REMOVE, category="reklam"
    )
    failed_action = PlatformAction.objects.get(item=removed)
    simulator.inject(Fault("facebook", "server_error", times=platform_actions.MAX_ATTEMPTS))
    for _attempt in range(platform_actions.MAX_ATTEMPTS):
        platform_actions.carry_out_platform_action(failed_action.pk)
    failed_action.refresh_from_db()
    assert failed_action.state == PlatformActionState.FAILED, failed_action.state
    simulator.reset()
    link = PartyLinkFactory()
    ChannelFactory(unit=school)
    version = channel_services.publish_register(by=users[INFORMATION_UNIT])
    # A finished snapshot of the approved plan's channel, its files written to the storage.
    snapshot = make_snapshot(approved.channel)
    # A snapshot run of the same channel whose worker was killed: failed, to be tried again.
    failed_run = archiving.start_snapshot_run(
        approved.channel,
        period_start=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        period_end=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
        reason=SnapshotReason.ON_DEMAND,
        key="world:failed",
        by=users[INFORMATION_UNIT],
        note="Ny grafisk profil.",
    )
    archiving.fail_snapshot_run(failed_run.pk, error="Arbetaren stoppades.")
    # Culling: the decision it rests on, a proposal under review and a legal hold.
    decision = DispositionDecision.objects.create(
        reference="KS 2026/17 § 4",
        description="Ringa inlägg gallras efter tre månader.",
        adopted_on=datetime.date(2026, 1, 20),
        created_by=users[INFORMATION_UNIT],
    )
    proposal = CullingProposal.objects.create(
        decision=decision, cutoff=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    )
    hold = culling.place_legal_hold(
        approved.channel, by=users[INFORMATION_UNIT], reason="Begäran om allmän handling."
    )
    # Supervision: dagny's planned absence, alice standing in.
    absence = supervision.register_absence(
        users[DAILY_OPERATOR],
        by=users[DAILY_OPERATOR],
        starts_at=datetime.datetime(2030, 1, 7, 7, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 1, 11, 16, tzinfo=datetime.UTC),
        substitute=alice,
    )
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    staff_only = UserFactory(username="stina", unit=library, is_staff=True)
    sessions = {ANONYMOUS: None}
    for name, user in [*users.items(), ("root", root), ("staff_only", staff_only)]:
        login = Client()
        login.force_login(user)
        sessions[name] = login.cookies[settings.SESSION_COOKIE_NAME].value
    return World(
        users=users,
        sessions=sessions,
        plans=plans,
        ids={
            "unit": library.pk,
            "channel": approved.channel_id,
            "party": link.party_id,
            "link": link.pk,
            "version": version.number,
            "credential": credential.pk,
            "item": item.pk,
            "rule": Rule.objects.values_list("pk", flat=True).first(),
            "alice": alice.pk,
            "dagny": users[DAILY_OPERATOR].pk,
            "absence": absence.pk,
            "token": token.pk,
            "platform_action": failed_action.pk,
            "archive_file": snapshot.files.order_by("pk").first().pk,
            "diarium_copy": diarium_copies["register"],
            "secret_diarium_copy": diarium_copies["secrecy"],
            "failed_run": failed_run.pk,
            "proposal": proposal.pk,
            "hold": hold.pk,
            "receipt": reports.receipt_token("ANM-23456-789AB"),
        },
    )


def _build_plans(library, users, alice) -> dict[str, int]:
    manager, owner, info = users[MANAGER], users[ACCOUNT_OWNER], users[INFORMATION_UNIT]

    def new_plan(state: str) -> ActivityPlan:
        # A requested deviation from the graphic profile, so that its decision has a case.
        return ActivityPlanFactory(
            unit=library,
            account_name=f"Bibblan {state}",
            url=f"https://www.facebook.com/bibblan-{state.replace('_', '-')}",
            manager=manager,
            prepared_by=alice,
            administrators=[owner, alice],
            daily_operators=[users[DAILY_OPERATOR]],
            graphic_profile=GraphicProfile.DEVIATION,
            graphic_profile_deviation="Egen logotyp för barnavdelningen.",
        )

    def signed(state: str) -> ActivityPlan:
        plan = new_plan(state)
        services.submit_plan(plan, by=owner)
        for signer in (manager, owner, alice):
            services.sign_plan(plan, by=signer, password=TEST_PASSWORD)
        return plan

    def in_review(state: str) -> ActivityPlan:
        plan = signed(state)
        services.start_review(plan, by=info)
        services.decide_graphic_profile(plan, by=info, approved=True)
        return plan

    awaiting = new_plan(AWAITING)
    services.submit_plan(awaiting, by=owner)
    approved = in_review(APPROVED)
    services.approve_plan(approved, by=info)
    returned = in_review(RETURNED)
    services.return_plan(returned, by=info, note="Förtydliga målgruppen.")
    rejected = in_review(REJECTED)
    services.reject_plan(rejected, by=info, note="Kanalen behövs inte.")
    if SUPERSEDED in STATES:
        superseded = in_review(SUPERSEDED)
        services.approve_plan(superseded, by=info)
        superseded.refresh_from_db()
        revision = services.start_revision(superseded, by=owner)
        services.submit_plan(revision, by=owner)
        for signer in (manager, owner, alice):
            services.sign_plan(revision, by=signer, password=TEST_PASSWORD)
        services.start_review(revision, by=info)
        services.decide_graphic_profile(revision, by=info, approved=True)
        services.approve_plan(revision, by=info)
    plans = {
        DRAFT: new_plan(DRAFT),
        AWAITING: awaiting,
        SIGNED: signed(SIGNED),
        IN_REVIEW: in_review(IN_REVIEW),
        APPROVED: approved,
        RETURNED: returned,
        REJECTED: rejected,
    }
    if SUPERSEDED in STATES:
        plans[SUPERSEDED] = superseded
    for state, plan in plans.items():
        plan.refresh_from_db()
        assert plan.status == STATUS_OF[state], (state, plan.status)
    return {state: plan.pk for state, plan in plans.items()}


STATUS_OF = {
    DRAFT: PlanStatus.DRAFT,
    AWAITING: PlanStatus.AWAITING_SIGNATURES,
    SIGNED: PlanStatus.SIGNED,
    IN_REVIEW: PlanStatus.IN_REVIEW,
    APPROVED: PlanStatus.APPROVED,
    RETURNED: PlanStatus.RETURNED,
    REJECTED: PlanStatus.REJECTED,
}
if SUPERSEDED in STATES:
    STATUS_OF[SUPERSEDED] = PlanStatus.SUPERSEDED
