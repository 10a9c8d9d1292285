"""Every staff URL × every role × every state of a plan that matters: the exact answer.

Roles: an anonymous visitor; dagny (Daglig drift only, a daily operator of the plan); kim
(Kontoansvarig, an administrator of the plan); bob (Ansvarig chef of Biblioteket, the plan's
manager); sven (Ansvarig chef of Centralskolan); ingrid (Informationsenheten); arne (Arkivarie,
the municipality's archivist, of no unit that runs a channel).

The permission model (Roller och ansvar):
- seeing a plan (detail, PDF): Informationsenheten, the unit's staff and anyone named in it;
  others get 404;
- drafting, editing, submitting, withdrawing and revising: whoever may act for the plan's unit
  now (Informationsenheten, or the unit's Kontoansvarig or Ansvarig chef); a plan visible to
  someone who may not act answers 403, whatever its state;
- signing: the manager and the named administrators, only while the plan awaits signatures;
- review, graphic-profile decision, approval, return, rejection, the credential list and
  reveal: Informationsenheten only;
- handing the login over: the administrators of the channel's current (approved) plan;
- the archive: Informationsenheten and the archivist see, download and verify;
  only Informationsenheten takes a snapshot or checks the whole archive; others get 403.

A refused POST leaves every plan's status, events and signatures as they were.
`test_every_url_pattern_is_in_the_matrix` fails when a URL is added that no case covers.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from activityplans.forms import PlanForm
from activityplans.models import ActivityPlan, Credential, PlanEvent, Signature
from archiving.models import (
    CullingProposal,
    DispositionDecision,
    IntegrityCheck,
    LegalHold,
    ProposalStatus,
    RunStatus,
    SnapshotRun,
    Verification,
)
from atvida_social.organisation.models import AuditLogEntry
from atvida_social.outbox.models import OutboxMessage
from channels.models import Channel, Party, PartyLink, RegisterVersion
from moderation.models import (
    Absence,
    ChannelReview,
    Decision,
    IngestToken,
    Item,
    PlatformAction,
    PlatformActionState,
    PlatformConnection,
    Rule,
)
from tests.factories import TEST_PASSWORD

from .world import (
    ACCOUNT_OWNER,
    ANONYMOUS,
    APPROVED,
    ARCHIVIST,
    AWAITING,
    DAILY_OPERATOR,
    DRAFT,
    IN_REVIEW,
    INFORMATION_UNIT,
    MANAGER,
    OTHER_MANAGER,
    REJECTED,
    RETURNED,
    ROLES,
    SIGNED,
    STATES,
    STATUS_OF,
    USERS,
)

# What a POST did, checked after the request.
UNCHANGED = "unchanged"  # no plan, event, signature, credential or register row changed
SAVED = "saved"  # the plan form was saved
SIGNED_BY_ME = "signed"  # a signature by the acting user
REVISION = "revision"  # a new draft revision of the plan
GRAPHIC = "graphic"  # the graphic-profile decision recorded (as "nej")
CREDENTIAL = "credential"  # the login handed over by the acting user
LINK_DELETED = "link-deleted"
ITEM_CREATED = "item-created"  # an item registered by hand
ITEM_DECIDED = "item-decided"  # a decision on the world's item by the acting user
ITEM_ASSIGNED = "item-assigned"  # the world's item assigned to alice
RULE_SAVED = "rule-saved"
TOKEN_REVOKED = "token-revoked"
FILE_VERIFIED = "file-verified"  # a verification of the world's archived file by the user
SNAPSHOT_REQUESTED = "snapshot-requested"  # a snapshot run of the channel asked for by the user
CHECK_STARTED = "check-started"  # a check of the whole archive started by the user
RUN_RETRIED = "run-retried"  # the world's failed snapshot run started again by the user
CULLING_APPROVED = "culling-approved"  # the world's proposal approved by the user
CULLING_DISCARDED = "culling-discarded"  # the world's proposal discarded
DECISION_RECORDED = "decision-recorded"  # a new disposition decision by the user
HOLD_PLACED = "hold-placed"  # a legal hold on the channel by the user
HOLD_RELEASED = "hold-released"  # the world's legal hold lifted by the user
ITEM_HOLD_PLACED = "item-hold-placed"  # a legal hold on the world's item by the user
CHANNEL_REVIEWED = "channel-reviewed"  # a review of the channel by the user
ABSENCE_REGISTERED = "absence-registered"  # dagny's absence, alice substituting
ABSENCE_ENDED = "absence-ended"  # the world's planned absence withdrawn
CONNECTION_SAVED = "connection-saved"  # new access for the channel entered by the user
CONNECTION_TESTED = "connection-tested"  # "Testa anslutningen" run by the user
CONNECTION_REMOVED = "connection-removed"  # the channel's connection removed by the user
PULL_REQUESTED = "pull-requested"  # "Hämta nu": the channel's pull queued by the user
ACTION_RETRIED = "action-retried"  # the failed platform action pending again, by the user

MAY_ACT = {ACCOUNT_OWNER, MANAGER, INFORMATION_UNIT}
SIGNERS = {ACCOUNT_OWNER, MANAGER}
INFO = {INFORMATION_UNIT}
EDITABLE = {DRAFT, AWAITING, RETURNED}


@dataclass(frozen=True)
class Case:
    view: str  # the URL's name, namespaced
    method: str
    role: str
    url: str  # a template: {plan} is the state's plan, {unit}, {link} ... the world's ids
    code: int
    state: str | None = None
    data: dict = field(default_factory=dict, hash=False)
    effect: str = UNCHANGED

    @property
    def id(self) -> str:
        name = self.view.split(":")[-1]
        state = f"-{self.state}" if self.state else ""
        return f"{name}{state}-{self.role}-{self.method}"


# --- Plan URLs: expected answer per state and role -----------------------------------------


def _act(role, state, *, who, when: dict):
    """A POST action: 403 to a viewer outside `who`; done in the states of `when`; else the
    plan page with an error message and nothing changed."""
    if role not in who:
        return 403, UNCHANGED
    if state in when:
        return 302, when[state]
    return 302, UNCHANGED


def _status(state):
    return f"status:{state}"


PLAN_VIEWS = {
    # name: (path, {method: rule(role, state) -> (code, effect)})
    "activityplans:plan-detail": ("/aktivitetsplaner/{plan}/", {"GET": lambda r, s: (200, "")}),
    "activityplans:plan-pdf": ("/aktivitetsplaner/{plan}/pdf/", {"GET": lambda r, s: (200, "")}),
    "activityplans:plan-edit": (
        "/aktivitetsplaner/{plan}/andra/",
        {
            "GET": lambda r, s: (
                (403, "") if r not in MAY_ACT else (200 if s in EDITABLE else 302, "")
            ),
            "POST": lambda r, s: _act(r, s, who=MAY_ACT, when=dict.fromkeys(EDITABLE, SAVED)),
        },
    ),
    "activityplans:plan-submit": (
        "/aktivitetsplaner/{plan}/skicka/",
        {
            # Returned unchanged, its signatures still hold: it is signed again at once.
            "POST": lambda r, s: _act(
                r, s, who=MAY_ACT, when={DRAFT: _status(AWAITING), RETURNED: _status(SIGNED)}
            )
        },
    ),
    "activityplans:plan-withdraw": (
        "/aktivitetsplaner/{plan}/dra-tillbaka/",
        {"POST": lambda r, s: _act(r, s, who=MAY_ACT, when={AWAITING: _status(DRAFT)})},
    ),
    "activityplans:plan-sign": (
        "/aktivitetsplaner/{plan}/signera/",
        {
            "GET": lambda r, s: (200 if r in SIGNERS else 403, ""),
            # A signer outside the signing state sees the form again with the reason.
            "POST": lambda r, s: (
                (403, UNCHANGED)
                if r not in SIGNERS
                else ((302, SIGNED_BY_ME) if s == AWAITING else (200, UNCHANGED))
            ),
        },
    ),
    "activityplans:plan-start-review": (
        "/aktivitetsplaner/{plan}/granska/",
        {"POST": lambda r, s: _act(r, s, who=INFO, when={SIGNED: _status(IN_REVIEW)})},
    ),
    "activityplans:plan-decide-graphic-profile": (
        "/aktivitetsplaner/{plan}/grafisk-profil/",
        {"POST": lambda r, s: _act(r, s, who=INFO, when={IN_REVIEW: GRAPHIC})},
    ),
    "activityplans:plan-approve": (
        "/aktivitetsplaner/{plan}/godkann/",
        {"POST": lambda r, s: _act(r, s, who=INFO, when={IN_REVIEW: _status(APPROVED)})},
    ),
    "activityplans:plan-return": (
        "/aktivitetsplaner/{plan}/aterremittera/",
        {"POST": lambda r, s: _act(r, s, who=INFO, when={IN_REVIEW: _status(RETURNED)})},
    ),
    "activityplans:plan-reject": (
        "/aktivitetsplaner/{plan}/avsla/",
        {"POST": lambda r, s: _act(r, s, who=INFO, when={IN_REVIEW: _status(REJECTED)})},
    ),
    "activityplans:plan-revise": (
        "/aktivitetsplaner/{plan}/revidera/",
        {"POST": lambda r, s: _act(r, s, who=MAY_ACT, when={APPROVED: REVISION})},
    ),
    "activityplans:credential-edit": (
        "/aktivitetsplaner/{plan}/inloggning/",
        {
            "GET": lambda r, s: (200 if (r, s) == (ACCOUNT_OWNER, APPROVED) else 403, ""),
            "POST": lambda r, s: (
                (302, CREDENTIAL) if (r, s) == (ACCOUNT_OWNER, APPROVED) else (403, UNCHANGED)
            ),
        },
    ),
}

POST_DATA = {
    "activityplans:plan-sign": {"password": TEST_PASSWORD},
    "activityplans:plan-decide-graphic-profile": {"approved": "nej"},
    "activityplans:plan-approve": {"note": ""},
    "activityplans:plan-return": {"note": "Förtydliga syftet."},
    "activityplans:plan-reject": {"note": "Kanalen behövs inte."},
    "activityplans:credential-edit": {"username": "ny.inloggning", "password": "nytt-lösen-2"},
}


def _plan_cases():
    for view, (path, methods) in PLAN_VIEWS.items():
        for method, rule in methods.items():
            for state in STATES:
                for role in ROLES:
                    if role == ANONYMOUS:
                        code, effect = 302, UNCHANGED
                    elif role in (OTHER_MANAGER, ARCHIVIST):
                        code, effect = 404, UNCHANGED
                    else:
                        code, effect = rule(role, state)
                    yield Case(
                        view=view,
                        method=method,
                        role=role,
                        state=state,
                        url=path,
                        code=code,
                        data=POST_DATA.get(view, {}),
                        effect=effect or UNCHANGED,
                    )


# --- Other staff URLs: the same answer whatever the plans' states -------------------------

EVERYONE = dict.fromkeys(USERS, 200)
LIBRARY = {
    **EVERYONE,
    OTHER_MANAGER: 404,
    ARCHIVIST: 404,
}  # Biblioteket's objects: its staff and Informationsenheten
INFO_ONLY = {**dict.fromkeys(USERS, 403), INFORMATION_UNIT: 200}
# may draw up a plan for their own unit
DRAFTERS = {**EVERYONE, DAILY_OPERATOR: 403, ARCHIVIST: 403}
ARCHIVE = {**INFO_ONLY, ARCHIVIST: 200}  # sees, downloads and verifies the archive
ARCHIVE_READERS = {INFORMATION_UNIT, ARCHIVIST}
# The channel's current plan names dagny (daily operator) and kim (administrator); bob, the
# unit's manager, sees the item but does not moderate; sven sees nothing of Biblioteket.
MODERATORS = {
    DAILY_OPERATOR: 302,
    ACCOUNT_OWNER: 302,
    MANAGER: 403,
    OTHER_MANAGER: 404,
    INFORMATION_UNIT: 302,
    ARCHIVIST: 404,
}
# The channel's connection: its account owners (kim; alice outside the matrix) and
# Informationsenheten; dagny and bob see the channel but may not; sven and arne see nothing.
CONNECTION_MANAGERS = {
    DAILY_OPERATOR: 403,
    ACCOUNT_OWNER: 200,
    MANAGER: 403,
    OTHER_MANAGER: 404,
    INFORMATION_UNIT: 200,
    ARCHIVIST: 404,
}
CONNECTION_ACTS = {**CONNECTION_MANAGERS, ACCOUNT_OWNER: 302, INFORMATION_UNIT: 302}
NEW_CONNECTION = {
    "account_id": "ny-sida",
    "secret_access_token": "ny-sidtoken",
}
NEW_ITEM = {
    "channel": "{channel}",
    "kind": "message",
    "external_id": "dm-1",
    "author": "Bo",
    "text": "Hej!",
    "received_at": "2026-03-27T16:30",
}
ABSENCE = {
    "operator": "{dagny}",
    "starts_at": "2030-06-01T08:00",
    "ends_at": "2030-06-05T17:00",
    "substitute": "{alice}",
    "reason": "Semester",
}
NEW_RULE = {
    "name": "Ny regel",
    "kind": "word",
    "pattern": "nyttord",
    "category": "svordomar",
    "action": "flag",
    "is_active": "on",
}

STAFF_ROWS = [
    # (view, method, url, answers by role, data, effect of an allowed POST)
    ("start", "GET", "/", EVERYONE, {}, UNCHANGED),
    ("organisation:unit-list", "GET", "/organisation/verksamheter/", EVERYONE, {}, UNCHANGED),
    ("organisation:unit-detail", "GET", "/organisation/verksamheter/{unit}/", LIBRARY, {}, ""),
    ("channels:channel-list", "GET", "/kanaler/", EVERYONE, {}, UNCHANGED),
    ("channels:channel-detail", "GET", "/kanaler/{channel}/", LIBRARY, {}, UNCHANGED),
    ("channels:channel-create", "GET", "/kanaler/ny/", INFO_ONLY, {}, UNCHANGED),
    ("channels:channel-create", "POST", "/kanaler/ny/", INFO_ONLY, {}, UNCHANGED),
    ("channels:channel-edit", "GET", "/kanaler/{channel}/andra/", INFO_ONLY, {}, UNCHANGED),
    ("channels:channel-edit", "POST", "/kanaler/{channel}/andra/", INFO_ONLY, {}, UNCHANGED),
    ("channels:party-list", "GET", "/kanaler/partier/", INFO_ONLY, {}, UNCHANGED),
    ("channels:party-create", "GET", "/kanaler/partier/ny/", INFO_ONLY, {}, UNCHANGED),
    ("channels:party-create", "POST", "/kanaler/partier/ny/", INFO_ONLY, {}, UNCHANGED),
    ("channels:party-edit", "GET", "/kanaler/partier/{party}/andra/", INFO_ONLY, {}, UNCHANGED),
    ("channels:party-edit", "POST", "/kanaler/partier/{party}/andra/", INFO_ONLY, {}, UNCHANGED),
    (
        "channels:party-link-create",
        "GET",
        "/kanaler/partier/{party}/lankar/ny/",
        INFO_ONLY,
        {},
        UNCHANGED,
    ),
    (
        "channels:party-link-create",
        "POST",
        "/kanaler/partier/{party}/lankar/ny/",
        INFO_ONLY,
        {},
        UNCHANGED,
    ),
    (
        "channels:party-link-edit",
        "GET",
        "/kanaler/partier/{party}/lankar/{link}/andra/",
        INFO_ONLY,
        {},
        UNCHANGED,
    ),
    (
        "channels:party-link-edit",
        "POST",
        "/kanaler/partier/{party}/lankar/{link}/andra/",
        INFO_ONLY,
        {},
        UNCHANGED,
    ),
    (
        "channels:party-link-delete",
        "GET",
        "/kanaler/partier/{party}/lankar/{link}/ta-bort/",
        INFO_ONLY,
        {},
        UNCHANGED,
    ),
    (
        "channels:party-link-delete",
        "POST",
        "/kanaler/partier/{party}/lankar/{link}/ta-bort/",
        {**INFO_ONLY, INFORMATION_UNIT: 302},
        {},
        LINK_DELETED,
    ),
    ("channels:publish", "GET", "/kanaler/publicera/", INFO_ONLY, {}, UNCHANGED),
    # Without the preview's base the page comes back with a message; nothing is published.
    (
        "channels:publish",
        "POST",
        "/kanaler/publicera/",
        {**INFO_ONLY, INFORMATION_UNIT: 302},
        {},
        UNCHANGED,
    ),
    ("channels:version-list", "GET", "/kanaler/versioner/", INFO_ONLY, {}, UNCHANGED),
    ("activityplans:plan-list", "GET", "/aktivitetsplaner/", EVERYONE, {}, UNCHANGED),
    ("activityplans:plan-create", "GET", "/aktivitetsplaner/ny/", DRAFTERS, {}, UNCHANGED),
    # An empty form comes back with its errors; nothing is created.
    ("activityplans:plan-create", "POST", "/aktivitetsplaner/ny/", DRAFTERS, {}, UNCHANGED),
    (
        "activityplans:credential-list",
        "GET",
        "/aktivitetsplaner/inloggningsuppgifter/",
        INFO_ONLY,
        {},
        UNCHANGED,
    ),
    (
        "activityplans:credential-reveal",
        "GET",
        "/aktivitetsplaner/inloggningsuppgifter/{credential}/visa/",
        INFO_ONLY,
        {},
        UNCHANGED,
    ),
    (
        "activityplans:credential-reveal",
        "POST",
        "/aktivitetsplaner/inloggningsuppgifter/{credential}/visa/",
        INFO_ONLY,
        {"reason": "Kontot är kapat."},
        UNCHANGED,
    ),
    ("moderation:item-list", "GET", "/moderering/", EVERYONE, {}, UNCHANGED),
    ("moderation:item-create", "GET", "/moderering/nytt/", EVERYONE, {}, UNCHANGED),
    # sven cannot choose Biblioteket's channel: the form comes back, nothing is stored.
    (
        "moderation:item-create",
        "POST",
        "/moderering/nytt/",
        {**MODERATORS, MANAGER: 403, OTHER_MANAGER: 200, ARCHIVIST: 200},
        NEW_ITEM,
        ITEM_CREATED,
    ),
    ("moderation:item-detail", "GET", "/moderering/{item}/", LIBRARY, {}, UNCHANGED),
    (
        "moderation:item-decide",
        "POST",
        "/moderering/{item}/beslut/",
        MODERATORS,
        # The world's item is a question: answered, since nothing else settles it.
        {"kind": "answer", "reply_text": "Vi öppnar klockan nio."},
        ITEM_DECIDED,
    ),
    (
        "moderation:item-assign",
        "POST",
        "/moderering/{item}/tilldela/",
        MODERATORS,
        {"assigned_to": "{alice}"},
        ITEM_ASSIGNED,
    ),
    # The world's item is not secret: its handlers are told so on its page, nothing changes.
    (
        "moderation:item-secrecy-removed",
        "POST",
        "/moderering/{item}/sekretess-borttaget/",
        MODERATORS,
        {},
        UNCHANGED,
    ),
    # An item outside sven's queue is not a valid choice: back to the queue, nothing decided.
    (
        "moderation:bulk-decide",
        "POST",
        "/moderering/beslut/",
        {**MODERATORS, OTHER_MANAGER: 302, ARCHIVIST: 302},
        {"items": ["{item}"], "kind": "answer", "reply_text": "Vi öppnar klockan nio."},
        ITEM_DECIDED,
    ),
    # Everyone sees statistics, of their own unit (Informationsenheten of all).
    ("moderation:statistics", "GET", "/moderering/statistik/", EVERYONE, {}, UNCHANGED),
    ("moderation:statistics-csv", "GET", "/moderering/statistik.csv", EVERYONE, {}, UNCHANGED),
    ("moderation:rule-list", "GET", "/moderering/regler/", INFO_ONLY, {}, UNCHANGED),
    ("moderation:rule-create", "GET", "/moderering/regler/ny/", INFO_ONLY, {}, UNCHANGED),
    (
        "moderation:rule-create",
        "POST",
        "/moderering/regler/ny/",
        {**INFO_ONLY, INFORMATION_UNIT: 302},
        NEW_RULE,
        RULE_SAVED,
    ),
    ("moderation:rule-edit", "GET", "/moderering/regler/{rule}/andra/", INFO_ONLY, {}, UNCHANGED),
    (
        "moderation:rule-edit",
        "POST",
        "/moderering/regler/{rule}/andra/",
        {**INFO_ONLY, INFORMATION_UNIT: 302},
        NEW_RULE,
        RULE_SAVED,
    ),
    ("moderation:token-list", "GET", "/moderering/api-nycklar/", INFO_ONLY, {}, UNCHANGED),
    (
        "moderation:token-revoke",
        "GET",
        "/moderering/api-nycklar/{token}/aterkalla/",
        INFO_ONLY,
        {},
        UNCHANGED,
    ),
    (
        "moderation:token-revoke",
        "POST",
        "/moderering/api-nycklar/{token}/aterkalla/",
        {**INFO_ONLY, INFORMATION_UNIT: 302},
        {},
        TOKEN_REVOKED,
    ),
    # Supervision: everyone sees the channels they look after (maybe none); the
    # channel's moderators mark it reviewed. An absence is registered by the operator, the
    # unit's manager or Informationsenheten; for others dagny is no valid choice.
    ("moderation:supervision", "GET", "/moderering/tillsyn/", EVERYONE, {}, UNCHANGED),
    (
        "moderation:channel-review",
        "POST",
        "/moderering/tillsyn/{channel}/granskad/",
        MODERATORS,
        {},
        CHANNEL_REVIEWED,
    ),
    ("moderation:absence-list", "GET", "/moderering/franvaro/", EVERYONE, {}, UNCHANGED),
    (
        "moderation:absence-list",
        "POST",
        "/moderering/franvaro/",
        {**EVERYONE, DAILY_OPERATOR: 302, MANAGER: 302, INFORMATION_UNIT: 302},
        ABSENCE,
        ABSENCE_REGISTERED,
    ),
    # Ended by those who may register it; kim sees Biblioteket's absences but may not.
    (
        "moderation:absence-end",
        "GET",
        "/moderering/franvaro/{absence}/avsluta/",
        {**LIBRARY, ACCOUNT_OWNER: 403},
        {},
        UNCHANGED,
    ),
    (
        "moderation:absence-end",
        "POST",
        "/moderering/franvaro/{absence}/avsluta/",
        {**LIBRARY, DAILY_OPERATOR: 302, ACCOUNT_OWNER: 403, MANAGER: 302, INFORMATION_UNIT: 302},
        {},
        ABSENCE_ENDED,
    ),
    ("archiving:snapshot-list", "GET", "/arkiv/", ARCHIVE, {}, UNCHANGED),
    ("archiving:run-status", "GET", "/arkiv/pagar.json", ARCHIVE, {}, UNCHANGED),
    ("archiving:channel-list", "GET", "/arkiv/kanaler/", ARCHIVE, {}, UNCHANGED),
    (
        "archiving:snapshot-request",
        "GET",
        "/arkiv/kanaler/{channel}/ogonblicksbild/",
        INFO_ONLY,
        {},
        UNCHANGED,
    ),
    (
        "archiving:snapshot-request",
        "POST",
        "/arkiv/kanaler/{channel}/ogonblicksbild/",
        {**INFO_ONLY, INFORMATION_UNIT: 302},
        {"note": "Ny grafisk profil."},
        SNAPSHOT_REQUESTED,
    ),
    (
        "archiving:run-retry",
        "GET",
        "/arkiv/korningar/{failed_run}/forsok-igen/",
        INFO_ONLY,
        {},
        UNCHANGED,
    ),
    (
        "archiving:run-retry",
        "POST",
        "/arkiv/korningar/{failed_run}/forsok-igen/",
        {**INFO_ONLY, INFORMATION_UNIT: 302},
        {},
        RUN_RETRIED,
    ),
    ("archiving:document-list", "GET", "/arkiv/dokument/", ARCHIVE, {}, UNCHANGED),
    ("archiving:check-list", "GET", "/arkiv/kontroller/", ARCHIVE, {}, UNCHANGED),
    (
        "archiving:check-start",
        "POST",
        "/arkiv/kontroller/ny/",
        {**INFO_ONLY, INFORMATION_UNIT: 302},
        {},
        CHECK_STARTED,
    ),
    ("archiving:file-download", "GET", "/arkiv/filer/{archive_file}/", ARCHIVE, {}, UNCHANGED),
    # A secret item's diarium copy in the archive: Informationsenheten only.
    (
        "archiving:file-download",
        "GET",
        "/arkiv/filer/{secret_diarium_copy}/",
        INFO_ONLY,
        {},
        UNCHANGED,
    ),
    # The diarium's copy of an item: whoever sees the item; a secret item's, whoever of them
    # may read secret content (Informationsenheten).
    (
        "archiving:diarium-copy",
        "GET",
        "/arkiv/diarieexemplar/{diarium_copy}/",
        LIBRARY,
        {},
        UNCHANGED,
    ),
    (
        "archiving:diarium-copy",
        "GET",
        "/arkiv/diarieexemplar/{secret_diarium_copy}/",
        {**LIBRARY, DAILY_OPERATOR: 403, ACCOUNT_OWNER: 403, MANAGER: 403},
        {},
        UNCHANGED,
    ),
    (
        "archiving:file-verify",
        "POST",
        "/arkiv/filer/{archive_file}/kontrollera/",
        {**INFO_ONLY, INFORMATION_UNIT: 302, ARCHIVIST: 302},
        {},
        FILE_VERIFIED,
    ),
    # Culling: Informationsenheten acts; the archivist only reads the log.
    ("archiving:culling-review", "GET", "/arkiv/gallring/", INFO_ONLY, {}, UNCHANGED),
    (
        "archiving:culling-approve",
        "POST",
        "/arkiv/gallring/forslag/{proposal}/godkann/",
        {**INFO_ONLY, INFORMATION_UNIT: 302},
        {},
        CULLING_APPROVED,
    ),
    (
        "archiving:culling-discard",
        "POST",
        "/arkiv/gallring/forslag/{proposal}/avvisa/",
        {**INFO_ONLY, INFORMATION_UNIT: 302},
        {},
        CULLING_DISCARDED,
    ),
    (
        "archiving:decision-record",
        "POST",
        "/arkiv/gallring/beslut/",
        {**INFO_ONLY, INFORMATION_UNIT: 302},
        {"reference": "KS 2026/99 § 1", "description": "Nytt beslut.", "adopted_on": "2026-05-01"},
        DECISION_RECORDED,
    ),
    (
        "archiving:hold-place",
        "POST",
        "/arkiv/gallring/stopp/",
        {**INFO_ONLY, INFORMATION_UNIT: 302},
        {"channel": "{channel}", "reason": "Nytt ärende."},
        HOLD_PLACED,
    ),
    (
        "archiving:hold-release",
        "POST",
        "/arkiv/gallring/stopp/{hold}/hav/",
        {**INFO_ONLY, INFORMATION_UNIT: 302},
        {},
        HOLD_RELEASED,
    ),
    (
        "archiving:item-hold",
        "GET",
        "/arkiv/gallring/stopp/inlagg/{item}/",
        INFO_ONLY,
        {},
        UNCHANGED,
    ),
    (
        "archiving:item-hold",
        "POST",
        "/arkiv/gallring/stopp/inlagg/{item}/",
        {**INFO_ONLY, INFORMATION_UNIT: 302},
        {"reason": "Nytt ärende."},
        ITEM_HOLD_PLACED,
    ),
    ("archiving:culling-log", "GET", "/arkiv/gallring/logg/", ARCHIVE, {}, UNCHANGED),
    # The house rules to paste on the platform: whoever sees the channel.
    (
        "moderation:house-rules",
        "GET",
        "/moderering/kanaler/{channel}/ordningsregler/",
        LIBRARY,
        {},
        UNCHANGED,
    ),
    ("archiving:culling-log-csv", "GET", "/arkiv/gallring/logg.csv", ARCHIVE, {}, UNCHANGED),
    # The channel's connection to its platform.
    (
        "moderation:connection",
        "GET",
        "/moderering/kanaler/{channel}/anslutning/",
        CONNECTION_MANAGERS,
        {},
        UNCHANGED,
    ),
    (
        "moderation:connection",
        "POST",
        "/moderering/kanaler/{channel}/anslutning/",
        CONNECTION_ACTS,
        NEW_CONNECTION,
        CONNECTION_SAVED,
    ),
    (
        "moderation:connection-test",
        "POST",
        "/moderering/kanaler/{channel}/anslutning/testa/",
        CONNECTION_ACTS,
        {},
        CONNECTION_TESTED,
    ),
    (
        "moderation:connection-pull",
        "POST",
        "/moderering/kanaler/{channel}/anslutning/hamta/",
        CONNECTION_ACTS,
        {},
        PULL_REQUESTED,
    ),
    (
        "moderation:connection-remove",
        "GET",
        "/moderering/kanaler/{channel}/anslutning/ta-bort/",
        CONNECTION_MANAGERS,
        {},
        UNCHANGED,
    ),
    (
        "moderation:connection-remove",
        "POST",
        "/moderering/kanaler/{channel}/anslutning/ta-bort/",
        CONNECTION_ACTS,
        {},
        CONNECTION_REMOVED,
    ),
    ("moderation:connection-list", "GET", "/moderering/anslutningar/", INFO_ONLY, {}, UNCHANGED),
    # Retrying a failed platform action: whoever may decide on the item.
    (
        "moderation:platform-action-retry",
        "POST",
        "/moderering/plattformsatgarder/{platform_action}/forsok-igen/",
        MODERATORS,
        {},
        ACTION_RETRIED,
    ),
]

# Where an allowed answer still changes nothing for some roles (the form came back).
NO_EFFECT_FOR = {
    ("moderation:item-create", OTHER_MANAGER),
    ("moderation:bulk-decide", OTHER_MANAGER),
    ("moderation:item-create", ARCHIVIST),
    ("moderation:bulk-decide", ARCHIVIST),
    ("moderation:absence-list", ACCOUNT_OWNER),
    ("moderation:absence-list", OTHER_MANAGER),
    ("moderation:absence-list", ARCHIVIST),
}


def _staff_cases():
    for view, method, url, answers, data, effect in STAFF_ROWS:
        for role in ROLES:
            code = 302 if role == ANONYMOUS else answers[role]
            yield Case(
                view=view,
                method=method,
                role=role,
                url=url,
                code=code,
                data=data,
                effect=effect
                if code < 400 and role != ANONYMOUS and (view, role) not in NO_EFFECT_FOR
                else UNCHANGED,
            )
    # Plan 0 does not exist: its edit page is a 404, never a form for a new plan.
    for method in ("GET", "POST"):
        for role in ROLES:
            yield Case(
                view="activityplans:plan-edit",
                method=method,
                role=role,
                url="/aktivitetsplaner/0/andra/",
                code=302 if role == ANONYMOUS else 404,
                state="plan0",
            )
    # Archived file 0 does not exist: 404 to those who see the archive, 403 to the others
    # (who learn nothing of which files exist).
    for view, method, url in [
        ("archiving:file-download", "GET", "/arkiv/filer/0/"),
        ("archiving:file-verify", "POST", "/arkiv/filer/0/kontrollera/"),
    ]:
        for role in ROLES:
            yield Case(
                view=view,
                method=method,
                role=role,
                url=url,
                code=302
                if role == ANONYMOUS
                else {**ARCHIVE, **dict.fromkeys(ARCHIVE_READERS, 404)}[role],
                state="file0",
            )

    # Proposal 0, hold 0 and item 0 do not exist: 404 to Informationsenheten, 403 to the others.
    for view, method, url in [
        ("archiving:culling-approve", "POST", "/arkiv/gallring/forslag/0/godkann/"),
        ("archiving:culling-discard", "POST", "/arkiv/gallring/forslag/0/avvisa/"),
        ("archiving:hold-release", "POST", "/arkiv/gallring/stopp/0/hav/"),
        ("archiving:item-hold", "GET", "/arkiv/gallring/stopp/inlagg/0/"),
        ("archiving:item-hold", "POST", "/arkiv/gallring/stopp/inlagg/0/"),
    ]:
        for role in ROLES:
            yield Case(
                view=view,
                method=method,
                role=role,
                url=url,
                code=302 if role == ANONYMOUS else {**INFO_ONLY, INFORMATION_UNIT: 404}[role],
                state="culling0",
            )

    # Diarium copy 0 does not exist: 404 to everyone signed in.
    for role in ROLES:
        yield Case(
            view="archiving:diarium-copy",
            method="GET",
            role=role,
            url="/arkiv/diarieexemplar/0/",
            code=302 if role == ANONYMOUS else 404,
            state="diarium0",
        )

    # Absence 0 does not exist: 404 to everyone signed in.
    for method in ("GET", "POST"):
        for role in ROLES:
            yield Case(
                view="moderation:absence-end",
                method=method,
                role=role,
                url="/moderering/franvaro/0/avsluta/",
                code=302 if role == ANONYMOUS else 404,
                state="absence0",
            )


def _params():
    for case in [*_plan_cases(), *_staff_cases()]:
        yield pytest.param(case, id=case.id)


CASES = list(_params())


# --- Running one case ----------------------------------------------------------------------


def _plan_form_data(plan: ActivityPlan) -> dict:
    """The plan's own values as its edit form posts them (an unchanged save)."""
    data = {}
    for name, value in model_to_dict(plan, fields=PlanForm._meta.fields).items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data[name] = [str(item.pk) for item in value]
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif value is not None:
            data[name] = str(value)
    return data


