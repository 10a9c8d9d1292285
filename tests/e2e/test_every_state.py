"""axe-core on every page a role sees, in every state a page can be in, not only the states the
demo happens to show: a plan in each state of its workflow (superseded included), a full
queue (several pages of items, late and hidden ones, every kind of badge) and an empty one,
items settled every way, webhook deliveries that failed, wait for a retry or were given up,
snapshot runs queued, in progress and failed.

One data set for all of it: the permission matrix's world (tests/permission_matrix/world.py,
built through the services) and what is added to it here. The pages a role sees are exactly
the permission matrix's GET cases answered 200, so a URL added to the matrix is checked here
too. One browser page visits them all, role after role; each distinct page is run through
axe once, and the report names every page that fails.
"""

import datetime
import re
from importlib import import_module

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from archiving import services as archiving
from archiving.models import RunStatus, SnapshotReason, SnapshotRun
from atvida_social.outbox.models import OutboxMessage
from moderation import services as moderation_services
from moderation.models import Item, WebhookDelivery
from moderation.services import ingest
from moderation.workflow import DecisionKind, ItemKind, ItemStatus
from tests.conftest import _restore_role_groups
from tests.moderation.test_webhook import comment, payload
from tests.permission_matrix.test_views import CASES
from tests.permission_matrix.world import (
    ACCOUNT_OWNER,
    APPROVED,
    DAILY_OPERATOR,
    INFORMATION_UNIT,
    MANAGER,
    OTHER_MANAGER,
    ROLES,
    SUPERSEDED,
    build_world,
)

from .helpers import accessibility_violations, login_by_cookie, screenshot

pytestmark = pytest.mark.e2e

# Downloads, not pages: nothing for axe to check.
NOT_PAGES = {
    "activityplans:plan-pdf",
    "archiving:file-download",
    "archiving:diarium-copy",
    "archiving:culling-log-csv",
    "archiving:run-status",  # JSON for the archive page's progress bars
    "moderation:statistics-csv",
}
# Items beyond one page of the queue (50 a page).
QUEUE_ITEMS = 55
# What shows that a page is in the state it is visited for (Informationsenheten's view).
SHOWN = {
    "plan-detail-superseded-informationsenheten-GET": "Planen gäller inte längre",
    "token-list-informationsenheten-GET": "Uppgiven efter 8 försök",
    "snapshot-list-informationsenheten-GET": "Misslyckades",
    "queue-page-2": "Sida 2 av 2",
    "queue-empty": "Inget väntar på hantering.",
}


def _pages_of_the_matrix(world) -> dict[str, dict[str, str]]:
    """role -> {name: path}: every GET the permission matrix answers 200 for the role."""
    pages: dict[str, dict[str, str]] = {}
    for param in CASES:
        case = param.values[0]
        if case.method != "GET" or case.code != 200 or case.view in NOT_PAGES:
            continue
        path = case.url.format(plan=world.plans.get(case.state, 0), **world.ids)
        pages.setdefault(case.role, {})[case.id] = path
    return pages


def _add_failed_deliveries(channel, monkeypatch) -> None:
    """Webhook deliveries in each state the ways-in page shows: waiting for a second attempt
    after a fault, given up after the last attempt, not a payload at all, and processed with
    one comment that could not become an item."""
    ingest.save_webhook_subscription(channel, app_secret="hemligt")

    def fault(*args, **kwargs):
        raise ConnectionError("databasen svarar inte")

    with monkeypatch.context() as patched:
        patched.setattr(ingest, "ingest_items", fault)
        waiting, _ = ingest.receive_webhook_delivery(channel, payload(comment("w-1")))
        ingest.process_webhook_delivery(waiting.pk)
        given_up, _ = ingest.receive_webhook_delivery(channel, payload(comment("w-2")))
        for _attempt in range(WebhookDelivery.MAX_ATTEMPTS):
            ingest.process_webhook_delivery(given_up.pk)
    not_json, _ = ingest.receive_webhook_delivery(channel, b"inte json")
    ingest.process_webhook_delivery(not_json.pk)
    faulty, _ = ingest.receive_webhook_delivery(
        channel, payload(comment("w-3"), comment("w-4", created_time="igår"))
    )
    ingest.process_webhook_delivery(faulty.pk)
    states = {
        delivery.pk: delivery.state_label
        for delivery in WebhookDelivery.objects.filter(
            pk__in=[waiting.pk, given_up.pk, not_json.pk, faulty.pk]
        )
    }
    assert states == {
        waiting.pk: "Väntar på försök 2",
        given_up.pk: f"Uppgiven efter {WebhookDelivery.MAX_ATTEMPTS} försök",
        not_json.pk: "Kunde inte bli inlägg",
        faulty.pk: "Behandlad; 1 kommentar kunde inte bli inlägg",
    }, states


