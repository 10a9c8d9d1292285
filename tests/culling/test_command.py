"""`manage.py cull_items`: the nightly job, a dry run and an approval from the command line."""

import io

import pytest
from django.core.management import CommandError, call_command

from archiving.models import CullingProposal, CullingRecord, ProposalStatus
from moderation.models import Item
from tests.culling.conftest import make_item, make_snapshot

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("cull_items", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_lists_what_would_go_and_deletes_nothing(page, decision):
    make_item(page)
    make_snapshot(page)
    output = _run("--dry-run")
    assert "1 inlägg skulle gallras" in output
    assert Item.objects.count() == 1
    assert not CullingRecord.objects.exists()


def test_without_flags_it_proposes_for_review(page, decision):
    make_item(page)
    make_snapshot(page)
    assert "1 inlägg väntar på granskning" in _run()
    assert CullingProposal.objects.get().status == ProposalStatus.PROPOSED


@pytest.mark.django_db(transaction=True)
def test_approving_culls_the_proposal(page, decision, ingrid):
    make_item(page)
    make_snapshot(page)
    _run()
    proposal = CullingProposal.objects.get()
    # No broker in this test run: the culling runs in-process as the approval commits.
    output = _run("--approve", str(proposal.pk), "--as", "ingrid")
    assert "genomförd" in output
    assert not Item.objects.exists()


def test_approving_as_someone_else_is_refused(page, decision, alice):
    make_item(page)
    make_snapshot(page)
    _run()
    proposal = CullingProposal.objects.get()
    with pytest.raises(CommandError, match="behörighet"):
        _run("--approve", str(proposal.pk), "--as", "alice")
    assert Item.objects.count() == 1


def test_an_unknown_proposal_is_named(decision):
    with pytest.raises(CommandError, match="inget förslag till gallring med id 999"):
        _run("--approve", "999", "--as", "ingrid")


def test_without_a_decision_it_says_what_to_configure(page):
    with pytest.raises(CommandError, match="dokumenthanteringsplanen"):
        _run()


def test_the_decision_culling_rests_on_is_recorded_by_command_and_then_culling_runs(ingrid, alice):
    with pytest.raises(CommandError, match=r"manage\.py disposition_decision"):
        _run("--dry-run")
    arguments = ["--reference", "KS 2026/12 avsnitt 4.2", "--description", "Ringa inlägg"]
    arguments += ["--adopted-on", "2026-01-15"]

    with pytest.raises(CommandError):
        call_command("disposition_decision", *arguments, "--as", alice.username)
    call_command("disposition_decision", *arguments, "--as", ingrid.username, stdout=io.StringIO())

    assert "Provkörning" in _run("--dry-run")