def _snapshot() -> dict:
    """Everything a refused request must leave as it was."""
    return {
        "plans": list(ActivityPlan.objects.order_by("pk").values_list("pk", "status", "unit_id")),
        "graphic": list(
            ActivityPlan.objects.order_by("pk").values_list("pk", "graphic_profile_approved")
        ),
        "events": list(PlanEvent.objects.order_by("pk").values_list("pk", "plan_id", "to_status")),
        "signatures": list(Signature.objects.order_by("pk").values_list("pk", "plan_id")),
        "credentials": list(
            Credential.objects.order_by("pk").values_list("pk", "entered_by_id", "updated_at")
        ),
        "channels": list(Channel.objects.order_by("pk").values_list("pk", "status")),
        "parties": Party.objects.count(),
        "links": PartyLink.objects.count(),
        "versions": RegisterVersion.objects.count(),
        "items": list(Item.objects.order_by("pk").values_list("pk", "status", "assigned_to")),
        "decisions": Decision.objects.count(),
        "rules": list(Rule.objects.order_by("pk").values_list("pk", "pattern")),
        "tokens": list(IngestToken.objects.order_by("pk").values_list("pk", "revoked_at")),
        "verifications": Verification.objects.count(),
        "runs": list(SnapshotRun.objects.order_by("pk").values_list("pk", "status")),
        "checks": IntegrityCheck.objects.count(),
        "proposals": list(CullingProposal.objects.order_by("pk").values_list("pk", "status")),
        "decisions_of_culling": DispositionDecision.objects.count(),
        "holds": list(LegalHold.objects.order_by("pk").values_list("pk", "released_at")),
        "reviews": ChannelReview.objects.count(),
        "absences": Absence.objects.count(),
        "connections": list(
            PlatformConnection.objects.order_by("pk").values_list(
                "pk", "account_id", "credentials", "state", "tested_at"
            )
        ),
        "platform_actions": list(
            PlatformAction.objects.order_by("pk").values_list("pk", "state", "attempts")
        ),
        "outbox": OutboxMessage.objects.count(),
    }


