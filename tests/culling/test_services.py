"""Culling of trivial items: what may go, what stays, and how each run is logged."""

import datetime
import hashlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.test import override_settings

from archiving.culling import services as culling
from archiving.culling.selectors import cullable_items, culling_cutoff, may_cull
from archiving.exceptions import CullingNotAllowed, CullingNotConfigured
from archiving.models import (
    CullingProposal,
    CullingRecord,
    CullingRecordLine,
    DispositionDecision,
    FileRole,
    LegalHold,
    ProposalStatus,
    SnapshotCapture,
)
from archiving.services import snapshots as snapshot_services
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.models import AuditLogEntry
from moderation import services as moderation_services
from moderation.models import Decision, Item, RuleMatch
from moderation.selectors import thread_items
from tests.culling.conftest import (
    HIDDEN_TEXT,
    NOW,
    OLD,
    STOCKHOLM,
    YOUNG,
    complete_snapshot,
    make_item,
    make_snapshot,
    plan_snapshot,
)

# Culling selects and deletes the items by an id array on PostgreSQL, by IN lists elsewhere.
pytestmark = [pytest.mark.django_db, pytest.mark.each_database]


def _exists(item) -> bool:
    return Item.objects.filter(pk=item.pk).exists()


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _archived_items(snapshot) -> list[dict]:
    """The items of a snapshot as its JSON files hold them."""
    items = []
    for archived in snapshot.files.filter(role=FileRole.JSON).order_by("volume"):
        with archived.file.open("rb") as handle:
            items += json.loads(handle.read().decode("utf-8"))["items"]
    return items


@pytest.fixture
def approve(django_capture_on_commit_callbacks):
    """Approve as Informationsenheten does; the culling task it enqueues runs on commit."""

    def approve(proposal, by):
        with django_capture_on_commit_callbacks(execute=True):
            culling.approve_culling(proposal, by=by)
        proposal.refresh_from_db()
        return proposal

    return approve


# --- The rule ----------------------------------------------------------------------------


def test_cutoff_counts_calendar_months_in_stockholm():
    may_31 = datetime.datetime(2026, 5, 31, 10, 0, tzinfo=STOCKHOLM)
    assert culling_cutoff(may_31) == datetime.datetime(2026, 2, 28, 10, 0, tzinfo=STOCKHOLM)


def test_an_old_captured_trivial_item_may_be_culled(page):
    item = make_item(page)
    make_snapshot(page)
    assert list(cullable_items(now=NOW)) == [item]


@pytest.mark.parametrize("status", ["ny", "besvarad", "behallen", "borttagen", "inget_svar"])
def test_an_item_not_marked_trivial_stays(page, status):
    make_item(page, status=status)
    make_snapshot(page)
    assert not cullable_items(now=NOW).exists()


def test_an_item_younger_than_the_culling_age_stays(page):
    make_item(page, received_at=YOUNG)
    make_snapshot(page)
    assert not cullable_items(now=NOW).exists()


def test_the_culling_age_setting_is_obeyed(page):
    make_item(page, received_at=OLD)
    make_snapshot(page)
    with override_settings(CULLING_AGE_MONTHS=6):
        assert not cullable_items(now=NOW).exists()


def test_an_item_with_a_diarienummer_stays(page):
    make_item(page, diarienummer="KS 2026/40")
    make_snapshot(page)
    assert not cullable_items(now=NOW).exists()


def test_a_trivial_item_that_a_registered_reply_answers_stays(page):
    question = make_item(page)
    make_item(page, parent=question, status="diarieford", diarienummer="KS 2026/41")
    make_snapshot(page)
    assert not cullable_items(now=NOW).exists()


def test_a_trivial_reply_under_a_registered_item_stays(page):
    registered = make_item(page, status="diarieford", diarienummer="KS 2026/42")
    middle = make_item(page, parent=registered)
    make_item(page, parent=middle)
    make_snapshot(page)
    assert not cullable_items(now=NOW).exists()