def _add_runs(channel, by) -> dict[str, int]:
    """Snapshot runs queued and in progress beside the world's failed and finished ones."""
    runs = {}
    for status, month in [(RunStatus.QUEUED, 4), (RunStatus.RENDERING, 5)]:
        run = archiving.start_snapshot_run(
            channel,
            period_start=datetime.datetime(2026, month, 1, tzinfo=datetime.UTC),
            period_end=datetime.datetime(2026, month + 1, 1, tzinfo=datetime.UTC),
            reason=SnapshotReason.ON_DEMAND,
            key=f"e2e:{status}",
            by=by,
            note="Begäran om allmän handling.",
        )
        if status == RunStatus.RENDERING:
            archiving.take_snapshot(run.pk)
        runs[status] = run.pk
    assert {status: SnapshotRun.objects.get(pk=pk).status for status, pk in runs.items()} == {
        RunStatus.QUEUED: RunStatus.QUEUED,
        RunStatus.RENDERING: RunStatus.RENDERING,
    }
    return runs


def _add_items(world) -> dict[str, int]:
    """A full queue on the approved plan's channel: late, soon late and in-time items, flagged
    and hidden ones, a thread, one assigned; and an item settled in each way a person can
    settle one. Returns the items whose own pages are visited, by state."""
    channel = world.plan(APPROVED).channel
    info, operator = world.user(INFORMATION_UNIT), world.user(DAILY_OPERATOR)
    now = timezone.now()
    texts = [
        "När öppnar biblioteket på lördag?",
        "Vilket skitväder, men fina böcker!",  # flagged: a swear word
        "Ni är idioter allihop",  # flagged: an insult
        "Mitt personnummer är 19811218-9876, ring mig",  # hidden: a personnummer
        "Köp nu, rabattkod BOK50",  # flagged twice: advertising
    ]
    kinds = [ItemKind.QUESTION, ItemKind.COMMENT, ItemKind.MESSAGE]
    items = []
    for number in range(QUEUE_ITEMS):
        # From three weeks ago (late) to now (in time).
        received = now - datetime.timedelta(hours=number * 9)
        item, _ = moderation_services.register_item(
            channel,
            {
                "external_id": f"ko-{number}",
                "kind": kinds[number % len(kinds)],
                "author": f"Invånare {number}",
                "text": texts[number % len(texts)],
                "received_at": received.isoformat(),
                "parent": "ko-0" if number in (1, 2) else None,
            },
        )
        items.append(item)
    moderation_services.assign_item(items[0], by=info, to=operator)
    shown = {"hidden": next(i for i in items if i.status == ItemStatus.HIDDEN).pk}
    shown["thread"] = items[0].pk
    decisions = [
        ("answered", DecisionKind.ANSWER, {"reply_text": "Klockan 10–14."}),
        ("removed", DecisionKind.REMOVE, {"category": "fortal", "reason": "Personangrepp."}),
        ("kept", DecisionKind.KEEP, {}),
        ("trivial", DecisionKind.TRIVIAL, {"reason": "Ett tack."}),
        ("registered", DecisionKind.REGISTER, {"diarienummer": "KS 2026/101"}),
        ("secret", DecisionKind.SECRECY, {"diarienummer": "KS 2026/102"}),
        ("no-answer", DecisionKind.NO_ANSWER, {"reason": "Ett påstående, ingen fråga."}),
        ("forwarded", DecisionKind.FORWARD, {"forwarded_to_unit": world.user(MANAGER).unit}),
    ]
    for number, (state, kind, fields) in enumerate(decisions):
        item, _ = moderation_services.register_item(
            channel,
            {
                "external_id": f"beslut-{state}",
                "kind": ItemKind.MESSAGE if kind == DecisionKind.REGISTER else ItemKind.COMMENT,
                "author": f"Avsändare {number}",
                "text": "Tack för en bra kväll på biblioteket.",
                "received_at": (now - datetime.timedelta(days=2)).isoformat(),
            },
        )
        moderation_services.decide_item(item, by=info, kind=kind, **fields)
        shown[state] = item.pk
    statuses = set(Item.objects.values_list("status", flat=True))
    assert {ItemStatus.NEW, ItemStatus.HIDDEN, ItemStatus.SECRET, ItemStatus.FORWARDED} <= (
        statuses
    ), statuses
    return shown


