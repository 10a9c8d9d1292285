"""The outbox with the real Redis broker and a real Celery worker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from atvida_social import celery_app
from atvida_social.outbox.models import OutboxMessage
from tests.outbox.conftest import STOPPED_BROKER, broker


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_signers_are_mailed_once_through_the_worker_after_the_broker_comes_back(
    client, alice, bob, dan, plan
):
    client.force_login(alice)
    with broker(STOPPED_BROKER):
        response = client.post(reverse("activityplans:plan-submit", args=[plan.pk]))
    assert response.status_code == 302
    assert OutboxMessage.objects.pending().count() == 1

    with broker(settings.CELERY_BROKER_URL):
        celery_app.control.purge()  # nothing left over from an earlier run
        with start_worker(celery_app, pool="solo", perform_ping_check=False):
            call_command("relay_outbox")
            call_command("relay_outbox")
            deadline = time.monotonic() + 20
            while len(mail.outbox) < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1)  # room for a second delivery to show itself

    recipients = sorted(recipient for message in mail.outbox for recipient in message.to)
    assert recipients == sorted([alice.email, bob.email, dan.email])
    assert OutboxMessage.objects.pending().count() == 0
