"""Kept for the migration graph: the periodic jobs are registered by each app (its jobs.py)
and seeded after every migrate, each one that is missing (atvida_social/scheduling/seeding.py)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = []
