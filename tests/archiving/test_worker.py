"""The archive check through the real Redis broker and a real Celery worker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail

from archiving.models import IntegrityCheck, VerificationResult
from atvida_social import celery_app
from tests.outbox.conftest import broker

from .test_integrity import change_one_byte


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_check_started_on_the_page_runs_in_the_worker_and_mails_its_problem(
    client, ingrid, pdf
):
    change_one_byte(pdf)
    client.force_login(ingrid)

    with broker(settings.CELERY_BROKER_URL):
        celery_app.control.purge()  # nothing left over from an earlier run
        with start_worker(celery_app, pool="solo", perform_ping_check=False):
            response = client.post("/arkiv/kontroller/ny/")
            deadline = time.monotonic() + 20
            while not mail.outbox and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(0.5)  # room for a second mail to show itself

    assert response.status_code == 302
    check = IntegrityCheck.objects.get()
    assert (check.requested_by, check.files_checked, check.problems) == (ingrid, 3, 1)
    assert check.verifications.get(file=pdf).result == VerificationResult.MISMATCH
    assert [message.to for message in mail.outbox] == [[ingrid.email]]
