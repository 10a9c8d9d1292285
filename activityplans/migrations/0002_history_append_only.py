"""On PostgreSQL, triggers refuse UPDATE and DELETE on plan events and signatures."""

from django.db import migrations

from atvida_social.organisation.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("activityplans", "0001_initial")]

    operations = [
        append_only_trigger("activityplans_planevent"),
        append_only_trigger("activityplans_signature"),
    ]
