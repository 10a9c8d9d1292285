"""The hourly refresh of the response-time statistics (issue 11), seeded like 0001."""

from django.db import migrations
from django.utils import timezone

TIME_ZONE = "Europe/Stockholm"
NAME = "Statistik över svarstider, varje timme"
TASK = "moderation.tasks.refresh_statistics"


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="20",
        hour="*",
        day_of_month="*",
        month_of_year="*",
        day_of_week="*",
        timezone=TIME_ZONE,
    )
    PeriodicTask.objects.create(
        name=NAME,
        task=TASK,
        crontab=crontab,
        description=(
            "Räknar om statistiken över svarstider per kanal, verksamhet och månad för i år "
            "(i januari även förra året). Samma som manage.py refresh_statistics."
        ),
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0002_information_unit_permissions"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