def test_a_trivial_comment_beside_a_case_under_the_same_post_may_go(page):
    post = make_item(page, status="publicerad", kind="post")
    make_item(page, parent=post, status="diarieford", diarienummer="KS 2026/43")
    beside = make_item(page, parent=post)
    make_snapshot(page)
    assert list(cullable_items(now=NOW)) == [beside]


def test_an_item_under_an_active_hold_stays_and_a_released_hold_does_not_keep_it(page, ingrid):
    item = make_item(page)
    make_snapshot(page)
    hold = culling.place_legal_hold(item, by=ingrid, reason="Begärd av JO")
    assert not cullable_items(now=NOW).exists()
    culling.release_legal_hold(hold, by=ingrid)
    assert list(cullable_items(now=NOW)) == [item]


def test_a_hold_on_the_channel_keeps_all_its_items_and_no_others(page, other_page, ingrid):
    make_item(page)
    elsewhere = make_item(other_page)
    make_snapshot(page)
    make_snapshot(other_page)
    culling.place_legal_hold(page, by=ingrid, reason="Tvist om kommentarerna")
    assert list(cullable_items(now=NOW)) == [elsewhere]


def test_an_item_no_snapshot_has_captured_stays(page, other_page):
    make_item(page)
    make_snapshot(other_page)
    make_snapshot(
        page,
        (
            datetime.datetime(2025, 7, 1, tzinfo=STOCKHOLM),
            datetime.datetime(2026, 1, 1, tzinfo=STOCKHOLM),
        ),
    )
    assert not cullable_items(now=NOW).exists()


def test_an_item_archived_hidden_and_later_marked_trivial_stays(page, ingrid, hiding_rule):
    item = make_item(page, status="dold", text=HIDDEN_TEXT)
    make_snapshot(page)
    moderation_services.decide_item(item, by=ingrid, kind="trivial")
    capture = SnapshotCapture.objects.get(item_id=item.pk)
    assert (capture.is_withheld, capture.text_sha256) == (True, "")
    assert not cullable_items(now=NOW).exists()


def test_an_item_an_import_committed_after_the_plan_stays(page, time_machine):
    """The import began before the snapshot was planned (so its item's created_at is earlier
    than the run's start) and committed after the plan had read the period."""
    planned_at = datetime.datetime(2026, 7, 2, 10, 0, tzinfo=STOCKHOLM)
    time_machine.move_to(planned_at, tick=False)
    run = plan_snapshot(page)
    time_machine.move_to(planned_at - datetime.timedelta(minutes=5), tick=False)
    late = make_item(page)
    time_machine.move_to(planned_at + datetime.timedelta(minutes=1), tick=False)
    snapshot = complete_snapshot(run)
    assert late.created_at < snapshot.started_at
    assert not SnapshotCapture.objects.filter(item_id=late.pk).exists()
    assert not cullable_items(now=NOW).exists()


def test_a_failed_run_has_captured_nothing(page):
    make_item(page)
    run = plan_snapshot(page)
    snapshot_services.render_volume(run.pk, 1)
    snapshot_services.fail_snapshot_run(run.pk, error="Disken är full")
    assert SnapshotCapture.objects.exists()
    assert not cullable_items(now=NOW).exists()


def test_an_item_whose_text_changed_since_the_snapshot_stays(page):
    item = make_item(page, text="Hur dags öppnar ni?")
    make_snapshot(page)
    # The platform's edit of the comment (a new version of the item).
    Item.objects.filter(pk=item.pk).update(text="Hur dags öppnar ni på lördag?")
    assert not cullable_items(now=NOW).exists()


def test_an_item_removed_between_plan_and_render_is_recorded_as_archived(page, ingrid):
    item = make_item(page, status="ny", text="Köp billiga klockor här")
    run = plan_snapshot(page)
    planned = SnapshotCapture.objects.get(item_id=item.pk)
    assert (planned.is_withheld, planned.text_sha256) == (False, sha256_hex(item.text))
    moderation_services.decide_item(item, by=ingrid, kind="remove", category="reklam")
    snapshot = complete_snapshot(run)
    capture = SnapshotCapture.objects.get(item_id=item.pk)
    assert (capture.is_withheld, capture.text_sha256) == (True, "")
    [archived] = _archived_items(snapshot)
    assert (archived["external_id"], archived["text"]) == (item.external_id, None)


