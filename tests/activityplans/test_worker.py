"""The daily reminder job, run by a real Celery worker over the real Redis broker."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.utils import timezone

from activityplans import services, tasks
from atvida_social import celery_app
from tests.factories import TEST_PASSWORD


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_sends_expiry_reminders_from_the_broker(plan, alice, bob, dan, ingrid):
    services.submit_plan(plan, by=alice)
    for signer in (bob, alice, dan):
        services.sign_plan(plan, by=signer, password=TEST_PASSWORD)
    services.start_review(plan, by=ingrid)
    services.approve_plan(plan, by=ingrid)
    plan.refresh_from_db()
    today = timezone.localdate()
    services.save_credential(
        plan, by=alice, username="u", password="p", expires_on=today + datetime.timedelta(days=14)
    )
    mail.outbox.clear()
    before = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
    }
    celery_app.conf.update(task_always_eager=False, broker_url=settings.CELERY_BROKER_URL)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False):
            tasks.notify_expiring_credentials.delay()
            deadline = time.monotonic() + 20
            while len(mail.outbox) < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        celery_app.conf.update(before)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, dan.email, ingrid.email])
