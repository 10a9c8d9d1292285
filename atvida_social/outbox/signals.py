"""The worker records on the outbox row when it begins a task the outbox sent and when the
task ends, so that a task lost on the way (a killed worker, a broker restarted without its
data) is seen as sent and never completed, and handed over again (services.reconcile_sent).

Keyed by the task id `outbox-<id>`: a task sent any other way (the schedule's) has no row.
A retry begins the task again (task_prerun) and ends only with success or a failure for good.
A task run in-process is recorded by `hand_over` itself.
"""

import logging

from celery import states
from celery.signals import task_postrun, task_prerun
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

TASK_ID_PREFIX = "outbox-"
FINAL_STATES = frozenset({states.SUCCESS, states.FAILURE})


def message_id(task_id: str | None) -> int | None:
    """The outbox row's id in a task id `outbox-<id>`; None for any other task id."""
    if not task_id or not task_id.startswith(TASK_ID_PREFIX):
        return None
    number = task_id.removeprefix(TASK_ID_PREFIX)
    return int(number) if number.isascii() and number.isdigit() else None


def _is_eager(task) -> bool:
    return bool(getattr(getattr(task, "request", None), "is_eager", False))


@task_prerun.connect(dispatch_uid="outbox.record_started")
def record_started(sender=None, task_id=None, task=None, **kwargs):
    pk = message_id(task_id)
    if pk is None or _is_eager(task):
        return
    try:
        OutboxMessage.objects.filter(pk=pk, completed_at__isnull=True).update(
            started_at=timezone.now()
        )
    except Exception:
        # The task runs all the same; at worst the reconciler hands it over once more.
        logger.exception("Could not record the start of outbox message %s.", pk)


@task_postrun.connect(dispatch_uid="outbox.record_completed")
def record_completed(sender=None, task_id=None, task=None, state=None, **kwargs):
    pk = message_id(task_id)
    if pk is None or state not in FINAL_STATES or _is_eager(task):
        return
    try:
        OutboxMessage.objects.filter(pk=pk, completed_at__isnull=True).update(
            completed_at=timezone.now()
        )
    except Exception:
        logger.exception("Could not record the completion of outbox message %s.", pk)
