"""Snapshots and archived documents that other actions start: a register version published,
a channel closed, a plan approved (Arkivering: "vid större förändringar")."""

import datetime
import io

import pikepdf
import pytest
from django.core.management import call_command

from activityplans import services as plan_services
from archiving import services
from archiving.models import ArchiveFile, RunStatus, Snapshot, SnapshotReason, SnapshotRun
from channels import services as channel_services
from channels.models import ChannelStatus
from tests.factories import TEST_PASSWORD, ActivityPlanFactory, ChannelFactory

from .conftest import JOB_MOMENT, add_item, pdf_text, read, received

pytestmark = pytest.mark.django_db


def test_a_published_version_is_archived_and_each_changed_channel_snapshotted(
    channel, ingrid, thread_items, run_tasks
):
    untouched = ChannelFactory(unit=channel.unit)
    with run_tasks():
        channel_services.publish_register(by=ingrid)
    channel.account_name = "Bibblan, nytt namn"
    channel_services.save_channel(channel, by=ingrid, changed=["account_name"])

    with run_tasks():
        version = channel_services.publish_register(by=ingrid)

    run = SnapshotRun.objects.get(reason=SnapshotReason.REGISTER_CHANGE)
    assert run.channel == channel
    assert run.key == f"register:{version.number}:{channel.pk}"
    assert run.period_end == version.published_at
    assert run.status == RunStatus.DONE
    assert not SnapshotRun.objects.filter(channel=untouched).exists()
    for number in (version.number - 1, version.number):
        archived = ArchiveFile.objects.get(register_version__number=number)
        data = read(archived)
        assert f"Kanalregistret, version {number}" in pdf_text(data)
        with pikepdf.open(io.BytesIO(data)) as document:
            assert document.open_metadata()["pdfaid:part"] == "1"


def test_closing_a_channel_takes_its_final_snapshot(channel, ingrid, thread_items, run_tasks):
    channel.status = ChannelStatus.CLOSED
    channel.ended_on = datetime.date(2026, 7, 1)

    with run_tasks():
        channel_services.save_channel(channel, by=ingrid, changed=["status"])

    run = SnapshotRun.objects.get(channel=channel)
    assert run.reason == SnapshotReason.CLOSING
    assert run.period_start == services.half_year_containing(JOB_MOMENT)[0]
    assert Snapshot.objects.filter(run=run).exists()


def test_saving_a_closed_channel_again_takes_no_new_snapshot(channel, ingrid, run_tasks):
    channel.status = ChannelStatus.CLOSED
    channel.ended_on = datetime.date(2026, 7, 1)
    with run_tasks():
        channel_services.save_channel(channel, by=ingrid, changed=["status"])
        channel.description = "Nedlagd."
        channel_services.save_channel(channel, by=ingrid, changed=["description"])

    assert SnapshotRun.objects.filter(channel=channel).count() == 1


def test_an_approved_plan_is_archived_as_the_signed_pdf_a(
    library, alice, bob, kim, ingrid, run_tasks
):
    plan = ActivityPlanFactory(
        unit=library,
        manager=bob,
        prepared_by=alice,
        administrators=[alice, kim],
        daily_operators=[alice],
    )
    plan_services.submit_plan(plan, by=alice)
    for signer in (bob, alice, kim):
        plan_services.sign_plan(plan, by=signer, password=TEST_PASSWORD)
    plan_services.start_review(plan, by=ingrid)

    with run_tasks():
        plan_services.approve_plan(plan, by=ingrid)

    plan.refresh_from_db()
    archived = ArchiveFile.objects.get(plan=plan)
    data = read(archived)
    assert archived.sha256 == plan.approved_pdf_sha256
    assert archived.pages >= 1
    with pikepdf.open(io.BytesIO(data)) as document:
        metadata = document.open_metadata()
        assert (metadata["pdfaid:part"], metadata["pdfaid:conformance"]) == ("1", "A")
        assert "/StructTreeRoot" in document.Root
        assert len(document.pages) == archived.pages


def test_archiving_twice_keeps_one_file(channel, ingrid, run_tasks):
    with run_tasks():
        version = channel_services.publish_register(by=ingrid)

    again = services.archive_register_version(version.pk)

    assert ArchiveFile.objects.filter(register_version=version).count() == 1
    assert again == ArchiveFile.objects.get(register_version=version)


def test_a_failing_archive_request_does_not_stop_the_publication(
    channel, ingrid, run_tasks, monkeypatch
):
    def broken(version):
        raise RuntimeError("arkivet nere")

    monkeypatch.setattr(services, "snapshot_register_changes", broken)
    with run_tasks():
        version = channel_services.publish_register(by=ingrid)

    assert version.pk is not None
    assert not ArchiveFile.objects.exists()  # rolled back with the receiver's savepoint


# --- The half-yearly schedule ------------------------------------------------------------


def test_the_schedule_takes_active_channels_and_those_closed_after_the_half_year(
    channel, ingrid, at_job_moment, run_tasks, time_machine
):
    closed_during = ChannelFactory(unit=channel.unit)
    closed_after = ChannelFactory(unit=channel.unit)
    planned = ChannelFactory(unit=channel.unit, status=ChannelStatus.PLANNED, started_on=None)
    started_later = ChannelFactory(unit=channel.unit, started_on=datetime.date(2026, 7, 1))
    with run_tasks():
        time_machine.move_to(datetime.datetime(2026, 5, 4, 10, tzinfo=datetime.UTC))
        services.snapshot_closed_channel(closed_during)
        closed_during.status = ChannelStatus.CLOSED
        closed_during.save()
        time_machine.move_to(JOB_MOMENT - datetime.timedelta(hours=1))
        services.snapshot_closed_channel(closed_after)
        closed_after.status = ChannelStatus.CLOSED
        closed_after.save()
        time_machine.move_to(JOB_MOMENT)

        call_command("take_snapshots", "--now", "2026-07-01T02:00:00+02:00")

    scheduled = SnapshotRun.objects.filter(reason=SnapshotReason.SCHEDULE)
    assert {run.channel for run in scheduled} == {channel, closed_after}
    assert not scheduled.filter(channel__in=[closed_during, planned, started_later]).exists()
    assert {run.key for run in scheduled} == {
        f"halvar:{channel.pk}:2026-01-01",
        f"halvar:{closed_after.pk}:2026-01-01",
    }


def test_the_command_takes_one_channel(channel, at_job_moment, run_tasks):
    other = ChannelFactory(unit=channel.unit)
    add_item(channel, "a", at=received(3))
    with run_tasks():
        call_command("take_snapshots", "--channel", str(channel.pk))

    assert [run.channel for run in SnapshotRun.objects.all()] == [channel]
    assert not SnapshotRun.objects.filter(channel=other).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--channel", "999999"], "Det finns ingen kanal med id 999999."),
        (["--now", "i morgon"], "Ange --now i ISO 8601 med tidszon"),
        (["--now", "2026-07-01T02:00:00"], "Ange --now i ISO 8601 med tidszon"),
    ],
)
def test_the_command_refuses_bad_input_in_swedish(db, args, message):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=message):
        call_command("take_snapshots", *args)
