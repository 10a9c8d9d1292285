"""A task must finish, or wait for its retry, within the broker's visibility timeout."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import autodiscover_modules


def _longest_wait(task, app) -> tuple[float, float]:
    """The task's hard time limit and the longest delay one of its retries can wait."""
    limit = task.time_limit or app.conf.task_time_limit or 0
    # Celery sets the retry_backoff attributes only on tasks with autoretry_for.
    if getattr(task, "retry_backoff", False):
        delay = getattr(task, "retry_backoff_max", 600) or 0
    else:
        delay = task.default_retry_delay or 0
    return limit, delay


@register()
def tasks_fit_the_visibility_timeout(app_configs, **kwargs):
    # Redis hands a message that is not acknowledged within the timeout to another worker:
    # with acks_late a task that runs (or waits for its retry) longer would run twice.
    from atvida_social.celery import app

    # Each app's tasks module, as a worker imports them (not through Celery's loader, whose
    # Django fix-up runs the checks itself when it imports them).
    autodiscover_modules("tasks")
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    errors = []
    for name, task in sorted(app.tasks.items()):
        if name.startswith("celery."):
            continue
        limit, delay = _longest_wait(task, app)
        if limit + delay >= timeout:
            errors.append(
                Error(
                    f"Task {name}: time limit {limit} s + longest retry delay {delay} s "
                    f"is not below the broker's visibility timeout of {timeout} s.",
                    hint="Lower the task's time_limit or retry_backoff_max, or raise "
                    "QUEUE_VISIBILITY_TIMEOUT in settings.py.",
                    id="scheduling.E001",
                )
            )
    return errors