def test_each_item_of_a_period_in_parts_is_captured_once_in_its_part(page, settings):
    settings.ARCHIVE_VOLUME_ITEMS = 2
    items = [make_item(page, text=f"Tack för tipset {n}!") for n in range(5)]
    run = plan_snapshot(page)
    planned = set(SnapshotCapture.objects.values_list("part__number", "item_id", "text_sha256"))
    complete_snapshot(run)
    parts = {part.number: part.item_ids for part in run.parts.all()}
    assert len(parts) == 3
    expected = {
        (number, pk, sha256_hex(Item.objects.get(pk=pk).text))
        for number, ids in parts.items()
        for pk in ids
    }
    assert planned == expected
    assert (
        set(SnapshotCapture.objects.values_list("part__number", "item_id", "text_sha256"))
        == expected
    )
    assert set(cullable_items(now=NOW)) == set(items)


def test_the_captured_hash_is_of_the_text_the_archive_holds(page):
    item = make_item(page, text="Tack för boktipset! 📚 Åsa & Örjan")
    snapshot = make_snapshot(page)
    [archived] = _archived_items(snapshot)
    capture = SnapshotCapture.objects.get(item_id=item.pk)
    assert archived["text"] == item.text
    assert capture.text_sha256 == sha256_hex(archived["text"])
    assert (capture.is_withheld, capture.external_id) == (False, item.external_id)
    assert list(cullable_items(now=NOW)) == [item]


# --- The decision it rests on ------------------------------------------------------------


def test_culling_refuses_to_run_until_the_decision_is_recorded(page, ingrid):
    make_item(page)
    make_snapshot(page)
    with pytest.raises(CullingNotConfigured) as refusal:
        culling.propose_culling(now=NOW)
    assert "dokumenthanteringsplanen" in str(refusal.value.message)
    with pytest.raises(CullingNotConfigured):
        culling.cull(None, by=ingrid, dry_run=True, now=NOW)
    assert Item.objects.count() == 1


def test_the_newest_decision_applies(ingrid, decision):
    newer = culling.record_disposition_decision(
        by=ingrid,
        reference="KS 2026/90 § 2",
        description="Reviderad plan",
        adopted_on=datetime.date(2026, 5, 1),
    )
    assert culling.current_decision() == newer


def test_only_informationsenheten_records_a_decision(alice):
    with pytest.raises(PermissionDeniedError):
        culling.record_disposition_decision(
            by=alice, reference="X", description="Y", adopted_on=datetime.date(2026, 1, 1)
        )
    assert not DispositionDecision.objects.exists()


def test_a_decision_without_a_reference_is_refused(ingrid):
    with pytest.raises(ValidationError) as refusal:
        culling.record_disposition_decision(
            by=ingrid, reference="  ", description="Y", adopted_on=datetime.date(2026, 1, 1)
        )
    assert "reference" in refusal.value.message_dict


# --- Holds -------------------------------------------------------------------------------


def test_a_hold_needs_a_reason(page, ingrid):
    with pytest.raises(ValidationError):
        culling.place_legal_hold(page, by=ingrid, reason="   ")
    assert not LegalHold.objects.exists()


def test_only_informationsenheten_places_a_hold(page, alice):
    with pytest.raises(PermissionDeniedError):
        culling.place_legal_hold(page, by=alice, reason="Vill behålla")
    assert not LegalHold.objects.exists()


# --- Proposal, review, approval ----------------------------------------------------------


def test_nothing_eligible_proposes_nothing(page, decision):
    make_item(page, received_at=YOUNG)
    make_snapshot(page)
    assert culling.propose_culling(now=NOW) is None
    assert not CullingProposal.objects.exists()


def test_a_proposal_holds_exactly_the_eligible_items(page, decision):
    items = [make_item(page) for _ in range(3)]
    make_item(page, received_at=YOUNG)
    make_snapshot(page)
    proposal = culling.propose_culling(now=NOW)
    assert proposal.item_count == 3
    assert set(proposal.items.values_list("item_id", flat=True)) == {i.pk for i in items}
    assert proposal.decision == decision


