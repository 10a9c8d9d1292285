"""Every task the outbox carries has one effect however often it is delivered: the broker
delivers at least once (the outbox hands a message over again when it cannot tell the first
hand-over went through; a worker's death or the visibility timeout redelivers it). Each case
makes its message through the services, then delivers it under the outbox's own task id,
twice in a row and twice at once, and counts the rows of every table and the mails sent."""

import datetime
import threading
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.utils import timezone

from activityplans.services import plans
from archiving.culling import services as culling
from archiving.models import ArchiveFile, SnapshotReason
from archiving.services import integrity
from archiving.services.snapshots import start_snapshot_run
from atvida_social import celery_app
from atvida_social.outbox.models import OutboxMessage
from atvida_social.scheduling.registry import registered_jobs
from channels import services as channel_services
from moderation.services import ingest
from tests.culling.conftest import complete_snapshot, make_item, plan_snapshot
from tests.factories import TEST_PASSWORD
from tests.moderation.test_webhook import comment, payload
from tests.outbox.conftest import STOPPED_BROKER, broker

# Every task the outbox carries, by the name it is enqueued under.
CARRIED = {
    "activityplans.tasks.send_plan_notification",
    "archiving.tasks.archive_diarium_copy",
    "archiving.tasks.archive_plan",
    "archiving.tasks.archive_register_version",
    "archiving.tasks.check_archive_integrity",
    "archiving.tasks.cull_approved_proposal",
    "archiving.tasks.finish_snapshot",
    "archiving.tasks.mail_check_problems",
    "archiving.tasks.mail_verification_problem",
    "archiving.tasks.render_volume",
    "archiving.tasks.take_snapshot",
    "moderation.tasks.carry_out_platform_action",
    "moderation.tasks.mail_connection_broken",
    "moderation.tasks.mail_secrecy_alert",
    "moderation.tasks.process_webhook_delivery",
    "moderation.tasks.pull_connection",
}


@dataclass(frozen=True)
class Case:
    task: str
    setup: object  # (request) -> None: the action that enqueues the task, through services
    # What one delivery does, in rows per table ("app.model") and mails ("mail").
    once: dict = field(default_factory=dict)


def _counts() -> dict[str, int]:
    counts = {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
    }
    counts["mail"] = len(mail.outbox)
    return counts


def _delta(before: dict, after: dict) -> dict:
    return {key: after[key] - before[key] for key in after if after[key] != before[key]}


def _deliver(message: OutboxMessage) -> None:
    """What a worker does with the message: run its task under the outbox's task id."""
    if message.task_name not in celery_app.tasks:
        celery_app.loader.import_default_modules()
    task = celery_app.tasks[message.task_name]
    task.apply(args=message.args, kwargs=message.kwargs, task_id=message.task_id, throw=True)


def _message(task: str) -> OutboxMessage:
    return OutboxMessage.objects.filter(task_name=task).latest("pk")


# --- The cases: each action that enqueues a task, done through the services ---------------


def _plan_submitted(request):
    plans.submit_plan(request.getfixturevalue("plan"), by=request.getfixturevalue("alice"))


def _approved_culling(request):
    ingrid = request.getfixturevalue("ingrid")
    page = request.getfixturevalue("channel")
    culling.record_disposition_decision(
        by=ingrid,
        reference="KS 2026/17 § 4",
        description="Inlägg av ringa eller tillfällig betydelse gallras efter tre månader.",
        adopted_on=datetime.date(2026, 1, 20),
    )
    for _ in range(3):
        make_item(page)
    # Planned and rendered here, not through the broker, which these tests keep stopped.
    complete_snapshot(plan_snapshot(page))
    culling.approve_culling(culling.propose_culling(), by=ingrid)


def _archive_check_requested(request):
    _register_archived(request)
    integrity.start_archive_check(by=request.getfixturevalue("ingrid"))


def _register_published(request):
    request.getfixturevalue("channel")
    channel_services.publish_register(by=request.getfixturevalue("ingrid"))


def _register_archived(request):
    _register_published(request)
    _deliver(_message("archiving.tasks.archive_register_version"))


