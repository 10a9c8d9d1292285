"""On PostgreSQL a trigger refuses UPDATE and DELETE on published register versions."""

from django.db import migrations

from atvida_social.organisation.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("channels", "0001_initial")]

    operations = [append_only_trigger("channels_registerversion")]
