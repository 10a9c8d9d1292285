"""The nightly jobs out of 02:00-02:59, the hour Stockholm's clock skips on the last Sunday of
March and repeats on the last Sunday of October.

Seeding never changes a job that exists, so an installation keeps the old defaults until this
moves them. Only a job still at its old default moves: a time Informationsenheten chose stays.
The job is pointed at a schedule with the new time; the old schedule row is left as it is,
since another job may use it.
"""

from django.db import migrations

STOCKHOLM = "Europe/Stockholm"
# task: (old default, new default), each (minute, hour, day_of_month, month_of_year, day_of_week)
MOVES = {
    "archiving.tasks.take_scheduled_snapshots": (
        ("0", "2", "1", "1,7", "*"),
        ("0", "1", "1", "1,7", "*"),
    ),
    "archiving.tasks.cull_trivial_items": (("30", "2", "*", "*", "*"), ("30", "3", "*", "*", "*")),
}
FIELDS = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")


def _move(apps, schema_editor, *, forwards: bool) -> None:
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    using = schema_editor.connection.alias
    moved = 0
    for task, (old, new) in MOVES.items():
        before, after = (old, new) if forwards else (new, old)
        jobs = PeriodicTask.objects.using(using).filter(
            task=task,
            crontab__timezone=STOCKHOLM,
            **{f"crontab__{field}": value for field, value in zip(FIELDS, before, strict=True)},
        )
        if not jobs.exists():
            continue
        schedule = {"timezone": STOCKHOLM, **dict(zip(FIELDS, after, strict=True))}
        # The admin allows two rows with the same time: take the first rather than fail.
        crontab = CrontabSchedule.objects.using(using).filter(**schedule).order_by("pk").first()
        if crontab is None:
            crontab = CrontabSchedule.objects.using(using).create(**schedule)
        moved += jobs.update(crontab=crontab)
    if moved:
        # A running beat re-reads the schedule when this changes.
        from django.utils import timezone

        PeriodicTasks.objects.using(using).update_or_create(
            ident=1, defaults={"last_update": timezone.now()}
        )


def forwards(apps, schema_editor):
    _move(apps, schema_editor, forwards=True)


def backwards(apps, schema_editor):
    _move(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0004_supervision_warnings"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
