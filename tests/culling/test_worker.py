"""The nightly job and an approved culling through a real Celery worker on Redis."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone

from archiving.culling import services as culling
from archiving.models import CullingProposal, CullingRecord, ProposalStatus
from archiving.tasks import cull_trivial_items
from atvida_social import celery_app
from moderation.models import Item
from tests.culling.conftest import make_item, make_snapshot
from tests.outbox.conftest import broker


def _wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_nightly_job_proposes_and_the_approval_culls_through_the_worker(page, decision, ingrid):
    received = timezone.now() - datetime.timedelta(days=200)
    item = make_item(page, received_at=received)
    kept = make_item(page, received_at=timezone.now() - datetime.timedelta(days=10))
    make_snapshot(page, (received - datetime.timedelta(days=1), timezone.now()))

    with broker(settings.CELERY_BROKER_URL):
        celery_app.control.purge()
        with start_worker(celery_app, pool="solo", perform_ping_check=False):
            cull_trivial_items.delay()
            assert _wait_for(lambda: CullingProposal.objects.exists())
            proposal = CullingProposal.objects.get()
            assert proposal.status == ProposalStatus.PROPOSED
            assert Item.objects.filter(pk=item.pk).exists()

            culling.approve_culling(proposal, by=ingrid)  # hands the culling to the worker
            assert _wait_for(
                lambda: CullingProposal.objects.get().status == ProposalStatus.EXECUTED
            )

    assert not Item.objects.filter(pk=item.pk).exists()
    assert Item.objects.filter(pk=kept.pk).exists()
    record = CullingRecord.objects.get()
    assert record.by == ingrid
    assert record.lines.get().items == 1
