"""Culling's world, made the way production makes it: items registered through moderation's
services and brought to their state by its decisions, snapshots taken by the archiving
services with their tasks run in-process, and ingrid to record the decision."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase

from archiving import rendering
from archiving.culling import services as culling
from archiving.models import Snapshot, SnapshotReason, SnapshotRun
from archiving.services import snapshots
from atvida_social.organisation.roles import Role
from moderation import services as moderation
from moderation.models import Item, Rule
from tests.factories import ChannelFactory, UserFactory

User = get_user_model()
STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Monday 15 June 2026, noon in Stockholm: three months back is 15 March.
NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=STOCKHOLM)
OLD = datetime.datetime(2026, 2, 10, 9, 0, tzinfo=STOCKHOLM)
YOUNG = datetime.datetime(2026, 4, 1, 9, 0, tzinfo=STOCKHOLM)
FIRST_HALF = (
    datetime.datetime(2026, 1, 1, tzinfo=STOCKHOLM),
    datetime.datetime(2026, 7, 1, tzinfo=STOCKHOLM),
)
# A text the `hiding_rule` hides on arrival: withheld from the archive.
HIDDEN_TEXT = "Ett spärrord mitt i kommentaren."

_ids = itertools.count(1)

# The decisions that bring a new item to each status (moderation.workflow.TRANSITIONS).
_DECISIONS = {
    # The reason a direct message needs; harmless for the other kinds.
    "ringa": [("trivial", {"reason": "Av tillfällig betydelse."})],
    "besvarad": [("answer", {"reply_text": "Vi öppnar klockan nio."})],
    "behallen": [("keep", {})],
    "borttagen": [("remove", {"category": "reklam"})],
    "inget_svar": [("no_answer", {"reason": "Ett tack, inget att svara på."})],
    "diarieford": [("register", {})],
    "sekretess": [("secrecy", {})],
}


def moderator(channel):
    """The person who takes the decisions here: Informationsenheten moderates every channel."""
    found = User.objects.filter(username="moa").first()
    return found or UserFactory(username="moa", unit=channel.unit, roles=[Role.INFORMATION_UNIT])


def make_item(
    channel,
    *,
    status="ringa",
    received_at=OLD,
    parent=None,
    diarienummer="",
    by=None,
    **fields,
) -> Item:
    """An item registered as the API registers it, then decided on until it has `status`
    (and `diarienummer`, which registers it in the diarium)."""
    kind = fields.pop("kind", "comment")
    external_id = f"fb-{next(_ids)}"
    item, created = moderation.register_item(
        channel,
        {
            "external_id": external_id,
            "kind": kind,
            "author": fields.pop("author", "Anna Andersson"),
            "text": fields.pop("text", "Hur dags öppnar ni?"),
            "received_at": received_at,
            "url": f"https://www.facebook.com/bibblan/posts/{external_id}",
            "parent": parent.external_id if parent else None,
        },
    )
    assert created
    assert not fields, f"make_item() does not set {sorted(fields)}"
    return bring_to(item, status, diarienummer=diarienummer, by=by)


def bring_to(item: Item, status: str, *, diarienummer: str = "", by=None) -> Item:
    """The decisions that take a new or hidden item to `status` (and `diarienummer`, which
    registers it in the diarium)."""
    if status not in _DECISIONS and status != item.status:
        raise ValueError(f"No decisions bring {item.status!r} to {status!r} here")
    steps = list(_DECISIONS.get(status, []))
    if item.kind == "question" and status == "ringa":
        # An unanswered question is never judged trivial (Frågor … ska besvaras): answered first.
        steps = [*_DECISIONS["besvarad"], *steps]
    if diarienummer and status not in ("diarieford", "sekretess"):
        steps.append(("register", {}))
    for kind_of_decision, extra in steps:
        if kind_of_decision in ("register", "secrecy"):
            extra = {"diarienummer": diarienummer or "KS 2026/1"}
        by = by or moderator(item.channel)
        moderation.decide_item(item, by=by, kind=kind_of_decision, **extra)
    item.refresh_from_db()
    return item


def make_snapshot(channel, period=FIRST_HALF, *, by=None) -> Snapshot:
    """A snapshot of the channel's period taken by the archiving services, its plan, render
    and finish run here and now as the outbox hands them over after commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = snapshots.start_snapshot_run(
            channel,
            period_start=period[0],
            period_end=period[1],
            reason=SnapshotReason.ON_DEMAND if by else SnapshotReason.SCHEDULE,
            key=f"test:{channel.pk}:{next(_ids)}",
            by=by,
        )
    return Snapshot.objects.get(run=run)


def plan_snapshot(channel, period=FIRST_HALF) -> SnapshotRun:
    """A run started and planned by the archiving services, its parts not rendered yet."""
    with TestCase.captureOnCommitCallbacks(execute=False):
        run = snapshots.start_snapshot_run(
            channel,
            period_start=period[0],
            period_end=period[1],
            reason=SnapshotReason.SCHEDULE,
            key=f"test:{channel.pk}:{next(_ids)}",
        )
        snapshots.take_snapshot(run.pk)
    run.refresh_from_db()
    return run


def complete_snapshot(run: SnapshotRun) -> Snapshot:
    """Render every part of a planned run and finish it, as its tasks would."""
    with TestCase.captureOnCommitCallbacks(execute=False):
        for number in range(1, run.volumes_total + 1):
            snapshots.render_volume(run.pk, number)
        return snapshots.finish_snapshot(run.pk)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Each test writes its archive into a fresh directory of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _plain_pdf(header: dict, records: list[dict], target, *, fetcher=None) -> int:
    """A one-page stand-in for the part's PDF/A, holding the same texts as its JSON."""
    texts = [record["text"] or record["withheld_label"] for record in records]
    target.write(("%PDF-1.7\n% " + "\n% ".join(texts) + "\n%%EOF\n").encode())
    return 1


@pytest.fixture(autouse=True)
def _quick_pdf(monkeypatch):
    """Snapshots here write their PDF with `_plain_pdf`, not WeasyPrint: a real PDF/A part
    takes about 4 s on this machine (most of it subsetting fonts), and culling asks only what
    a run captured, which render records from the records it writes into both files. The
    PDF/A itself is tests/archiving's; plan, render, the JSON, finish and the captures run
    as in production."""
    monkeypatch.setattr(rendering, "render_volume_pdf", _plain_pdf)


@pytest.fixture
def hiding_rule(ingrid):
    """A rule, kept by Informationsenheten, that hides HIDDEN_TEXT on arrival."""
    rule = Rule(
        name="Spärrord", kind="word", pattern="spärrord", category="svordomar", action="hide"
    )
    return moderation.save_rule(rule, by=ingrid)


@pytest.fixture
def decision(ingrid):
    return culling.record_disposition_decision(
        by=ingrid,
        reference="KS 2026/17 § 4",
        description="Inlägg av ringa eller tillfällig betydelse gallras efter tre månader.",
        adopted_on=datetime.date(2026, 1, 20),
    )


@pytest.fixture
def page(library):
    return ChannelFactory(unit=library, account_name="Bibblan")


@pytest.fixture
def other_page(library):
    return ChannelFactory(unit=library, account_name="Bibblan Unga")