def test_a_new_proposal_replaces_the_one_still_waiting(page, decision):
    make_item(page)
    make_snapshot(page)
    first = culling.propose_culling(now=NOW)
    second = culling.propose_culling(now=NOW)
    first.refresh_from_db()
    assert first.status == ProposalStatus.DISCARDED
    assert second.status == ProposalStatus.PROPOSED


def test_approval_by_anyone_but_informationsenheten_is_refused(page, decision, alice, bob):
    make_item(page)
    make_snapshot(page)
    proposal = culling.propose_culling(now=NOW)
    for person in (alice, bob):
        with pytest.raises(PermissionDeniedError):
            culling.approve_culling(proposal, by=person)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert Item.objects.count() == 1


def test_an_inactive_informationsenheten_account_may_not_approve_or_discard(page, decision, ingrid):
    make_item(page)
    make_snapshot(page)
    proposal = culling.propose_culling(now=NOW)
    ingrid.is_active = False
    ingrid.save(update_fields=["is_active"])

    assert not may_cull(ingrid)
    with pytest.raises(PermissionDeniedError):
        culling.approve_culling(proposal, by=ingrid)
    with pytest.raises(PermissionDeniedError):
        culling.discard_culling(proposal, by=ingrid)
    with pytest.raises(PermissionDeniedError):
        culling.cull(proposal, by=ingrid)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert Item.objects.count() == 1


def test_approval_culls_the_proposal_and_logs_it(page, decision, ingrid, approve):
    item = make_item(page)
    make_snapshot(page)
    proposal = approve(culling.propose_culling(now=NOW), ingrid)
    assert not _exists(item)
    assert proposal.status == ProposalStatus.EXECUTED
    record = CullingRecord.objects.get()
    assert (record.by, record.job, record.proposal) == (ingrid, "", proposal)
    assert record.decision_reference == "KS 2026/17 § 4"
    assert AuditLogEntry.objects.filter(action="culling_approved").exists()
    assert AuditLogEntry.objects.filter(action="culling_executed").exists()


def test_a_hold_added_between_proposal_and_approval_protects_the_item(
    page, decision, ingrid, approve
):
    held, other = make_item(page), make_item(page)
    make_snapshot(page)
    proposal = culling.propose_culling(now=NOW)
    culling.place_legal_hold(held, by=ingrid, reason="Begärd som allmän handling")
    assert approve(proposal, ingrid).status == ProposalStatus.EXECUTED
    assert _exists(held)
    assert not _exists(other)


def test_a_diarium_entry_after_the_proposal_protects_the_item(page, decision, ingrid, approve):
    item = make_item(page)
    make_snapshot(page)
    proposal = culling.propose_culling(now=NOW)
    moderation_services.decide_item(item, by=ingrid, kind="register", diarienummer="KS 2026/7")
    assert approve(proposal, ingrid).status == ProposalStatus.EXECUTED
    assert _exists(item)


def test_a_proposal_under_an_older_decision_cannot_be_approved(page, decision, ingrid):
    make_item(page)
    make_snapshot(page)
    proposal = culling.propose_culling(now=NOW)
    culling.record_disposition_decision(
        by=ingrid, reference="KS 2026/99", description="Ny", adopted_on=datetime.date(2026, 6, 1)
    )
    with pytest.raises(CullingNotAllowed):
        culling.approve_culling(proposal, by=ingrid)
    assert Item.objects.count() == 1


def test_a_discarded_proposal_cannot_be_approved(page, decision, ingrid):
    make_item(page)
    make_snapshot(page)
    proposal = culling.propose_culling(now=NOW)
    culling.discard_culling(proposal, by=ingrid)
    with pytest.raises(CullingNotAllowed):
        culling.approve_culling(proposal, by=ingrid)
    assert Item.objects.count() == 1


def test_without_review_switched_off_a_culling_needs_a_proposal(page, decision, ingrid):
    make_item(page)
    make_snapshot(page)
    with pytest.raises(CullingNotAllowed):
        culling.cull(None, by=ingrid, now=NOW)
    assert Item.objects.count() == 1


