"""Informationsenheten edits the schedule in the admin: it may see and change every
job and schedule, and add a time of its own for a job (a new crontab or interval) rather
than change one that other jobs share. Adding or deleting jobs stays with the developers:
a job names a task in the code; Informationsenheten switches one off instead."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

INFORMATION_UNIT = [
    "view_periodictask",
    "change_periodictask",
    "view_crontabschedule",
    "change_crontabschedule",
    "add_crontabschedule",
    "view_intervalschedule",
    "change_intervalschedule",
    "add_intervalschedule",
    "view_clockedschedule",
    "change_clockedschedule",
    "view_solarschedule",
    "change_solarschedule",
]


def grant(apps, schema_editor):
    beat = apps.get_app_config("django_celery_beat")
    beat.models_module = True
    create_permissions(beat, apps=apps, verbosity=0)
    beat.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Informationsenheten")
    group.permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label="django_celery_beat", codename__in=INFORMATION_UNIT
        )
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Informationsenheten"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="django_celery_beat")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0001_seed_schedule"),
        ("organisation", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
