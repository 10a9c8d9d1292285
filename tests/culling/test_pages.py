"""The culling pages as Informationsenheten and the archivist use them: the proposal under
review with its counts and sample, approval and rejection, the decision, legal holds, and
the culling log as a page and as CSV."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from archiving.culling import services as culling
from archiving.models import (
    CullingRecord,
    CullingRecordLine,
    DispositionDecision,
    LegalHold,
    ProposalStatus,
)
from moderation.models import Item
from moderation.workflow import ItemStatus
from tests.factories import ChannelFactory

from .conftest import NOW, OLD, make_item, make_snapshot

pytestmark = pytest.mark.django_db

REVIEW = "/arkiv/gallring/"
LOG = "/arkiv/gallring/logg/"
CSV = "/arkiv/gallring/logg.csv"


@pytest.fixture
def proposal(page, other_page, decision):
    for number in range(3):
        make_item(page, text=f"Tack för tipset {number}!")
    make_item(other_page, text="Trevlig helg!", received_at=OLD + datetime.timedelta(days=3))
    make_snapshot(page)
    make_snapshot(other_page)
    return culling.propose_culling(now=NOW)


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- Who may -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "review", "log"),
    [
        ("ingrid", 200, 200),
        ("arne", 403, 200),
        ("bob", 403, 403),
        ("kim", 403, 403),
        ("dagny", 403, 403),
        ("sven", 403, 403),
    ],
)
def test_each_role_gets_exactly_its_answer(client, request, proposal, user, review, log):
    client.force_login(request.getfixturevalue(user))

    assert client.get(REVIEW).status_code == review
    assert client.get(LOG).status_code == log
    assert client.get(CSV).status_code == log
    approve = client.post(f"/arkiv/gallring/forslag/{proposal.pk}/godkann/")
    assert approve.status_code == (302 if review == 200 else 403)
    proposal.refresh_from_db()
    assert (proposal.status != ProposalStatus.PROPOSED) == (review == 200)


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    for url in (REVIEW, LOG, CSV):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"/logga-in/?next={url}")


def test_the_archivist_cannot_approve_discard_or_hold(client, arne, proposal, page):
    client.force_login(arne)

    assert client.post(f"/arkiv/gallring/forslag/{proposal.pk}/avvisa/").status_code == 403
    assert (
        client.post("/arkiv/gallring/stopp/", {"channel": page.pk, "reason": "x"}).status_code
        == 403
    )
    assert (
        client.post(
            "/arkiv/gallring/beslut/",
            {"reference": "X", "description": "Y", "adopted_on": "2026-01-01"},
        ).status_code
        == 403
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert not LegalHold.objects.exists()
    assert DispositionDecision.objects.count() == 1


# --- The review --------------------------------------------------------------------------


def test_the_review_shows_counts_per_channel_and_month_and_a_sample(
    client, ingrid, proposal, page, other_page
):
    client.force_login(ingrid)

    text = html(client.get(REVIEW))

    assert "Förslaget omfattar <strong>4</strong> inlägg" in text
    assert f"<td>{page}</td><td>2026-02</td><td>3</td>" in text
    assert f"<td>{other_page}</td><td>2026-02</td><td>1</td>" in text
    assert "Tack för tipset 0!" in text
    assert "Gallringen kan inte ångras." in text
    assert "Godkänn gallringen" in text
    assert "KS 2026/17 § 4" in text


def test_the_review_never_shows_the_text_of_an_item_no_longer_trivial(
    client, ingrid, proposal, page
):
    Item.objects.filter(channel=page).update(status=ItemStatus.REMOVED)
    client.force_login(ingrid)

    text = html(client.get(REVIEW))

    assert "Tack för tipset" not in text
    assert "Texten visas inte" in text
    assert "Trevlig helg!" in text


def test_approving_culls_the_proposal_and_the_log_shows_it(
    client, ingrid, proposal, page, other_page, django_capture_on_commit_callbacks
):
    client.force_login(ingrid)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/arkiv/gallring/forslag/{proposal.pk}/godkann/", follow=True)

    assert "Gallringen är godkänd" in html(response)
    assert not Item.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EXECUTED
    assert "Det finns inget förslag att granska." in html(client.get(REVIEW))
    log = html(client.get(LOG))
    assert f"{page}: 3 inlägg, inkomna 2026-02-10 – 2026-02-10" in log
    assert f"{other_page}: 1 inlägg, inkomna 2026-02-13 – 2026-02-13" in log
    assert "KS 2026/17 § 4" in log
    assert "Tack för tipset" not in log


def test_approving_twice_says_so_and_changes_nothing(client, ingrid, proposal):
    client.force_login(ingrid)
    culling.discard_culling(proposal, by=ingrid)

    response = client.post(f"/arkiv/gallring/forslag/{proposal.pk}/godkann/", follow=True)

    assert "kan inte bli godkänd" in html(response)
    assert Item.objects.count() == 4


def test_discarding_keeps_every_item(client, ingrid, proposal):
    client.force_login(ingrid)

    response = client.post(f"/arkiv/gallring/forslag/{proposal.pk}/avvisa/", follow=True)

    assert "Förslaget är avvisat" in html(response)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISCARDED
    assert Item.objects.count() == 4


def test_an_unknown_proposal_is_not_found(client, ingrid):
    client.force_login(ingrid)

    assert client.post("/arkiv/gallring/forslag/999999/godkann/").status_code == 404
    assert client.post("/arkiv/gallring/forslag/999999/avvisa/").status_code == 404


# --- The decision ------------------------------------------------------------------------


def test_without_a_decision_the_page_says_culling_cannot_run(client, ingrid):
    client.force_login(ingrid)

    text = html(client.get(REVIEW))

    assert "Gallring kan inte göras förrän beslutet" in text
    assert "Spara beslutet" in text


def test_the_decision_form_records_the_decision(client, ingrid):
    client.force_login(ingrid)

    response = client.post(
        "/arkiv/gallring/beslut/",
        {
            "reference": "KS 2026/99 § 2",
            "description": "Gallras efter tre månader.",
            "adopted_on": "2026-03-01",
        },
    )

    assert response.status_code == 302
    decision = DispositionDecision.objects.get()
    assert (decision.reference, decision.adopted_on, decision.created_by) == (
        "KS 2026/99 § 2",
        datetime.date(2026, 3, 1),
        ingrid,
    )
    assert "KS 2026/99 § 2" in html(client.get(REVIEW))


def test_a_decision_without_a_date_is_refused_with_a_message(client, ingrid):
    client.force_login(ingrid)

    text = html(client.post("/arkiv/gallring/beslut/", {"reference": "KS 1", "description": "x"}))

    assert "Formuläret innehåller fel" in text
    assert not DispositionDecision.objects.exists()


# --- Legal holds -------------------------------------------------------------------------


def test_a_hold_is_placed_listed_and_released(client, ingrid, page):
    client.force_login(ingrid)

    response = client.post(
        "/arkiv/gallring/stopp/", {"channel": page.pk, "reason": "Begäran om allmän handling."}
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.channel, hold.created_by, hold.is_active) == (page, ingrid, True)
    assert "Begäran om allmän handling." in html(client.get(REVIEW))

    response = client.post(f"/arkiv/gallring/stopp/{hold.pk}/hav/", follow=True)

    assert "är hävt" in html(response)
    hold.refresh_from_db()
    assert (hold.is_active, hold.released_by) == (False, ingrid)
    assert "Inga gallringsstopp gäller nu." in html(client.get(REVIEW))


def test_a_hold_without_a_reason_is_refused(client, ingrid, page):
    client.force_login(ingrid)

    text = html(client.post("/arkiv/gallring/stopp/", {"channel": page.pk, "reason": "  "}))

    assert "Formuläret innehåller fel" in text
    assert not LegalHold.objects.exists()


def test_releasing_a_released_hold_says_so(client, ingrid, page):
    hold = culling.place_legal_hold(page, by=ingrid, reason="Ärende.")
    culling.release_legal_hold(hold, by=ingrid)
    client.force_login(ingrid)

    response = client.post(f"/arkiv/gallring/stopp/{hold.pk}/hav/", follow=True)

    assert "redan hävt" in html(response)


# --- A legal hold on one item, from its page -----------------------------------------------


def _hold_page(item) -> str:
    return f"/arkiv/gallring/stopp/inlagg/{item.pk}/"


def test_an_item_held_from_its_page_is_not_culled(
    client, ingrid, proposal, page, django_capture_on_commit_callbacks
):
    held = Item.objects.filter(channel=page).order_by("pk").first()
    client.force_login(ingrid)
    item_page = html(client.get(f"/moderering/{held.pk}/"))
    assert f'href="{_hold_page(held)}"' in item_page
    assert "Inget gallringsstopp gäller för inlägget eller kanalen." in item_page

    response = client.post(_hold_page(held), {"reason": "Begärd som allmän handling."})

    assert response.status_code == 302
    assert response["Location"] == _hold_page(held)
    hold = LegalHold.objects.get()
    assert (hold.item, hold.channel, hold.created_by) == (held, page, ingrid)
    assert "Inlägget har gallringsstopp sedan" in html(client.get(f"/moderering/{held.pk}/"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/arkiv/gallring/forslag/{proposal.pk}/godkann/")
    assert list(Item.objects.filter(channel=page)) == [held]


def test_an_item_hold_without_a_reason_is_refused(client, ingrid, page):
    item = make_item(page)
    client.force_login(ingrid)

    text = html(client.post(_hold_page(item), {"reason": "   "}))

    assert "Formuläret innehåller fel" in text
    assert not LegalHold.objects.exists()


def test_an_item_hold_is_lifted_on_the_items_hold_page(client, ingrid, page):
    item = make_item(page)
    hold = culling.place_legal_hold(item, by=ingrid, reason="Ärende KS 2026/40.")
    client.force_login(ingrid)
    assert "Ärende KS 2026/40." in html(client.get(_hold_page(item)))

    response = client.post(f"/arkiv/gallring/stopp/{hold.pk}/hav/", {"from": "item"})

    assert response["Location"] == _hold_page(item)
    hold.refresh_from_db()
    assert (hold.is_active, hold.released_by) == (False, ingrid)
    text = html(client.get(_hold_page(item)))
    assert "Inget gallringsstopp gäller för inlägget eller dess kanal." in text
    assert f"Gallringsstoppet för inlägget {item.external_id} är hävt." in text


def test_the_items_hold_page_shows_its_channels_hold_without_lifting_it(client, ingrid, page):
    item = make_item(page)
    hold = culling.place_legal_hold(page, by=ingrid, reason="Hela kanalen begärd.")
    client.force_login(ingrid)

    text = html(client.get(_hold_page(item)))

    assert "Hela kanalen begärd." in text
    assert f"/arkiv/gallring/stopp/{hold.pk}/hav/" not in text


def test_the_holds_list_links_an_item_hold_to_its_page(client, ingrid, page):
    item = make_item(page)
    culling.place_legal_hold(item, by=ingrid, reason="Ärende.")
    client.force_login(ingrid)

    assert f'<a href="{_hold_page(item)}">{item.external_id}</a>' in html(client.get(REVIEW))


@override_settings(CULLING_REQUIRES_REVIEW=False)
def test_a_culled_marker_cannot_be_held(client, ingrid, page, decision):
    item = make_item(page, kind="question", text="Öppettider?")
    make_item(page, parent=item, status="besvarad", text="Nio till fem.")
    make_snapshot(page)
    culling.cull(None, by=None, now=NOW)
    item.refresh_from_db()
    assert item.status == ItemStatus.CULLED
    client.force_login(ingrid)
    assert "Inlägget är redan gallrat." in html(client.get(_hold_page(item)))

    text = html(client.post(_hold_page(item), {"reason": "Ärende."}))

    assert "Inlägget är redan gallrat." in text
    assert not LegalHold.objects.exists()


@pytest.mark.parametrize(
    ("user", "shown", "placed"), [("ingrid", 200, 302), ("arne", 403, 403), ("bob", 403, 403)]
)
def test_only_information_unit_holds_an_item(client, request, page, user, shown, placed):
    item = make_item(page)
    client.force_login(request.getfixturevalue(user))

    assert client.get(_hold_page(item)).status_code == shown
    assert client.post(_hold_page(item), {"reason": "Ärende."}).status_code == placed
    assert LegalHold.objects.exists() == (placed == 302)


def test_the_item_page_offers_the_hold_to_information_unit_only(client, ingrid, channel, alice):
    item = make_item(channel)
    client.force_login(alice)
    assert _hold_page(item) not in html(client.get(f"/moderering/{item.pk}/"))
    client.force_login(ingrid)
    assert _hold_page(item) in html(client.get(f"/moderering/{item.pk}/"))


def test_an_unknown_item_is_not_found(client, ingrid):
    client.force_login(ingrid)

    assert client.get("/arkiv/gallring/stopp/inlagg/0/").status_code == 404


# --- The log -----------------------------------------------------------------------------


def _approve(proposal, by, capture):
    with capture(execute=True):
        culling.approve_culling(proposal, by=by)


def test_the_log_csv_matches_the_records_per_channel(
    client, arne, ingrid, proposal, page, other_page, django_capture_on_commit_callbacks
):
    _approve(proposal, ingrid, django_capture_on_commit_callbacks)
    client.force_login(arne)

    response = client.get(CSV)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["tidpunkt", "av", "beslut", "förslag", "kanal"]
    per_channel = {row[4]: int(row[6]) for row in rows[1:]}
    expected = {
        channel.account_name: sum(
            CullingRecordLine.objects.filter(channel=channel).values_list("items", flat=True)
        )
        for channel in (page, other_page)
    }
    assert per_channel == expected == {page.account_name: 3, other_page.account_name: 1}
    assert {row[2] for row in rows[1:]} == {"KS 2026/17 § 4"}
    assert {row[1] for row in rows[1:]} == {ingrid.get_full_name() or ingrid.username}


def test_the_log_csv_neutralises_formula_cells(client, ingrid, decision, page):
    formula = ChannelFactory(unit=page.unit, account_name="=HYPERLINK(1)")
    record = CullingRecord.objects.create(
        by=None, job="Nattlig gallring", decision=decision, decision_reference="+KS 1"
    )
    CullingRecordLine.objects.create(
        record=record, channel=formula, items=2, earliest_received_at=OLD, latest_received_at=OLD
    )
    client.force_login(ingrid)

    rows = list(csv.reader(io.StringIO(client.get(CSV).content.decode("utf-8-sig")), delimiter=";"))

    assert rows[1][2] == "'+KS 1"
    assert rows[1][4] == "'=HYPERLINK(1)"


def test_the_log_shows_a_nightly_purge_without_items(client, arne, decision):
    CullingRecord.objects.create(
        by=None,
        job=culling.NIGHTLY_JOB,
        decision=decision,
        decision_reference="KS 2026/17 § 4",
        purged_texts=5,
    )
    client.force_login(arne)

    text = html(client.get(LOG))

    assert culling.NIGHTLY_JOB in text
    assert "Inga inlägg" in text
    assert "<td>5</td>" in text
    assert "Till förslag, beslut och gallringsstopp" not in text


def _log_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        html(client.get(LOG))
    return len(queries)


def test_the_log_page_needs_the_same_queries_for_one_record_as_for_many(
    client, ingrid, decision, page, other_page
):
    def record():
        made = CullingRecord.objects.create(
            by=ingrid, decision=decision, decision_reference=decision.reference
        )
        for channel in (page, other_page):
            CullingRecordLine.objects.create(
                record=made,
                channel=channel,
                items=1,
                earliest_received_at=OLD,
                latest_received_at=OLD,
            )

    client.force_login(ingrid)
    record()
    one = _log_queries(client)
    for _ in range(5):
        record()

    assert _log_queries(client) == one
