"""Culling leaves the published statistics as they were: January's figures, medians and CSV
are the same after the trivial items of January are culled, because the statistics count
each item's fact (`moderation.models.ItemFact`), which culling leaves, not the items; and
the overdue reviews count the channel's reviews, which culling leaves too, though it deletes
the decisions that recorded them.

Everything is made through the services: items registered with a January received_at,
settled by decisions, some marked trivial, a real half-yearly snapshot (its tasks run on
commit), a culling proposal approved by Informationsenheten and carried out by its task.

January 2026 on Biblioteket's Facebook page (Mon 5 Jan 2026; 6 January is a holiday):
- j1 question Mon 5 Jan 09:00, answered 10:00: stays;
- j2 comment Wed 7 Jan 09:00, trivial 13:00: culled;
- j3 comment Thu 8 Jan 09:00, trivial Fri 9 Jan 09:00: culled;
- j4 comment Mon 12 Jan 10:00, removed (hets) 10:30: stays;
- j5 question Tue 13 Jan 09:00, answered 15:00, then trivial: culled;
- j6 question Wed 14 Jan 09:00, never settled: stays, late.
"""

import datetime

import pytest
import time_machine

from archiving import services as archiving
from archiving.culling import services as culling
from archiving.models import ProposalStatus, RunStatus
from moderation import services
from moderation.models import Item, ItemFact, MonthlyStatistics
from moderation.services import statistics
from tests.conftest import moderated_channel

from .conftest import REFRESHED_AT

# Percentiles and the culling statements differ between PostgreSQL and SQLite.
pytestmark = [pytest.mark.django_db, pytest.mark.each_database]

# 1 July 2026, 02:00 in Stockholm: the half-yearly snapshot of January to June.
JOB_MOMENT = datetime.datetime.fromisoformat("2026-07-01T02:00+02:00")

