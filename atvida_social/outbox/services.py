"""Recording tasks with the action that asks for them, and handing them to Celery.

At least once: the broker gets each message at least once, and almost always exactly once, so
a task it carries must make a second delivery harmless (lock its row, check the state it
expects). A message is handed over only by `hand_over`, which locks its row with
`SELECT ... FOR UPDATE SKIP LOCKED`, publishes it with the row's id as the Celery task id and
marks it sent in the same transaction. The after-commit hand-over and any number of relays
may race for a row; whoever holds the lock sends it, the others skip it, and a row marked
sent is never offered again. The narrow windows:

- the action commits and the process dies before its after-commit hand-over: the row is
  pending and the next relay sends it;
- the broker takes the message and the process dies (or the database fails) before the
  `sent_at` update commits: the lock is released with the row still pending and a relay
  publishes it once more, under the same task id `outbox-<id>`. This is the outbox's one case
  of a second hand-over; it needs a crash in the few milliseconds between the broker's
  acknowledgement and the commit, and the shared task id makes it recognisable in the logs;
- the publish fails (broker unreachable) or, in-process, the task raises: the row stays
  pending with the attempt and the error recorded, and the relay tries again.

Beyond the hand-over, Celery itself may deliver a task twice (`acks_late` and the Redis
visibility timeout redeliver a task whose worker died or ran past the timeout): nothing here
can prevent that: only the task itself can make a second delivery harmless.

A message the broker took can still be lost: a worker on the embedded default's file queue
killed while it held it, a Redis restarted without its data. The worker records on the row
when it begins and ends the task (signals.py); `reconcile_sent`, a periodic job, hands over
again every message sent and not completed within its task's time limit, up to
OUTBOX_MAX_REDELIVERIES times, then marks it given up for Informationsenheten to see.
"""

import datetime
import enum
import logging
from functools import partial

from celery.exceptions import NotRegistered
from celery.result import EagerResult
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# Fail fast when the broker is down: the relay tries again every minute, and the
# after-commit hand-over runs inside a web request that must not hang on it.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}


class Outcome(enum.Enum):
    SENT = "sent"
    FAILED = "failed"
    BROKER_UNREACHABLE = "broker_unreachable"
    SKIPPED = "skipped"


def enqueue(task, *args, **kwargs) -> OutboxMessage:
    """Record `task(*args, **kwargs)` in the caller's transaction; it goes to Celery after
    commit. Arguments must be JSON (ids, not objects), as the house style asks of tasks."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enqueue() must be called inside the action's transaction.atomic().")
    message = OutboxMessage.objects.create(
        task_name=getattr(task, "name", task), args=list(args), kwargs=kwargs
    )
    # robust: an error in the hand-over is logged, never raised into the completed action.
    transaction.on_commit(partial(hand_over, message.pk), robust=True)
    return message


def hand_over(message_id: int) -> Outcome:
    """Publish one pending message and mark it sent; on failure leave it pending, logged."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .pending()
            .filter(pk=message_id)
            .first()
        )
        if message is None:
            return Outcome.SKIPPED  # sent already, or another relay holds it at this moment
        message.attempts += 1
        message.last_attempt_at = timezone.now()
        try:
            # A savepoint: a task run in-process that fails leaves none of its writes behind.
            with transaction.atomic():
                ran_here = _publish(message)
        except Exception as error:
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            message.save(update_fields=["attempts", "last_attempt_at", "last_error"])
            logger.warning(
                "Outbox message %s (%s) not handed over, attempt %s; it stays pending.",
                message.pk,
                message.task_name,
                message.attempts,
                exc_info=True,
            )
            if isinstance(error, OperationalError):
                return Outcome.BROKER_UNREACHABLE
            return Outcome.FAILED
        message.sent_at = timezone.now()
        message.last_error = ""
        fields = ["attempts", "last_attempt_at", "last_error", "sent_at"]
        if ran_here:  # the task has run to its end already
            message.started_at = message.completed_at = message.sent_at
            fields += ["started_at", "completed_at"]
        message.save(update_fields=fields)
    return Outcome.SENT


