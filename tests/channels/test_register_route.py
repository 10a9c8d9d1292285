"""A channel becomes active in the register only through an approved activity plan, or an
exception that Informationsenheten records with a reason (Roller och ansvar)."""

import pytest
from django.db import IntegrityError, transaction

from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.models import AuditLogEntry
from channels import services
from channels.exceptions import ActivationNeedsPlan, ExceptionReasonMissing
from channels.models import Channel
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

REASON = "Kanalen fanns innan verktyget togs i bruk."


def _new_channel(unit, **overrides) -> Channel:
    values = {
        "platform": "facebook",
        "account_name": "Bibblan",
        "url": "https://www.facebook.com/bibblan-ny",
        "unit": unit,
        "status": "aktiv",
        "started_on": "2026-01-15",
        "contact_email": "bibblan@atvidaberg.se",
    }
    return Channel(**(values | overrides))


def test_new_active_channel_without_plan_or_exception_is_refused(ingrid, library):
    with pytest.raises(ActivationNeedsPlan, match="godkänd aktivitetsplan"):
        services.save_channel(_new_channel(library), by=ingrid)

    assert not Channel.objects.exists()
    assert not AuditLogEntry.objects.filter(action="channel_created").exists()


def test_changing_a_planned_channel_to_active_without_exception_is_refused(ingrid, library):
    channel = ChannelFactory(unit=library, status="planerad", started_on=None)
    channel.status = "aktiv"
    channel.started_on = "2026-01-15"

    with pytest.raises(ActivationNeedsPlan):
        services.save_channel(channel, by=ingrid)

    channel.refresh_from_db()
    assert channel.status == "planerad"


def test_planned_channel_may_be_saved_without_exception(ingrid, library):
    channel = services.save_channel(_new_channel(library, status="planerad"), by=ingrid)

    assert Channel.objects.get(pk=channel.pk).status == "planerad"


def test_editing_an_active_channel_keeps_it_active_without_exception(ingrid, library):
    channel = ChannelFactory(unit=library)
    channel.account_name = "Nytt namn"

    services.save_channel(channel, by=ingrid)

    assert Channel.objects.get(pk=channel.pk).account_name == "Nytt namn"


def test_exception_with_reason_lets_a_channel_become_active_and_is_audited(ingrid, library):
    channel = services.save_channel(_new_channel(library), by=ingrid, exception_reason=REASON)

    channel.refresh_from_db()
    assert channel.status == "aktiv"
    assert channel.register_exception_reason == REASON
    assert channel.register_exception_by == ingrid
    assert channel.register_exception_at is not None
    entry = AuditLogEntry.objects.get(action="channel_register_exception_recorded")
    assert entry.actor == ingrid
    assert entry.object_id == str(channel.pk)
    assert entry.details["reason"] == REASON


def test_recorded_exception_lets_a_planned_channel_be_activated_later(ingrid, library):
    channel = ChannelFactory(unit=library, status="planerad", started_on=None)
    services.record_register_exception(channel, by=ingrid, reason=REASON)
    channel.refresh_from_db()
    channel.status = "aktiv"
    channel.started_on = "2026-01-15"

    services.save_channel(channel, by=ingrid)

    assert Channel.objects.get(pk=channel.pk).status == "aktiv"
    assert AuditLogEntry.objects.filter(action="channel_register_exception_recorded").count() == 1


def test_recording_an_exception_does_not_change_the_status(ingrid, library):
    channel = ChannelFactory(unit=library, status="planerad", started_on=None)

    services.record_register_exception(channel, by=ingrid, reason=REASON)

    channel.refresh_from_db()
    assert channel.status == "planerad"
    assert channel.register_exception_reason == REASON


@pytest.mark.parametrize("reason", ["", "   ", "rad ett\nrad två", "x" * 1001])
def test_exception_needs_a_one_line_reason(ingrid, library, reason):
    channel = ChannelFactory(unit=library, status="planerad", started_on=None)

    with pytest.raises(ExceptionReasonMissing):
        services.record_register_exception(channel, by=ingrid, reason=reason)

    channel.refresh_from_db()
    assert channel.register_exception_reason == ""
    assert not AuditLogEntry.objects.filter(action="channel_register_exception_recorded").exists()


def test_only_information_unit_records_an_exception(alice, library):
    channel = ChannelFactory(unit=library, status="planerad", started_on=None)

    with pytest.raises(PermissionDeniedError):
        services.record_register_exception(channel, by=alice, reason=REASON)

    channel.refresh_from_db()
    assert channel.register_exception_reason == ""


def test_approved_plan_activates_a_channel_without_exception(ingrid, library):
    values = {
        "platform": "youtube",
        "url": "https://www.youtube.com/@bibblan",
        "account_name": "Bibblan på YouTube",
        "unit": library,
        "description": "Filmer från biblioteket.",
        "contact_email": "bibblan@atvidaberg.se",
    }

    channel = services.register_channel_from_plan(None, by=ingrid, values=values)

    channel.refresh_from_db()
    assert channel.status == "aktiv"
    assert not channel.has_register_exception


def test_database_refuses_an_exception_reason_without_its_time(library):
    channel = ChannelFactory(unit=library)

    with pytest.raises(IntegrityError), transaction.atomic():
        Channel.objects.filter(pk=channel.pk).update(register_exception_reason=REASON)
