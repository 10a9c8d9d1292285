"""Who may see the archive and who may take a snapshot on demand, answered once in the
selectors and enforced by the services themselves (Arkivering; Roller och ansvar)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from archiving import selectors, services
from archiving.models import SnapshotReason, SnapshotRun
from atvida_social.organisation.exceptions import DomainError, PermissionDeniedError
from atvida_social.organisation.models import AuditLogEntry
from atvida_social.outbox.models import OutboxMessage
from tests.factories import ChannelFactory, UserFactory

pytestmark = pytest.mark.django_db

MARCH = datetime.datetime.fromisoformat("2026-03-27T16:30:00+01:00")


@pytest.mark.parametrize(
    ("who", "sees", "takes"),
    [
        ("ingrid", True, True),
        ("arne", True, False),
        ("alice", False, False),
        ("bob", False, False),
        ("carol", False, False),
        ("dora", False, False),
    ],
)
def test_informationsenheten_and_the_archivist_see_the_archive_only_ingrid_takes(
    request, who, sees, takes
):
    user = request.getfixturevalue(who)

    assert selectors.may_see_archive(user) is sees
    assert selectors.may_verify(user) is sees
    assert selectors.may_take_snapshot(user) is takes
    assert selectors.may_check_archive(user) is takes


def test_an_anonymous_visitor_sees_no_archive():
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.may_see_archive(AnonymousUser())
    assert not selectors.may_take_snapshot(AnonymousUser())


def test_a_deactivated_archivist_sees_nothing(arne):
    arne.is_active = False
    arne.save()

    assert not selectors.may_see_archive(arne)


def test_a_file_is_refused_to_others_whether_it_exists_or_not(pdf, alice, arne):
    with pytest.raises(PermissionDenied):
        selectors.archive_file_for(alice, pdf.pk)
    with pytest.raises(PermissionDenied):
        selectors.archive_file_for(alice, pdf.pk + 1000)
    with pytest.raises(Http404):
        selectors.archive_file_for(arne, pdf.pk + 1000)
    assert selectors.archive_file_for(arne, pdf.pk) == pdf


@pytest.mark.parametrize("who", ["arne", "alice", "bob"])
def test_request_snapshot_refuses_anyone_but_informationsenheten(request, channel, who):
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDeniedError):
        services.request_snapshot(channel, by=user, note="Ny grafisk profil.")
    assert not SnapshotRun.objects.exists()


def test_request_snapshot_covers_the_current_half_year_up_to_now(channel, ingrid, time_machine):
    time_machine.move_to(MARCH, tick=False)

    run = services.request_snapshot(channel, by=ingrid, note="  Kanalen byter  namn.\n")

    assert run.reason == SnapshotReason.ON_DEMAND
    assert run.period_start == datetime.datetime.fromisoformat("2026-01-01T00:00:00+01:00")
    assert run.period_end == MARCH
    assert (run.requested_by, run.note) == (ingrid, "Kanalen byter namn.")
    assert run.key.startswith(f"forandring:{channel.pk}:")
    assert OutboxMessage.objects.filter(
        task_name="archiving.tasks.take_snapshot", args=[run.pk]
    ).exists()
    assert AuditLogEntry.objects.filter(action="snapshot_requested", actor=ingrid).exists()


def test_the_second_half_year_starts_on_the_first_of_july(channel, ingrid, time_machine):
    time_machine.move_to(datetime.datetime.fromisoformat("2026-10-02T08:00:00+02:00"), tick=False)

    run = services.request_snapshot(channel, by=ingrid, note="Ny ansvarig.")

    assert run.period_start == datetime.datetime.fromisoformat("2026-07-01T00:00:00+02:00")


def test_two_requests_make_two_runs(channel, ingrid):
    services.request_snapshot(channel, by=ingrid, note="Första.")
    services.request_snapshot(channel, by=ingrid, note="Andra.")

    assert SnapshotRun.objects.filter(channel=channel).count() == 2


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("", "Skriv varför"),
        ("  \n\t ", "Skriv varför"),
        ("x" * 2001, "högst 2000 tecken"),
        ("Byter\u202enamn", "styrtecken"),
        ("Byter\x07namn", "styrtecken"),
    ],
    ids=["empty", "blank", "too-long", "direction-override", "control"],
)
def test_request_snapshot_needs_a_proper_reason(channel, ingrid, note, message):
    with pytest.raises(ValidationError, match=message):
        services.request_snapshot(channel, by=ingrid, note=note)
    assert not SnapshotRun.objects.exists()


def test_a_reason_of_exactly_2000_characters_is_taken(channel, ingrid):
    run = services.request_snapshot(channel, by=ingrid, note="x" * 2000)

    assert len(run.note) == 2000


def test_a_planned_channel_has_nothing_to_snapshot(library, ingrid):
    planned = ChannelFactory(unit=library, status="planerad")

    with pytest.raises(DomainError, match="planerad"):
        services.request_snapshot(planned, by=ingrid, note="Ny kanal.")
    assert not SnapshotRun.objects.exists()


def test_a_closed_channel_may_get_one_more_snapshot(library, ingrid):
    closed = ChannelFactory(unit=library, status="avslutad")

    run = services.request_snapshot(closed, by=ingrid, note="Komplettering.")

    assert run.channel == closed


def test_a_superuser_counts_as_informationsenheten(channel, library):
    root = UserFactory(username="root", unit=library, is_superuser=True)

    assert selectors.may_take_snapshot(root)
    assert services.request_snapshot(channel, by=root, note="Test.").requested_by == root


@pytest.mark.parametrize("who", ["arne", "alice"])
def test_not_yours_to_do_is_said_before_anything_about_the_channel_or_the_reason(
    request, library, who
):
    """The refusal comes first: someone who may not take snapshots learns nothing about the
    channel's state or what a reason must look like."""
    planned = ChannelFactory(unit=library, status="planerad")

    with pytest.raises(PermissionDeniedError):
        services.request_snapshot(planned, by=request.getfixturevalue(who), note="")

    assert not SnapshotRun.objects.exists()
