"""The supervision warnings (issue 11): every fifteen minutes, deadlines about to pass and
overdue channel reviews are mailed to the operators or their substitutes."""

from django.db import migrations
from django.utils import timezone

NAME = "Varningar om svarstider och tillsyn, var femtonde minut"
TASK = "moderation.tasks.send_supervision_warnings"
DESCRIPTION = (
    "Skickar e-post till den dagliga driften, eller till ersättaren under en frånvaro, när "
    "mindre än en fjärdedel av ett inläggs svarstid återstår och när en kanals tillsyn är "
    "försenad (minst en gång i veckan enligt lag); en gång per händelse. Samma som manage.py "
    "send_supervision_warnings."
)
# A run not taken before the next one is queued is dropped: the next run covers it.
EXPIRE_SECONDS = 14 * 60


def seed(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    interval, _ = IntervalSchedule.objects.get_or_create(every=15 * 60, period="seconds")
    PeriodicTask.objects.create(
        name=NAME,
        task=TASK,
        description=DESCRIPTION,
        interval=interval,
        expire_seconds=EXPIRE_SECONDS,
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0003_statistics_schedule"),
        ("moderation", "0007_supervision"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