def _url(case: Case, world) -> str:
    plan = world.plans.get(case.state, 0)
    return case.url.format(plan=plan, **world.ids)


def _data(case: Case, world) -> dict:
    def fill(value):
        if isinstance(value, list):
            return [fill(v) for v in value]
        return value.format(**world.ids) if isinstance(value, str) else value

    return {name: fill(value) for name, value in case.data.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_each_role_gets_exactly_its_answer(world, case):
    client = world.client(case.role)
    url = _url(case, world)
    plan_pk = world.plans.get(case.state)
    data = _data(case, world)
    if case.view == "activityplans:plan-edit" and case.method == "POST" and plan_pk:
        data = _plan_form_data(world.plan(case.state))
    before = _snapshot()
    changes_before = AuditLogEntry.objects.filter(action="plan_changed").count()

    response = client.get(url) if case.method == "GET" else client.post(url, data)

    assert response.status_code == case.code
    if case.role == ANONYMOUS:
        assert response["Location"].startswith(f"/logga-in/?next={url}")
    elif case.code == 302 and plan_pk and case.effect != REVISION and "moderation" not in case.view:
        # Done or not possible in this state, the answer is the plan's page (with a message).
        assert response["Location"] == f"/aktivitetsplaner/{plan_pk}/"
    if case.method != "POST":
        return
    if case.effect == UNCHANGED:
        assert _snapshot() == before
        return
    me = world.users[case.role]
    if case.effect.startswith("status:"):
        target = case.effect.removeprefix("status:")
        assert ActivityPlan.objects.get(pk=plan_pk).status == STATUS_OF[target]
        assert PlanEvent.objects.filter(plan_id=plan_pk).count() > len(
            [e for e in before["events"] if e[1] == plan_pk]
        )
    elif case.effect == SAVED:
        assert response["Location"] == f"/aktivitetsplaner/{plan_pk}/"
        assert AuditLogEntry.objects.filter(action="plan_changed").count() == changes_before + 1
        assert ActivityPlan.objects.get(pk=plan_pk).status == STATUS_OF[case.state]
    elif case.effect == SIGNED_BY_ME:
        assert Signature.objects.filter(plan_id=plan_pk, signer=me).exists()
    elif case.effect == REVISION:
        revision = ActivityPlan.objects.exclude(pk__in=[p[0] for p in before["plans"]]).get()
        assert revision.status == STATUS_OF[DRAFT]
        assert response["Location"] == f"/aktivitetsplaner/{revision.pk}/andra/"
    elif case.effect == GRAPHIC:
        assert ActivityPlan.objects.get(pk=plan_pk).graphic_profile_approved is False
    elif case.effect == CREDENTIAL:
        credential = Credential.objects.get(plan_id=plan_pk)
        assert (credential.username, credential.entered_by_id) == ("ny.inloggning", me.pk)
    elif case.effect == LINK_DELETED:
        assert not PartyLink.objects.filter(pk=world.ids["link"]).exists()
    elif case.effect == ITEM_CREATED:
        assert Item.objects.filter(external_id="dm-1").exists()
    elif case.effect == ITEM_DECIDED:
        assert Decision.objects.filter(item_id=world.ids["item"], actor=me).exists()
    elif case.effect == ITEM_ASSIGNED:
        assert Item.objects.get(pk=world.ids["item"]).assigned_to_id == world.ids["alice"]
    elif case.effect == RULE_SAVED:
        assert Rule.objects.filter(pattern="nyttord").exists()
    elif case.effect == TOKEN_REVOKED:
        assert IngestToken.objects.get(pk=world.ids["token"]).revoked_at is not None
    elif case.effect == FILE_VERIFIED:
        assert Verification.objects.filter(
            file_id=world.ids["archive_file"], checked_by=me
        ).exists()
    elif case.effect == SNAPSHOT_REQUESTED:
        assert SnapshotRun.objects.filter(
            channel_id=world.ids["channel"], requested_by=me, note="Ny grafisk profil."
        ).exists()
    elif case.effect == RUN_RETRIED:
        run = SnapshotRun.objects.get(pk=world.ids["failed_run"])
        assert run.status == RunStatus.QUEUED
        assert AuditLogEntry.objects.filter(
            action="snapshot_restarted", actor=me, object_id=str(run.pk)
        ).exists()
    elif case.effect == CHECK_STARTED:
        assert IntegrityCheck.objects.filter(requested_by=me).exists()
    elif case.effect == CULLING_APPROVED:
        proposal = CullingProposal.objects.get(pk=world.ids["proposal"])
        assert (proposal.status, proposal.approved_by) == (ProposalStatus.APPROVED, me)
    elif case.effect == CULLING_DISCARDED:
        proposal = CullingProposal.objects.get(pk=world.ids["proposal"])
        assert proposal.status == ProposalStatus.DISCARDED
    elif case.effect == DECISION_RECORDED:
        assert DispositionDecision.objects.current().created_by == me
    elif case.effect == HOLD_PLACED:
        assert LegalHold.objects.filter(created_by=me, reason="Nytt ärende.").exists()
    elif case.effect == HOLD_RELEASED:
        assert LegalHold.objects.get(pk=world.ids["hold"]).released_by == me
    elif case.effect == ITEM_HOLD_PLACED:
        hold = LegalHold.objects.get(created_by=me, reason="Nytt ärende.")
        assert (hold.item_id, hold.is_active) == (world.ids["item"], True)
    elif case.effect == CHANNEL_REVIEWED:
        assert ChannelReview.objects.filter(
            channel_id=world.ids["channel"], reviewed_by=me, decision=None
        ).exists()
    elif case.effect == ABSENCE_ENDED:
        assert not Absence.objects.filter(pk=world.ids["absence"]).exists()
        assert AuditLogEntry.objects.filter(action="absence_withdrawn", actor=me).exists()
    elif case.effect == ABSENCE_REGISTERED:
        absence = Absence.objects.exclude(pk=world.ids["absence"]).get(created_by=me)
        assert (absence.operator_id, absence.substitute_id) == (
            world.ids["dagny"],
            world.ids["alice"],
        )
    elif case.effect == CONNECTION_SAVED:
        link = PlatformConnection.objects.get(channel_id=world.ids["channel"])
        assert link.account_id == "ny-sida"
        assert AuditLogEntry.objects.filter(action="platform_connection_saved", actor=me).exists()
    elif case.effect == CONNECTION_TESTED:
        link = PlatformConnection.objects.get(channel_id=world.ids["channel"])
        assert link.tested_at is not None
        assert AuditLogEntry.objects.filter(action="platform_connection_tested", actor=me).exists()
    elif case.effect == CONNECTION_REMOVED:
        assert not PlatformConnection.objects.filter(channel_id=world.ids["channel"]).exists()
    elif case.effect == PULL_REQUESTED:
        link = PlatformConnection.objects.get(channel_id=world.ids["channel"])
        queued = OutboxMessage.objects.filter(task_name="moderation.tasks.pull_connection")
        assert list(queued.values_list("args", flat=True)) == [[link.pk]]
        assert AuditLogEntry.objects.filter(
            action="platform_pull_requested", actor=me, object_id=str(link.pk)
        ).exists()
    elif case.effect == ACTION_RETRIED:
        action = PlatformAction.objects.get(pk=world.ids["platform_action"])
        assert (action.state, action.attempts) == (PlatformActionState.PENDING, 0)
        assert AuditLogEntry.objects.filter(action="platform_action_retried", actor=me).exists()
    else:
        pytest.fail(f"unknown effect {case.effect}")


# --- Public pages and the admin ------------------------------------------------------------

# The citizens' pages answer everyone alike, logged in or not; an empty report
# comes back with its errors and stores nothing.
CITIZEN_ROWS = [
    ("citizens:channel", "GET", "/sociala-medier/kanal/{channel}", 200),
    ("citizens:report", "GET", "/sociala-medier/anmal", 200),
    ("citizens:report", "POST", "/sociala-medier/anmal", 200),
    ("citizens:report-receipt", "GET", "/sociala-medier/anmal/kvitto/{receipt}", 200),
]

PUBLIC_ROWS = [
    # (view, method, url, answer to an anonymous visitor)
    ("healthz", "GET", "/healthz", 200),
    ("atvida_social.views.favicon", "GET", "/favicon.ico", 301),
    ("accessibility", "GET", "/tillganglighet", 200),
    ("login", "GET", "/logga-in/", 200),
    ("logout", "POST", "/logga-ut/", 302),
    ("public:register", "GET", "/sociala-medier", 200),
    ("public:register-json", "GET", "/sociala-medier.json", 200),
    ("public:register-csv", "GET", "/sociala-medier.csv", 200),
    ("public:version-list", "GET", "/sociala-medier/versioner", 200),
    ("public:version-detail", "GET", "/sociala-medier/versioner/{version}", 200),
    ("public:version-json", "GET", "/sociala-medier/versioner/{version}.json", 200),
    ("public:version-csv", "GET", "/sociala-medier/versioner/{version}.csv", 200),
    (
        "public:version-compare",
        "GET",
        "/sociala-medier/versioner/{version}/jamfor/{version}",
        200,
    ),
    *CITIZEN_ROWS,
    # The machine-facing API answers a token or a signature, never a session.
    ("api:ingest", "POST", "/api/v1/ingest", 401),
    ("api:openapi", "GET", "/api/v1/openapi.json", 200),
    ("api:webhook", "GET", "/api/v1/webhook/{channel}/", 403),
    ("api:webhook", "POST", "/api/v1/webhook/{channel}/", 403),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("view", "method", "url", "code"),
    PUBLIC_ROWS,
    ids=[f"{row[0].split(':')[-1]}-{ANONYMOUS}-{row[1]}" for row in PUBLIC_ROWS],
)
def test_public_page_answers_an_anonymous_visitor(world, view, method, url, code):
    url = url.format(**world.ids)

    response = world.client(ANONYMOUS).generic(method, url)

    assert resolve(url).view_name == view
    assert response.status_code == code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("view", "method", "url", "code", "role"),
    [(*row, role) for row in CITIZEN_ROWS for role in USERS],
    ids=[f"{row[0].split(':')[-1]}-{role}-{row[1]}" for row in CITIZEN_ROWS for role in USERS],
)
def test_citizens_pages_answer_every_role_alike(world, view, method, url, code, role):
    url = url.format(**world.ids)
    before = Item.objects.count()

    response = world.client(role).generic(method, url)

    assert response.status_code == code
    assert Item.objects.count() == before


