"""Informationsenheten hears of a background job that failed for good.

Celery sends task_failure once per task run that ends in an error: a retry that is still to
come sends task_retry instead, so a job that fails, is retried and then succeeds mails no one,
and one that exhausts its retries mails once. A task run in-process (memory://, the tests)
raises into its caller, which reports it; only work done by a worker is mailed.
"""

import logging

from celery.signals import task_failure

from . import notifications

logger = logging.getLogger(__name__)


@task_failure.connect
def mail_information_unit_on_failure(sender=None, task_id=None, exception=None, **kwargs):
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    try:
        notifications.send_task_failure(sender.name, task_id or "", exception)
    except Exception:
        # The failure is in the worker's log already; a mail server that is down must not
        # turn one error into two.
        logger.exception("Could not mail Informationsenheten about task %s (%s).", task_id, sender)