def _build(monkeypatch):
    """The world and what is added to it, committed for the live server. Built as the
    permission matrix builds it, with no worker running: the tasks the services leave in the
    outbox are dropped, so that the queued and failed runs stay as they are."""
    with transaction.atomic():
        # What an earlier browser test's flush emptied: the role groups' permissions and the
        # starter rules that flag and hide items.
        _restore_role_groups()
        import_module("moderation.migrations.0003_starter_rules_and_policies").seed(apps, None)
        world = build_world()
        channel = world.plan(APPROVED).channel
        _add_failed_deliveries(channel, monkeypatch)
        _add_runs(channel, world.user(INFORMATION_UNIT))
        items = _add_items(world)
        OutboxMessage.objects.all().delete()
    return world, items


def _extra_pages(world, items) -> dict[str, dict[str, str]]:
    """Pages the matrix has no case for: the queue in its other states, each item state."""
    moderators = [DAILY_OPERATOR, ACCOUNT_OWNER, MANAGER, INFORMATION_UNIT]
    pages = {role: {} for role in moderators}
    for role in moderators:
        pages[role]["queue-page-2"] = "/moderering/?sida=2"
        pages[role]["queue-empty"] = "/moderering/?kind=report"
        for state, pk in items.items():
            pages[role][f"item-{state}"] = f"/moderering/{pk}/"
    pages[OTHER_MANAGER] = {"queue-of-no-channel": "/moderering/"}
    return pages


def _structure(html: str) -> str:
    """The page with what cannot change axe-core's answer taken out, so that two pages of the
    same structure are run through it once: the CSRF token, the signed-in person's name in
    the menu, and the wording of each text (a text is kept as present or empty: an empty link
    or button has no name). Elements, classes, attributes and links stay as they are."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'<span class="navbar-text[^"]*">[^<]*</span>', "", html)
    return re.sub(r">[^<]*[^<\s][^<]*<", ">x<", html)


def test_every_page_in_every_state_passes_axe_for_every_role_that_sees_it(
    page, live_server, monkeypatch
):
    world, items = _build(monkeypatch)
    superseded = world.plan(SUPERSEDED)
    assert superseded.get_status_display() == "Ersatt av en senare revision"
    pages = _pages_of_the_matrix(world)
    for role, extra in _extra_pages(world, items).items():
        pages.setdefault(role, {}).update(extra)
    assert f"/aktivitetsplaner/{superseded.pk}/" in pages[INFORMATION_UNIT].values()
    assert set(SHOWN) <= set(pages[INFORMATION_UNIT]), set(SHOWN) - set(pages[INFORMATION_UNIT])

    problems, answers = [], {}  # answers: page structure -> axe-core's violations
    for role in ROLES:
        if role not in pages:
            continue
        page.context.clear_cookies()
        login_by_cookie(page, live_server, world.user(role))
        for name, path in pages[role].items():
            response = page.goto(f"{live_server.url}{path}")
            if response is None or response.status != 200:
                status = response.status if response else "no response"
                problems.append(f"{role} {path}: HTTP {status}")
                continue
            html = page.content()
            if role == INFORMATION_UNIT and name in SHOWN:
                assert SHOWN[name] in html, f"{path} does not show {SHOWN[name]!r}"
            structure = _structure(html)
            if structure not in answers:
                screenshot(page, f"state-{role}-{name}")
                answers[structure] = accessibility_violations(page)
            if answers[structure]:
                problems.append(f"{role} {path} ({name}):\n" + "\n".join(answers[structure]))
    assert not problems, (
        f"{len(problems)} pages failed or have WCAG violations (axe-core; {len(answers)} "
        "distinct pages checked):\n" + "\n".join(problems)
    )
