"""The periodic warning task through a real Celery worker on Redis, on PostgreSQL."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.utils import timezone

from atvida_social import celery_app
from moderation.models import SupervisionNotice
from moderation.services import supervision
from moderation.tasks import send_supervision_warnings
from tests.culling.test_worker import _wait_for
from tests.outbox.conftest import broker


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_mails_an_overdue_review_once_however_often_it_runs(channel, dora):
    supervision.mark_channel_reviewed(
        channel, by=dora, now=timezone.now() - datetime.timedelta(days=8)
    )

    with broker(settings.CELERY_BROKER_URL):
        celery_app.control.purge()
        with start_worker(celery_app, pool="solo", perform_ping_check=False):
            # Results are kept only when asked for (CELERY_TASK_IGNORE_RESULT).
            first = send_supervision_warnings.apply_async(ignore_result=False)
            second = send_supervision_warnings.apply_async(ignore_result=False)
            assert _wait_for(lambda: first.ready() and second.ready())

    assert sorted([first.result, second.result]) == [0, 1]
    assert [message.to for message in mail.outbox] == [[dora.email]]
    assert SupervisionNotice.objects.get().kind == "review"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_mail_each_event_once(channel, dora):
    import threading

    from django.db import connection

    supervision.mark_channel_reviewed(
        channel, by=dora, now=timezone.now() - datetime.timedelta(days=8)
    )
    start = threading.Barrier(2)
    results = []

    def run():
        try:
            start.wait()
            results.append(supervision.send_supervision_warnings())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [0, 1]
    assert len(mail.outbox) == 1