def relay_pending(*, batch_size: int = 100) -> dict[Outcome, int]:
    """Hand over every pending message, oldest first; stop early when the broker is down."""
    counts = dict.fromkeys(Outcome, 0)
    after = 0
    while True:
        batch = list(
            OutboxMessage.objects.pending()
            .filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        for message_id in batch:
            outcome = hand_over(message_id)
            counts[outcome] += 1
            if outcome is Outcome.BROKER_UNREACHABLE:
                return counts  # the rest would wait for the same broker; next round
        if len(batch) < batch_size:
            return counts
        after = batch[-1]


def completion_limit(task_name: str) -> datetime.timedelta:
    """How long after a worker last began a task (or, before that, after it was sent) its
    completion may take: the task's hard time limit, the longest retry delay before its next
    run, and OUTBOX_COMPLETION_MARGIN for a queue that is busy."""
    task = _task(task_name)
    from atvida_social.celery import app

    hard_limit = getattr(task, "time_limit", None) or app.conf.task_time_limit or 0
    return datetime.timedelta(
        seconds=hard_limit + settings.TASK_RETRY_DELAY_LIMIT + settings.OUTBOX_COMPLETION_MARGIN
    )


def reconcile_sent(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Hand over again every message sent whose task has not completed within its limit
    (`completion_limit`, counted from the worker's last start or from the sending); after
    OUTBOX_MAX_REDELIVERIES such hand-overs, mark it given up instead. Safe because every
    task makes a second delivery harmless. Returns how many were handed over and given up."""
    now = now or timezone.now()
    counts = {"handed_over": 0, "given_up": 0}
    unfinished = OutboxMessage.objects.unfinished().order_by("pk")
    for pk, task_name, sent_at, started_at in unfinished.values_list(
        "pk", "task_name", "sent_at", "started_at"
    ):
        if (started_at or sent_at) + completion_limit(task_name) > now:
            continue
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .unfinished()
                .filter(pk=pk)
                .first()
            )
            if message is None:
                continue  # completed meanwhile, or a second reconciler holds it
            if message.redeliveries >= settings.OUTBOX_MAX_REDELIVERIES:
                message.given_up_at = now
                message.save(update_fields=["given_up_at"])
                counts["given_up"] += 1
                logger.error(
                    "Outbox message %s (%s) was handed over %s times and never completed; "
                    "given up.",
                    message.pk,
                    message.task_name,
                    message.redeliveries + 1,
                )
                continue
            message.redeliveries += 1
            message.sent_at = message.started_at = None
            message.last_error = ""
            message.save(update_fields=["redeliveries", "sent_at", "started_at", "last_error"])
            logger.warning(
                "Outbox message %s (%s) was sent and never completed; handed over again (%s).",
                message.pk,
                message.task_name,
                message.redeliveries,
            )
            transaction.on_commit(partial(hand_over, message.pk), robust=True)
        counts["handed_over"] += 1
    return counts


def _task(task_name: str):
    from atvida_social.celery import app

    if task_name not in app.tasks:
        # A process that imported no tasks module yet (manage.py relay_outbox): discover them.
        app.loader.import_default_modules()
    return app.tasks.get(task_name)


def _publish(message: OutboxMessage) -> bool:
    """Hand the message to Celery; True when it ran here, in-process, to its end."""
    task = _task(message.task_name)
    if task is None:
        raise NotRegistered(message.task_name)
    result = task.apply_async(
        args=message.args,
        kwargs=message.kwargs,
        task_id=message.task_id,
        retry_policy=PUBLISH_RETRY_POLICY,
    )
    # Without a broker the task has just run here; with eager propagation off a failure is
    # only in the result, and the message must then stay pending as well.
    if isinstance(result, EagerResult):
        if result.failed():
            raise result.result
        return True
    return False