# --- The deletion --------------------------------------------------------------------------


def test_a_dry_run_deletes_nothing_and_lists_what_would_go(page, other_page, decision, ingrid):
    for _ in range(3):
        make_item(page)
    make_item(other_page, received_at=datetime.datetime(2026, 3, 2, tzinfo=STOCKHOLM))
    make_snapshot(page)
    make_snapshot(other_page)
    result = culling.cull(None, by=ingrid, dry_run=True, now=NOW)
    assert Item.objects.count() == 4
    assert not CullingRecord.objects.exists()
    assert result.preview.total == 4
    assert [(row.channel, row.month.month, row.items) for row in result.preview.rows] == [
        (page, 2, 3),
        (other_page, 3, 1),
    ]
    assert len(result.preview.sample) == 4


@override_settings(CULLING_REQUIRES_REVIEW=False)
def test_the_log_matches_what_was_deleted_per_channel(page, other_page, decision):
    on_page = [make_item(page) for _ in range(7)]
    on_other = [make_item(other_page, received_at=OLD + datetime.timedelta(days=d)) for d in (1, 5)]
    make_item(page, received_at=YOUNG)
    make_snapshot(page)
    make_snapshot(other_page)
    result = culling.cull(None, by=None, now=NOW, batch_size=3)
    assert result.items == 9
    record = CullingRecord.objects.get()
    assert record.job == culling.NIGHTLY_JOB
    assert record.by is None
    lines = CullingRecordLine.objects.filter(record=record)
    assert lines.filter(channel=page).aggregate(n=Sum("items"))["n"] == len(on_page)
    assert lines.filter(channel=other_page).aggregate(n=Sum("items"))["n"] == len(on_other)
    earliest = min(line.earliest_received_at for line in lines.filter(channel=other_page))
    latest = max(line.latest_received_at for line in lines.filter(channel=other_page))
    assert (earliest, latest) == (on_other[0].received_at, on_other[1].received_at)
    assert Item.objects.count() == 1


@override_settings(CULLING_REQUIRES_REVIEW=False)
def test_a_culled_item_goes_with_its_decisions_and_matches(page, decision, ingrid, dora):
    item = make_item(page, status="ny")
    moderation_services.decide_item(item, by=ingrid, kind="trivial")
    RuleMatch.objects.create(
        item=item, rule_name="x", category="reklam", action="flag", start=0, end=1
    )
    make_snapshot(page)
    culling.cull(None, by=None, now=NOW)
    assert not _exists(item)
    assert not Decision.objects.filter(item_id=item.pk).exists()
    assert not RuleMatch.objects.filter(item_id=item.pk).exists()


@override_settings(CULLING_REQUIRES_REVIEW=False)
def test_a_reply_that_stays_keeps_an_empty_marker_of_what_it_answered(page, decision):
    question = make_item(page, kind="question", text="Öppettider?")
    answer = make_item(page, parent=question, status="besvarad", text="Nio till fem.")
    make_snapshot(page)
    culling.cull(None, by=None, now=NOW)
    question.refresh_from_db()
    assert question.status == "gallrad"
    assert (question.text, question.author, question.url) == ("", "", "")
    assert [entry.item.pk for entry in thread_items(answer)] == [question.pk, answer.pk]
    line = CullingRecordLine.objects.get()
    assert (line.items, line.markers) == (1, 1)


@override_settings(CULLING_REQUIRES_REVIEW=False)
def test_a_chain_above_a_kept_reply_stays_as_markers(page, ingrid, decision):
    top = make_item(page)
    middle = make_item(page, parent=top)
    kept = make_item(page, parent=middle)
    culling.place_legal_hold(kept, by=ingrid, reason="Utredning")
    make_snapshot(page)
    culling.cull(None, by=None, now=NOW, batch_size=1)
    assert set(Item.objects.values_list("pk", "status")) == {
        (top.pk, "gallrad"),
        (middle.pk, "gallrad"),
        (kept.pk, "ringa"),
    }


