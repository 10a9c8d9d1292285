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
"""

import enum
import logging
from functools import partial

from celery.result import EagerResult
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
                _publish(message)
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
        message.save(update_fields=["attempts", "last_attempt_at", "last_error", "sent_at"])
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


def _publish(message: OutboxMessage) -> None:
    from atvida_social.celery import app

    if message.task_name not in app.tasks:
        # A process that imported no tasks module yet (manage.py relay_outbox): discover them.
        app.loader.import_default_modules()
    task = app.tasks[message.task_name]
    result = task.apply_async(
        args=message.args,
        kwargs=message.kwargs,
        task_id=message.task_id,
        retry_policy=PUBLISH_RETRY_POLICY,
    )
    # Without a broker the task has just run here; with eager propagation off a failure is
    # only in the result, and the message must then stay pending as well.
    if isinstance(result, EagerResult) and result.failed():
        raise result.result
