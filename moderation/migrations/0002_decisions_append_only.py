"""On PostgreSQL, a trigger refuses UPDATE and DELETE of decisions."""

from django.db import migrations

from atvida_social.organisation.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_items_rules_decisions")]

    operations = [append_only_trigger("moderation_decision")]