@override_settings(CULLING_REQUIRES_REVIEW=False)
def test_a_marker_goes_once_its_last_reply_is_culled(page, ingrid, decision):
    question = make_item(page)
    reply = make_item(page, parent=question)
    hold = culling.place_legal_hold(reply, by=ingrid, reason="Utredning")
    make_snapshot(page)
    culling.cull(None, by=None, now=NOW)
    culling.release_legal_hold(hold, by=ingrid)
    culling.cull(None, by=None, now=NOW)
    assert not Item.objects.exists()
    hold.refresh_from_db()
    assert hold.item is None
    assert hold.item_external_id == reply.external_id


@override_settings(CULLING_REQUIRES_REVIEW=False)
def test_replies_culled_with_what_they_answer_leave_no_marker(page, decision):
    question = make_item(page)
    make_item(page, parent=question)
    make_item(page, parent=question)
    make_snapshot(page)
    culling.cull(None, by=None, now=NOW, batch_size=2)
    assert not Item.objects.exists()


# --- The nightly job ---------------------------------------------------------------------


def test_the_nightly_job_proposes_when_review_is_on(page, decision):
    item = make_item(page)
    make_snapshot(page)
    proposal = culling.run_culling_job(now=NOW)
    assert proposal.status == ProposalStatus.PROPOSED
    assert _exists(item)


@override_settings(CULLING_REQUIRES_REVIEW=False)
def test_the_nightly_job_culls_and_counts_purged_texts_when_review_is_off(page, decision, ingrid):
    trivial = make_item(page)
    removed = make_item(page, status="ny", received_at=YOUNG, text="Köp billiga klockor")
    moderation_services.decide_item(removed, by=ingrid, kind="remove", category="reklam")
    make_snapshot(page)
    culling.run_culling_job(now=NOW + datetime.timedelta(days=400))
    record = CullingRecord.objects.get()
    assert record.purged_texts == 1
    assert record.lines.get().items == 1
    assert not _exists(trivial)
    removed.refresh_from_db()
    assert removed.text == ""


def test_without_a_decision_the_nightly_job_purges_nothing_and_refuses(page, ingrid):
    """The purge of removed texts is destruction too: without the decision it rests on,
    neither the purge nor the culling runs, and the refusal reaches Informationsenheten."""
    trivial = make_item(page)
    removed = make_item(page, status="ny", received_at=YOUNG, text="Köp billiga klockor")
    moderation_services.decide_item(removed, by=ingrid, kind="remove", category="reklam")
    make_snapshot(page)

    with pytest.raises(CullingNotConfigured):
        culling.run_culling_job(now=NOW + datetime.timedelta(days=400))

    removed.refresh_from_db()
    assert removed.text == "Köp billiga klockor"
    assert removed.text_purged_at is None
    assert _exists(trivial)
    assert not CullingRecord.objects.exists()


# --- The log is append-only ----------------------------------------------------------------


@override_settings(CULLING_REQUIRES_REVIEW=False)
def test_the_culling_log_cannot_be_changed_or_deleted(page, decision):
    make_item(page)
    make_snapshot(page)
    record = culling.cull(None, by=None, now=NOW).record
    from archiving.exceptions import CullingRecordImmutable

    with pytest.raises(CullingRecordImmutable):
        record.save()
    with pytest.raises(CullingRecordImmutable):
        CullingRecord.objects.all().delete()
    with pytest.raises(CullingRecordImmutable):
        CullingRecordLine.objects.update(items=0)


@override_settings(CULLING_REQUIRES_REVIEW=False)
def test_the_thread_of_a_kept_reply_says_a_trivial_item_was_culled_there(
    client, page, decision, ingrid
):
    question = make_item(page, kind="question", text="Öppettider i påsk?", author="Per Persson")
    answer = make_item(page, parent=question, status="besvarad", text="Stängt långfredag.")
    make_snapshot(page)
    culling.cull(None, by=None, now=NOW)
    client.force_login(ingrid)
    page_html = client.get(answer.get_absolute_url()).content.decode()
    assert "har gallrats här" in page_html
    assert "Per Persson" not in page_html
    assert "Öppettider i påsk?" not in page_html