def _damaged_archive(request) -> ArchiveFile:
    _register_archived(request)
    archived = ArchiveFile.objects.get()
    with archived.file.open("wb") as handle:
        handle.write(b"%PDF-1.7\n% changed\n%%EOF\n")
    return archived


def _file_found_changed(request):
    integrity.verify_file(_damaged_archive(request), by=request.getfixturevalue("ingrid"))


def _check_found_problems(request):
    _damaged_archive(request)
    integrity.start_archive_check(by=request.getfixturevalue("ingrid"))
    _deliver(_message("archiving.tasks.check_archive_integrity"))


def _plan_approved(request):
    plan, ingrid = request.getfixturevalue("plan"), request.getfixturevalue("ingrid")
    plans.submit_plan(plan, by=request.getfixturevalue("alice"))
    for signer in ("bob", "alice", "dan"):
        plans.sign_plan(plan, by=request.getfixturevalue(signer), password=TEST_PASSWORD)
    plan.refresh_from_db()
    plans.start_review(plan, by=ingrid)
    plans.approve_plan(plan, by=ingrid)


def _snapshot_started(request):
    now = timezone.now()
    start_snapshot_run(
        request.getfixturevalue("channel"),
        period_start=now - datetime.timedelta(days=30),
        period_end=now,
        reason=SnapshotReason.ON_DEMAND,
        key="idempotence",
        by=request.getfixturevalue("ingrid"),
    )


def _snapshot_planned(request):
    _snapshot_started(request)
    _deliver(_message("archiving.tasks.take_snapshot"))


def _snapshot_rendered(request):
    _snapshot_planned(request)
    _deliver(_message("archiving.tasks.render_volume"))


def _personnummer_hidden(request):
    from moderation import services as moderation

    moderation.register_item(
        request.getfixturevalue("channel"),
        {
            "external_id": "fb-pnr",
            "kind": "comment",
            "author": "Anna Andersson",
            "text": "Olles personnummer är 811218-9876.",
            "received_at": timezone.now(),
            "url": "",
            "parent": None,
        },
    )


def _item_registered(request):
    from moderation import services as moderation

    channel = request.getfixturevalue("channel")
    item, _created = moderation.register_item(
        channel,
        {
            "external_id": "dm-1",
            "kind": "message",
            "author": "Anna Andersson",
            "text": "Jag vill överklaga beslutet.",
            "received_at": timezone.now(),
            "url": "",
            "parent": None,
        },
    )
    moderation.decide_item(
        item, by=request.getfixturevalue("dora"), kind="register", diarienummer="KS 2026/1"
    )


def _webhook_received(request):
    channel = request.getfixturevalue("channel")
    ingest.save_webhook_subscription(channel, app_secret="hemlig")
    ingest.receive_webhook_delivery(channel, payload(comment("c-1"), comment("c-2")))


def _connected_blog(request):
    """Biblioteket's blog connected to the simulated WordPress, with a post and two
    comments there."""
    from tests.moderation.platforms import blog

    simulator = request.getfixturevalue("simulator")
    channel = blog.blog_channel(
        *(request.getfixturevalue(name) for name in ("library", "alice", "bob", "dora"))
    )
    post = blog.open_blog(simulator)
    blog.comment(simulator, post, "När öppnar biblioteket?")
    blog.comment(simulator, post, "Finns det sagostund i dag?")
    return blog.connect(channel)


def _pull_requested(request):
    from moderation.services import pulls

    pulls.request_pull(_connected_blog(request), by=request.getfixturevalue("alice"))


def _connection_broken(request):
    from moderation.services import pulls
    from tests.moderation.platforms import blog

    connection = _connected_blog(request)
    request.getfixturevalue("simulator").expire("wordpress", blog.CREDENTIAL)
    pulls.pull_connection(connection.pk)


def _answer_decided(request):
    from moderation import services as moderation
    from moderation.models import Item
    from moderation.services import pulls

    connection = _connected_blog(request)
    pulls.pull_connection(connection.pk)
    item = Item.objects.filter(channel=connection.channel, kind="comment").first()
    moderation.decide_item(
        item, by=request.getfixturevalue("dora"), kind="answer", reply_text="Klockan tio."
    )


