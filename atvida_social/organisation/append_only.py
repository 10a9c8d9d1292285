"""Rows that are only ever appended: the audit log and the published register versions.

The model and its querysets refuse changes; on PostgreSQL a trigger refuses UPDATE and DELETE
from any client. `TRUNCATE` stays possible for the test database's flush.
"""

from django.db import migrations, models

from .exceptions import DomainError


class AppendOnlyQuerySet(models.QuerySet):
    immutable_error: type[DomainError] = DomainError

    def update(self, **kwargs):
        raise self.immutable_error

    def delete(self):
        raise self.immutable_error


class AppendOnlyModel(models.Model):
    immutable_error: type[DomainError] = DomainError

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.immutable_error
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.immutable_error


_CREATE = """
CREATE OR REPLACE FUNCTION {table}_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change();
"""

_DROP = """
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP FUNCTION IF EXISTS {table}_refuse_change();
"""


def append_only_trigger(table: str) -> migrations.RunPython:
    """A migration operation that installs the trigger on PostgreSQL (a no-op elsewhere)."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(_CREATE.format(table=table), params=None)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(_DROP.format(table=table), params=None)

    return migrations.RunPython(forwards, backwards)
