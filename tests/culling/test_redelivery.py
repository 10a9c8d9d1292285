"""The culling task delivered twice, at once or after, culls once, writes one record and
alarms no one; a run that stopped between batches is continued, in the same record, by the
next delivery (after a failure) or by the nightly job (after a death)."""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from archiving import tasks
from archiving.culling import services as culling
from archiving.models import CullingRecord, ProposalStatus
from atvida_social.organisation.models import AuditLogEntry
from moderation.models import Item
from tests.culling.conftest import NOW, make_item, make_snapshot
from tests.outbox.conftest import STOPPED_BROKER, broker


class WorkerKilled(BaseException):
    """Stands for the process dying: not an Exception, so nothing in the run handles it."""


@pytest.fixture
def approved(page, decision, ingrid, time_machine, django_capture_on_commit_callbacks):
    """Five cullable items in an approved proposal whose task has not run yet: captured by a
    snapshot of their half-year once it has ended, then proposed and approved at NOW."""
    items = [make_item(page) for _ in range(5)]
    make_snapshot(page)
    time_machine.move_to(NOW, tick=False)
    proposal = culling.propose_culling(now=NOW)
    with django_capture_on_commit_callbacks(execute=False):
        culling.approve_culling(proposal, by=ingrid)
    proposal.refresh_from_db()
    return proposal, items


def _stop_after(monkeypatch, batches: int, error: BaseException) -> None:
    """The run raises `error` when it comes to batch number `batches + 1`."""
    real = culling._cull_batch
    calls = []

    def batch(*args, **kwargs):
        calls.append(1)
        if len(calls) > batches:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(culling, "_cull_batch", batch)


def _culled_in(proposal) -> int:
    return (
        CullingRecord.objects.filter(proposal=proposal).aggregate(total=Sum("lines__items"))[
            "total"
        ]
        or 0
    )


@pytest.mark.django_db
def test_a_second_delivery_after_the_culling_does_nothing_and_alarms_no_one(approved):
    proposal, _items = approved

    first = tasks.cull_approved_proposal(proposal.pk)
    second = tasks.cull_approved_proposal(proposal.pk)

    proposal.refresh_from_db()
    assert (first, second) == (5, 0)
    assert proposal.status == ProposalStatus.EXECUTED
    assert CullingRecord.objects.filter(proposal=proposal).count() == 1
    assert AuditLogEntry.objects.filter(action="culling_executed").count() == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_delivery_while_another_run_holds_the_proposal_does_nothing(approved, monkeypatch):
    proposal, items = approved
    _stop_after(monkeypatch, 2, WorkerKilled())
    with pytest.raises(WorkerKilled):
        culling.cull(proposal, by=proposal.approved_by, batch_size=1)
    monkeypatch.undo()

    again = tasks.cull_approved_proposal(proposal.pk)  # the claim is a moment old

    proposal.refresh_from_db()
    assert again == 0
    assert proposal.status == ProposalStatus.APPROVED
    assert Item.objects.filter(pk__in=[item.pk for item in items]).count() == 3


@pytest.mark.django_db
def test_a_run_that_failed_between_batches_is_continued_in_the_same_record(approved, monkeypatch):
    proposal, items = approved
    _stop_after(monkeypatch, 2, OSError("Disken är full"))
    with pytest.raises(OSError, match="Disken är full"):
        culling.cull(proposal, by=proposal.approved_by, batch_size=1)
    monkeypatch.undo()

    resumed = tasks.cull_approved_proposal(proposal.pk)

    proposal.refresh_from_db()
    assert resumed == 3
    assert proposal.status == ProposalStatus.EXECUTED
    assert not Item.objects.filter(pk__in=[item.pk for item in items]).exists()
    assert CullingRecord.objects.filter(proposal=proposal).count() == 1
    assert _culled_in(proposal) == 5


@pytest.mark.django_db
def test_the_nightly_job_continues_a_run_that_died_once_its_claim_is_old(
    approved, monkeypatch, time_machine, django_capture_on_commit_callbacks
):
    proposal, items = approved
    _stop_after(monkeypatch, 2, WorkerKilled())
    with pytest.raises(WorkerKilled):
        culling.cull(proposal, by=proposal.approved_by, batch_size=1)
    monkeypatch.undo()

    time_machine.move_to(NOW + culling.CLAIM_TIMEOUT / 2, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        culling.run_culling_job(now=NOW)
    assert Item.objects.filter(pk__in=[item.pk for item in items]).count() == 3

    time_machine.move_to(NOW + culling.CLAIM_TIMEOUT * 2, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        culling.run_culling_job(now=NOW)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EXECUTED
    assert not Item.objects.filter(pk__in=[item.pk for item in items]).exists()
    assert CullingRecord.objects.filter(proposal=proposal).count() == 1
    assert _culled_in(proposal) == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_deliveries_at_once_cull_once_in_one_record(page, decision, ingrid):
    items = [make_item(page) for _ in range(5)]
    make_snapshot(page)
    proposal = culling.propose_culling(now=timezone.now())
    with broker(STOPPED_BROKER):  # the task stays in the outbox: the threads deliver it
        culling.approve_culling(proposal, by=ingrid)
    start = threading.Barrier(2)
    results, errors = [], []

    def deliver():
        try:
            start.wait()
            results.append(tasks.cull_approved_proposal(proposal.pk))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    proposal.refresh_from_db()
    assert errors == []
    assert sorted(results) == [0, 5]
    assert proposal.status == ProposalStatus.EXECUTED
    assert not Item.objects.filter(pk__in=[item.pk for item in items]).exists()
    assert CullingRecord.objects.filter(proposal=proposal).count() == 1
    assert AuditLogEntry.objects.filter(action="culling_executed").count() == 1
