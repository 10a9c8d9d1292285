"""A fact for every item stored before facts were kept, so that the next culling leaves the
statistics as they are. One INSERT … SELECT: memory stays flat however many items there
are. Items culled before this migration are gone; their figures cannot be brought back."""

from django.db import migrations

FIELDS = (
    "channel_id",
    "kind",
    "received_at",
    "due_at",
    "settled_at",
    "sla_met",
    "response_seconds",
    "removed_category",
)


def fill(apps, schema_editor):
    fact = apps.get_model("moderation", "ItemFact")._meta.db_table
    item = apps.get_model("moderation", "Item")._meta.db_table
    columns = ", ".join(FIELDS)
    # Only the models' own table and column names are formatted in; there are no values.
    schema_editor.execute(
        f"INSERT INTO {fact} (item_id, {columns}) SELECT id, {columns} FROM {item} "  # noqa: S608
        f"WHERE NOT EXISTS (SELECT 1 FROM {fact} WHERE {fact}.item_id = {item}.id)"
    )


def empty(apps, schema_editor):
    fact = apps.get_model("moderation", "ItemFact")
    if schema_editor.connection.vendor == "postgresql":
        # The trigger of 0009 refuses DELETE; the table goes with 0009's reversal anyway.
        schema_editor.execute(f"TRUNCATE {fact._meta.db_table}", params=None)
    else:
        fact.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0009_item_facts"),
    ]

    operations = [
        migrations.RunPython(fill, empty),
    ]