CASES = [
    Case(
        "activityplans.tasks.send_plan_notification",
        _plan_submitted,
        {"mail": 3, "activityplans.plannotification": 1},
    ),
    Case(
        "archiving.tasks.cull_approved_proposal",
        _approved_culling,
        {"moderation.item": -3, "archiving.cullingrecord": 1},
    ),
    Case(
        "archiving.tasks.archive_register_version",
        _register_published,
        {"archiving.archivefile": 1},
    ),
    Case(
        "archiving.tasks.check_archive_integrity",
        _archive_check_requested,
        {"archiving.verification": 1},
    ),
    Case(
        "archiving.tasks.mail_verification_problem",
        _file_found_changed,
        {"mail": 1, "archiving.problemmail": 1},
    ),
    Case(
        "archiving.tasks.mail_check_problems",
        _check_found_problems,
        {"mail": 1, "archiving.problemmail": 1},
    ),
    Case("archiving.tasks.archive_plan", _plan_approved, {"archiving.archivefile": 1}),
    Case("archiving.tasks.archive_diarium_copy", _item_registered, {"archiving.archivefile": 1}),
    Case("archiving.tasks.take_snapshot", _snapshot_started, {"archiving.snapshotvolume": 1}),
    # The part's files are the volume's own until finish records them; it hands finish over.
    Case("archiving.tasks.render_volume", _snapshot_planned, {"outbox.outboxmessage": 1}),
    Case("archiving.tasks.finish_snapshot", _snapshot_rendered, {"archiving.snapshot": 1}),
    # dora and alice (the plan's people) and bob (its manager).
    Case(
        "moderation.tasks.mail_secrecy_alert",
        _personnummer_hidden,
        {"mail": 3, "moderation.supervisionnotice": 1},
    ),
    Case(
        "moderation.tasks.process_webhook_delivery",
        _webhook_received,
        {"moderation.item": 2},
    ),
    # The blog's post and its two comments.
    Case("moderation.tasks.pull_connection", _pull_requested, {"moderation.item": 3}),
    # One mail to alice (the blog's Kontoansvarig) and Informationsenheten.
    Case("moderation.tasks.mail_connection_broken", _connection_broken, {"mail": 1}),
    # The answer posted once: the municipality's own item in the thread.
    Case(
        "moderation.tasks.carry_out_platform_action",
        _answer_decided,
        {"moderation.item": 1},
    ),
]


def _prepare(case: Case, request) -> OutboxMessage:
    # The broker is down while the action runs: its task stays in the outbox for the test to
    # deliver (a transactional test would otherwise hand it over on commit).
    with broker(STOPPED_BROKER):
        case.setup(request)
    return _message(case.task)


def _watched(delta: dict, case: Case) -> dict:
    return {key: delta.get(key, 0) for key in case.once}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_every_task_the_outbox_carries_has_a_case():
    assert {case.task for case in CASES} == CARRIED


def test_every_task_is_carried_by_the_outbox_or_run_by_the_schedule():
    """A new task is either enqueued through the outbox (then it needs a case here) or a
    periodic job; the tasks each periodic job calls in-process are their job's."""
    celery_app.loader.import_default_modules()
    project = {
        name
        for name, task in celery_app.tasks.items()
        if not name.startswith(("celery.", "tests."))
        and task.__module__.split(".")[0] not in ("celery", "tests")
    }
    periodic = {job.task for job in registered_jobs()}

    assert project - periodic - CARRIED == set()


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.task.rsplit(".", 1)[1])
def test_a_task_delivered_twice_in_a_row_has_one_effect(case, request):
    message = _prepare(case, request)

    before = _counts()
    _deliver(message)
    first = _counts()
    _deliver(message)
    second = _counts()

    assert _watched(_delta(before, first), case) == case.once
    assert _delta(first, second) == {}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.task.rsplit(".", 1)[1])
def test_a_task_delivered_twice_at_once_has_one_effect(case, request):
    message = _prepare(case, request)
    start = threading.Barrier(2)
    errors = []

    def deliver():
        try:
            start.wait()
            _deliver(message)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    before = _counts()
    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    after = _counts()

    assert errors == []
    assert _watched(_delta(before, after), case) == case.once
