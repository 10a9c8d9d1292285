"""The periodic jobs, each registered by the app whose task it runs.

An app calls `register_job` from its `AppConfig.ready()` (in its `jobs.py`); this module keeps
the registry and imports no app, so a new job needs no edit in atvida_social/. What is
registered is a job's default: `seeding.seed_schedule` creates each job that is missing after
every `migrate`, and Informationsenheten changes its time in the admin afterwards.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

# Times are the municipality's wall-clock times, summer and winter time alike.
TIME_ZONE = "Europe/Stockholm"


@dataclass(frozen=True)
class Crontab:
    """A job's default time, in crontab fields as django-celery-beat stores them."""

    minute: str = "*"
    hour: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"
    day_of_week: str = "*"
    timezone: str = TIME_ZONE


@dataclass(frozen=True)
class Job:
    """A registered job: its name in the schedule, the task it runs and when by default."""

    name: str
    task: str
    description: str
    crontab: Crontab | None = None
    every: datetime.timedelta | None = None
    # A run not taken by a worker within this many seconds is dropped (the next one covers it).
    expire_seconds: int | None = None


_registry: dict[str, Job] = {}


def register_job(
    name: str,
    *,
    task: str,
    description: str,
    crontab: Crontab | None = None,
    every: datetime.timedelta | None = None,
    expire_seconds: int | None = None,
) -> None:
    """Add a job to the schedule, run at `crontab` or `every` so often (exactly one of them).

    `name` is what Informationsenheten knows the job by in the admin, and what seeding looks
    for: keep it once it has been seeded. Registering the same job again, as a repeated
    `ready()` does, changes nothing; a different job under a taken name, or a second job for
    a registered task, is a configuration error.
    """
    if not name or not task:
        raise ImproperlyConfigured("A periodic job needs a name and a task.")
    if (crontab is None) == (every is None):
        raise ImproperlyConfigured(f"Periodic job {name!r} needs either a crontab or `every`.")
    if every is not None and every.total_seconds() < 1:
        raise ImproperlyConfigured(f"Periodic job {name!r} runs more often than every second.")
    if not description:
        raise ImproperlyConfigured(f"Periodic job {name!r} has no description.")
    job = Job(name, task, description, crontab, every, expire_seconds)
    registered = _registry.get(name)
    if registered is not None and registered != job:
        raise ImproperlyConfigured(f"Periodic job {name!r} is already registered.")
    same_task = [other.name for other in _registry.values() if other.task == task]
    if registered is None and same_task:
        raise ImproperlyConfigured(f"Task {task!r} is already scheduled as {same_task[0]!r}.")
    _registry[name] = job


def registered_jobs() -> list[Job]:
    """Every registered job, in the order the apps registered them."""
    return list(_registry.values())
