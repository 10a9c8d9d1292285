"""On PostgreSQL a trigger refuses UPDATE and DELETE on the audit log, whoever sends them."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION organisation_auditlogentry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'organisation_auditlogentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER organisation_auditlogentry_append_only
    BEFORE UPDATE OR DELETE ON organisation_auditlogentry
    FOR EACH ROW EXECUTE FUNCTION organisation_auditlogentry_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS organisation_auditlogentry_append_only ON organisation_auditlogentry;
DROP FUNCTION IF EXISTS organisation_auditlogentry_refuse_change();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("organisation", "0002_role_groups")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