ADMIN_URLS = [
    "/admin/",
    "/admin/activityplans/activityplan/",
    "/admin/activityplans/credential/",
    "/admin/organisation/auditlogentry/",
    "/admin/django_celery_beat/periodictask/",
    "/admin/django_celery_beat/crontabschedule/",
]
# Without is_staff the admin sends everyone to its login; is_staff without permissions sees
# an empty index and 403 on every model; the superuser sees it all.
ADMIN_ANSWERS = {
    **dict.fromkeys(ROLES, 302),
    "staff_only": 302,
    "root": 200,
}


def _admin_params():
    for url in ADMIN_URLS:
        for visitor, code in ADMIN_ANSWERS.items():
            if visitor == "staff_only":
                code = 200 if url == "/admin/" else 403
            name = url.strip("/").replace("/", "-")
            yield pytest.param(url, visitor, code, id=f"{name}-{visitor}-GET")


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "visitor", "code"), list(_admin_params()))
def test_admin_answers_only_staff(world, url, visitor, code):
    response = world.client(visitor).get(url)

    assert response.status_code == code
    if code == 302:
        assert response["Location"].startswith(f"/admin/login/?next={url}")


def _view_names(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _view_names(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or pattern.lookup_str}"


def test_every_url_pattern_is_in_the_matrix():
    """A URL added without its row in the matrix, the public list or the admin rows fails."""
    covered = {case.values[0].view for case in CASES} | {row[0] for row in PUBLIC_ROWS}
    every = set(_view_names(get_resolver().url_patterns))
    admin = {name for name in every if name.startswith("admin:")}

    assert every - admin - covered == set()
    assert covered - every == set()
    assert admin, "the admin is covered by ADMIN_URLS"
    assert {resolve(url).namespace for url in ADMIN_URLS} == {"admin"}
