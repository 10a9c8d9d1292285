"""On PostgreSQL a trigger refuses UPDATE and DELETE on the audit log, whoever sends them."""

from django.db import migrations

from atvida_social.organisation.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("organisation", "0002_role_groups")]

    operations = [append_only_trigger("organisation_auditlogentry")]