JANUARY = [
    # (external id, kind, received, decisions as (kind, at, fields))
    ("j1", "question", "2026-01-05T09:00+01:00",
        [("answer", "2026-01-05T10:00+01:00", {"reply_text": "Klockan tio."})]),
    ("j2", "comment", "2026-01-07T09:00+01:00", [("trivial", "2026-01-07T13:00+01:00", {})]),
    ("j3", "comment", "2026-01-08T09:00+01:00", [("trivial", "2026-01-09T09:00+01:00", {})]),
    ("j4", "comment", "2026-01-12T10:00+01:00",
        [("remove", "2026-01-12T10:30+01:00", {"category": "hets"})]),
    ("j5", "question", "2026-01-13T09:00+01:00",
        [("answer", "2026-01-13T15:00+01:00", {"reply_text": "Ja."}),
         ("trivial", "2026-01-14T08:00+01:00", {})]),
    ("j6", "question", "2026-01-14T09:00+01:00", []),
]  # fmt: skip
CULLED = {"j2", "j3", "j5"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """The snapshot's files go to a fresh directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def channel(library, alice, bob, dora):
    """Biblioteket's Facebook page as in tests/conftest.py, registered on 1 December 2025, so
    that its supervision lapses of 2026 (from its reviews, which culling keeps) count too."""
    with time_machine.travel(datetime.datetime.fromisoformat("2025-12-01T10:00+01:00")):
        return moderated_channel(library, alice, bob, dora)


@pytest.fixture
def january(channel, ingrid):
    """The items of the table above, registered and decided through the services."""
    items = {}
    for external_id, kind, received, decisions in JANUARY:
        [(item, _created)] = services.register_items(
            channel,
            [
                services.clean_item_data(
                    channel,
                    {
                        "external_id": external_id,
                        "kind": kind,
                        "author": "Anna Andersson",
                        "text": "Har ni öppet på lördag?",
                        "url": f"https://www.facebook.com/bibblan-moderering/posts/{external_id}",
                        "received_at": received,
                    },
                )
            ],
        )
        for decision, at, fields in decisions:
            services.decide_item(
                item, by=ingrid, kind=decision, now=datetime.datetime.fromisoformat(at), **fields
            )
        items[external_id] = item
    return items


@pytest.fixture
def cull_january(channel, ingrid, django_capture_on_commit_callbacks):
    """Snapshot January to June, then cull what may go as Informationsenheten approves it."""

    def cull_january():
        with django_capture_on_commit_callbacks(execute=True):
            [run] = archiving.schedule_half_year_snapshots(JOB_MOMENT, channel=channel)
        run.refresh_from_db()
        assert run.status == RunStatus.DONE
        culling.record_disposition_decision(
            by=ingrid,
            reference="KS 2026/17 § 4",
            description="Inlägg av ringa eller tillfällig betydelse gallras efter tre månader.",
            adopted_on=datetime.date(2026, 1, 20),
        )
        proposal = culling.propose_culling(by=ingrid)
        with django_capture_on_commit_callbacks(execute=True):
            culling.approve_culling(proposal, by=ingrid)
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.EXECUTED

    return cull_january


def _published(client, ingrid, channel) -> tuple[str, bytes, list]:
    """The page's figures (its main content, the form's token left out), the CSV's bytes and
    the stored rows, for the whole municipality and for Biblioteket."""
    statistics.refresh_statistics(2026, now=REFRESHED_AT)
    client.force_login(ingrid)
    pages, csvs = [], []
    for query in ({"year": "2026"}, {"year": "2026", "unit": channel.unit_id}):
        page = client.get("/moderering/statistik/", query).content.decode()
        pages.append(page[page.index("<main") : page.index("</main>")])
        csvs.append(client.get("/moderering/statistik.csv", query).content)
    rows = list(
        MonthlyStatistics.objects.filter(year=2026)
        .order_by("month", "unit", "channel")
        .values_list(
            "month", "unit", "channel", "items", "by_kind", "by_category", "responded",
            "median_seconds", "p90_seconds", "due", "in_time", "overdue_reviews",
        )
    )  # fmt: skip
    return "\n".join(pages), b"\n".join(csvs), rows


def test_culling_january_leaves_its_figures_and_csv_as_they_were(
    client, ingrid, channel, january, cull_january
):
    page_before, csv_before, rows_before = _published(client, ingrid, channel)
    # The municipality's January as published: responses 1800 (j4), 3600 (j1), 14400 (j2),
    # 21600 (j5), 32400 (j3, Thu 8 h + Fri 1 h: just in time); median 14400, p90 at 3.6:
    # 21600 + 0.6 × 10800 = 28080; j6 open and past due, so six judged, five in time. One
    # review lapsed: the week after the last decision (Wed 14 Jan) passed without a review.
    [january_before] = [row for row in rows_before if row[:3] == (1, None, None)]
    figures = (6, {"comment": 3, "question": 3}, {"hets": 1}, 5, 14400, 28080, 6, 5, 1)
    assert january_before[3:] == figures

    cull_january()

    assert not Item.objects.filter(external_id__in=CULLED).exists()
    assert Item.objects.filter(channel=channel).count() == 3
    page_after, csv_after, rows_after = _published(client, ingrid, channel)
    assert rows_after == rows_before
    assert csv_after == csv_before
    assert page_after == page_before


def test_a_culled_items_fact_stays_as_it_was(channel, january, cull_january):
    culled = [january[external_id].pk for external_id in sorted(CULLED)]
    before = list(ItemFact.objects.filter(item_id__in=culled).order_by("item_id").values())

    cull_january()

    assert len(before) == 3
    assert list(ItemFact.objects.filter(item_id__in=culled).order_by("item_id").values()) == (
        before
    )


def test_an_items_fact_follows_its_registration_and_its_decisions(channel, january):
    answered, removed, open_item = (
        Item.objects.get(pk=january[external_id].pk) for external_id in ("j5", "j4", "j6")
    )

    for item in (answered, removed, open_item):
        fact = ItemFact.objects.get(item_id=item.pk)
        assert [getattr(fact, name) for name in statistics.FACT_FIELDS] == [
            getattr(item, name) for name in statistics.FACT_FIELDS
        ]
    # Answered Tue 13 Jan 09:00 → 15:00: six working hours, settled by the answer, not by
    # the later trivial decision.
    assert ItemFact.objects.get(item_id=answered.pk).response_seconds == 6 * 3600
    assert ItemFact.objects.get(item_id=removed.pk).removed_category == "hets"


def test_a_fact_holds_nothing_personal():
    names = {field.name for field in ItemFact._meta.get_fields()}

    assert not names & {"text", "author", "url", "links", "external_id", "parent", "diarienummer"}
