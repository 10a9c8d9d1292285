"""The schedule seeded from the registered jobs, after every `migrate`.

A job is created, enabled and at its default time, only when it is missing: when no periodic
task has its name and none runs its task. A job that exists is never changed, so the times
Informationsenheten set, a job it switched off or renamed, stay as they are. A job deleted
by hand comes back at the next `migrate`: switch a job off instead (the admin offers no
delete to Informationsenheten).
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from .registry import registered_jobs


def seed_schedule(apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Create every registered job that is missing; returns the names of those created."""
    try:
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
        CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
        IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    except LookupError:  # django-celery-beat migrated back to zero: no schedule to seed
        return []
    tasks = PeriodicTask.objects.using(using)
    present = set()
    for name, task in tasks.values_list("name", "task"):
        present |= {("name", name), ("task", task)}
    created = []
    for job in registered_jobs():
        if ("name", job.name) in present or ("task", job.task) in present:
            continue
        schedule = {}
        if job.crontab is not None:
            schedule["crontab"], _ = CrontabSchedule.objects.using(using).get_or_create(
                minute=job.crontab.minute,
                hour=job.crontab.hour,
                day_of_month=job.crontab.day_of_month,
                month_of_year=job.crontab.month_of_year,
                day_of_week=job.crontab.day_of_week,
                timezone=job.crontab.timezone,
            )
        else:
            schedule["interval"], _ = IntervalSchedule.objects.using(using).get_or_create(
                every=int(job.every.total_seconds()), period="seconds"
            )
        tasks.create(
            name=job.name,
            task=job.task,
            description=str(job.description),
            expire_seconds=job.expire_seconds,
            **schedule,
        )
        created.append(job.name)
    if created:
        # A running beat re-reads the schedule when this changes (the models' own signals,
        # which do the same, are not those of the migration state's models).
        PeriodicTasks.objects.using(using).update_or_create(
            ident=1, defaults={"last_update": timezone.now()}
        )
    return created


def seed_after_migrate(sender, *, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> None:
    """post_migrate receiver (sent for django-celery-beat): the missing jobs, seeded."""
    seed_schedule(apps, using)
