"""The data migration that lets the channels active before the tool stay in the register."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from atvida_social.organisation.models import AuditLogEntry
from tests.factories import ActivityPlanFactory, ChannelFactory

BEFORE = [("channels", "0004_register_exception")]
AFTER = [("channels", "0005_record_exceptions_for_existing_channels")]
REASON = "Kanalen fanns i registret innan verktyget togs i bruk"
# Read back only these: columns added by later migrations are absent in between.
EXCEPTION_FIELDS = ["register_exception_reason", "register_exception_at", "register_exception_by"]

# The migration runs on the embedded default's SQLite as well as on PostgreSQL.
pytestmark = pytest.mark.each_database


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_active_channels_without_approved_plan_get_the_pre_tool_exception(library):
    # Made with today's columns, then taken back to before the migration.
    old = ChannelFactory(unit=library, account_name="Fanns före verktyget")
    planned = ChannelFactory(unit=library, status="planerad", started_on=None)
    by_plan = ChannelFactory(unit=library, account_name="Via plan")
    ActivityPlanFactory(unit=library, channel=by_plan, status="godkand")
    only_draft = ChannelFactory(unit=library, account_name="Bara utkast")
    ActivityPlanFactory(unit=library, channel=only_draft, status="utkast")
    _migrate(BEFORE)

    try:
        _migrate(AFTER)

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
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_reversing_the_migration_removes_only_its_own_exceptions(library, ingrid):
    from channels import services

    own = ChannelFactory(unit=library, status="planerad", started_on=None)
    services.record_register_exception(own, by=ingrid, reason=REASON)
    old = ChannelFactory(unit=library)
    _migrate(BEFORE)
    _migrate(AFTER)

    try:
        _migrate(BEFORE)

        own.refresh_from_db(fields=EXCEPTION_FIELDS)
        old.refresh_from_db(fields=EXCEPTION_FIELDS)
        assert own.register_exception_by == ingrid
        assert old.register_exception_reason == ""
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
