"""The data migration that lets the channels active before the tool stay in the register.

The migration changes data only, so it is run on its own, forwards and backwards, with its
historical models, on today's schema: taking the whole database back to before it would first
unapply every later migration that depends on it (all of moderation's and archiving's), and
that took half a minute a test without showing anything more about this one."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from atvida_social.organisation.models import AuditLogEntry
from tests.factories import ActivityPlanFactory, ChannelFactory

MIGRATION = ("channels", "0005_record_exceptions_for_existing_channels")
REASON = "Kanalen fanns i registret innan verktyget togs i bruk"
# Read back only these: columns added by later migrations are absent in between.
EXCEPTION_FIELDS = ["register_exception_reason", "register_exception_at", "register_exception_by"]

# The migration runs on the embedded default's SQLite as well as on PostgreSQL.
pytestmark = pytest.mark.each_database


def _run(*, backwards: bool = False) -> None:
    """Apply (or unapply) the one migration's operations, as `migrate` would, with the models
    as they were at its place in the graph; nothing else is migrated or recorded."""
    loader = MigrationLoader(connection)
    migration = loader.get_migration(*MIGRATION)
    with connection.schema_editor() as editor:
        if backwards:
            migration.unapply(loader.project_state(MIGRATION), editor)
        else:
            migration.apply(loader.project_state(MIGRATION, at_end=False), editor)


@pytest.mark.django_db(transaction=True)
def test_active_channels_without_approved_plan_get_the_pre_tool_exception(library):
    # Made with today's columns; none of them has an exception yet.
    old = ChannelFactory(unit=library, account_name="Fanns före verktyget")
    planned = ChannelFactory(unit=library, status="planerad", started_on=None)
    by_plan = ChannelFactory(unit=library, account_name="Via plan")
    ActivityPlanFactory(unit=library, channel=by_plan, status="godkand")
    only_draft = ChannelFactory(unit=library, account_name="Bara utkast")
    ActivityPlanFactory(unit=library, channel=only_draft, status="utkast")

    _run()

    for channel in (old, planned, by_plan, only_draft):
        channel.refresh_from_db(fields=EXCEPTION_FIELDS)
    assert old.register_exception_reason == REASON
    assert old.register_exception_at is not None
    assert old.register_exception_by is None
    assert only_draft.register_exception_reason == REASON
    assert planned.register_exception_reason == ""
    assert by_plan.register_exception_reason == ""
    audited = set(
        AuditLogEntry.objects.filter(action="channel_register_exception_recorded").values_list(
            "object_id", flat=True
        )
    )
    assert audited == {str(old.pk), str(only_draft.pk)}


@pytest.mark.django_db(transaction=True)
def test_reversing_the_migration_removes_only_its_own_exceptions(library, ingrid):
    from channels import services

    own = ChannelFactory(unit=library, status="planerad", started_on=None)
    services.record_register_exception(own, by=ingrid, reason=REASON)
    old = ChannelFactory(unit=library)
    _run()
    old.refresh_from_db(fields=EXCEPTION_FIELDS)
    assert old.register_exception_reason == REASON

    _run(backwards=True)

    own.refresh_from_db(fields=EXCEPTION_FIELDS)
    old.refresh_from_db(fields=EXCEPTION_FIELDS)
    assert own.register_exception_by == ingrid
    assert own.register_exception_reason == REASON
    assert old.register_exception_reason == ""
