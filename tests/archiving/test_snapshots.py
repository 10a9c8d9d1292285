"""Snapshots of a channel: planned in parts, rendered, recorded once with all their files."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from archiving import services, tasks
from archiving.models import (
    ArchiveFile,
    FileRole,
    RunStatus,
    Snapshot,
    SnapshotCapture,
    SnapshotReason,
    SnapshotRun,
    run_directory,
)
from archiving.services import snapshots as snapshot_services
from archiving.services.snapshots.plan import plan_volumes
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.outbox.services import relay_pending
from moderation import services as moderation
from moderation.workflow import ItemStatus
from tests.factories import ChannelFactory

from .conftest import H1_2026, JOB_MOMENT, add_item, make_run, pdf_text, read, read_json, received

pytestmark = pytest.mark.django_db


def _stored_files(run) -> set[str]:
    storage = snapshot_services.archive_storage()
    try:
        _dirs, files = storage.listdir(run_directory(run))
    except FileNotFoundError:
        return set()
    return {f"{run_directory(run)}/{name}" for name in files}


def _schedule(run_tasks):
    with run_tasks():
        return services.schedule_half_year_snapshots()


# --- Periods -------------------------------------------------------------------------------


def test_half_years_are_january_to_june_and_july_to_december_in_stockholm():
    utc = datetime.UTC
    # 30 June 22:30 UTC is already 1 July in Stockholm (summer time, +02:00).
    start, end = services.half_year_containing(datetime.datetime(2026, 6, 30, 22, 30, tzinfo=utc))
    assert (start.isoformat(), end.isoformat()) == (
        "2026-07-01T00:00:00+02:00",
        "2027-01-01T00:00:00+01:00",
    )
    start, end = services.previous_half_year(JOB_MOMENT)
    assert (start.isoformat(), end.isoformat()) == (
        "2026-01-01T00:00:00+01:00",
        "2026-07-01T00:00:00+02:00",
    )
    start, end = services.previous_half_year(datetime.datetime(2027, 1, 1, 1, 0, tzinfo=utc))
    assert (start.date().isoformat(), end.date().isoformat()) == ("2026-07-01", "2027-01-01")


# --- The whole run ---------------------------------------------------------------------------


def test_scheduled_snapshot_records_every_file_with_its_sha256(channel, thread_items, run_tasks):
    [run] = _schedule(run_tasks)

    run.refresh_from_db()
    snapshot = Snapshot.objects.get(run=run)
    assert run.status == RunStatus.DONE
    assert (snapshot.items, snapshot.volumes, snapshot.reason) == (6, 1, SnapshotReason.SCHEDULE)
    assert snapshot.created_by is None
    files = {(f.role, f.volume): f for f in snapshot.files.all()}
    assert set(files) == {(FileRole.PDF, 1), (FileRole.JSON, 1), (FileRole.MANIFEST, None)}
    for archived in files.values():
        data = read(archived)
        assert hashlib.sha256(data).hexdigest() == archived.sha256
        assert len(data) == archived.size
    manifest = read_json(files[(FileRole.MANIFEST, None)])
    assert {(f["role"], f["sha256"]) for f in manifest["files"]} == {
        ("pdf", files[(FileRole.PDF, 1)].sha256),
        ("json", files[(FileRole.JSON, 1)].sha256),
    }
    assert snapshot.pages == files[(FileRole.PDF, 1)].pages >= 2
    assert _stored_files(run) == {f.file.name for f in files.values()}


def test_the_same_schedule_twice_gives_one_snapshot(channel, thread_items, run_tasks):
    _schedule(run_tasks)
    _schedule(run_tasks)
    call_command("take_snapshots")

    assert SnapshotRun.objects.count() == 1
    assert Snapshot.objects.count() == 1


def test_items_of_the_period_appear_in_time_order_threads_together(
    channel, thread_items, run_tasks
):
    add_item(channel, "juli-1", at=received(1, 1, month=7))  # after the half-year: left out
    [run] = _schedule(run_tasks)

    files = Snapshot.objects.get(run=run).files
    items = read_json(files.get(role=FileRole.JSON))["items"]
    assert [i["external_id"] for i in items] == ["q1", "q1-r1", "q1-r2", "c1", "c1-r1", "c2"]
    text = pdf_text(read(files.get(role=FileRole.PDF)))
    positions = [text.index(f"Id: {external_id}") for external_id in ("q1", "q1-r2", "c1", "c2")]
    assert positions == sorted(positions)
    assert "juli-1" not in text


def test_parts_keep_threads_whole_and_say_del_n_av_m(channel, thread_items, run_tasks, settings):
    settings.ARCHIVE_VOLUME_ITEMS = 3
    add_item(channel, "c3", at=received(8))
    [run] = _schedule(run_tasks)

    snapshot = Snapshot.objects.get(run=run)
    jsons = snapshot.files.filter(role=FileRole.JSON).order_by("volume")
    parts = [[i["external_id"] for i in read_json(f)["items"]] for f in jsons]
    assert parts == [["q1", "q1-r1", "q1-r2"], ["c1", "c1-r1", "c2"], ["c3"]]
    assert snapshot.volumes == 3
    first = pdf_text(read(snapshot.files.get(role=FileRole.PDF, volume=1)))
    assert "Del 1 av 3" in first
    assert "7 under perioden, varav 3 i denna del" in first
    third = pdf_text(read(snapshot.files.get(role=FileRole.PDF, volume=3)))
    assert "Del 3 av 3" in third
    assert "finns i del 1" in third


def test_removed_items_show_their_category_never_their_text(
    channel, thread_items, ingrid, run_tasks
):
    breach = add_item(channel, "hat-1", at=received(7), text="Hemlig kränkande text XYZZY")
    moderation.decide_item(breach, by=ingrid, kind="remove", category="fortal")
    [run] = _schedule(run_tasks)

    files = Snapshot.objects.get(run=run).files
    text = pdf_text(read(files.get(role=FileRole.PDF)))
    raw_json = read(files.get(role=FileRole.JSON)).decode()
    assert "XYZZY" not in text
    assert "XYZZY" not in raw_json
    assert "Borttaget:" in text
    record = next(i for i in read_json(files.get(role=FileRole.JSON))["items"] if i["withheld"])
    assert record["text"] is None
    assert record["removed_category"] == "fortal"


def _chain_into_the_period(channel, depth: int) -> None:
    """A post of December 2025 and `depth` replies, each answering the one before, the last
    two in March 2026 (inside H1_2026): the rest of the thread is above the period."""
    december = datetime.datetime(2025, 12, 1, 12, 0, tzinfo=datetime.UTC)
    parent = add_item(channel, f"{channel.pk}-0", at=december.isoformat(), kind="post")
    for level in range(1, depth + 1):
        at = (december + datetime.timedelta(minutes=level)).isoformat()
        if level > depth - 2:
            at = received(level - depth + 3)
        parent = add_item(channel, f"{channel.pk}-{level}", at=at, parent=parent)


def test_planning_costs_the_same_queries_however_deep_the_thread_above_the_period(
    channel, django_assert_max_num_queries
):
    deep = ChannelFactory(unit=channel.unit, account_name="Bibblan djup")
    _chain_into_the_period(channel, 3)
    _chain_into_the_period(deep, 40)
    shallow_run = make_run(channel, H1_2026, status=RunStatus.QUEUED)
    deep_run = make_run(deep, H1_2026, status=RunStatus.QUEUED)
    with django_assert_max_num_queries(100) as shallow_queries:
        assert len(plan_volumes(shallow_run)[0]) == 2

    with django_assert_max_num_queries(len(shallow_queries)):
        [part] = plan_volumes(deep_run)

    assert len(part) == 2


PERSONNUMMER = "811228-9874"


def _on_demand(channel, ingrid, run_tasks, key: str) -> Snapshot:
    start, _end = services.half_year_containing(JOB_MOMENT)
    with run_tasks():
        run = services.start_snapshot_run(
            channel,
            period_start=start - datetime.timedelta(days=181),
            period_end=JOB_MOMENT,
            reason=SnapshotReason.ON_DEMAND,
            key=key,
            by=ingrid,
            note="Kontroll av dolda inlägg.",
        )
    return Snapshot.objects.get(run=run)


def _archived(snapshot: Snapshot) -> tuple[str, str]:
    files = snapshot.files
    pdf = pdf_text(read(files.get(role=FileRole.PDF)))
    return pdf, read(files.get(role=FileRole.JSON)).decode()


def test_a_hidden_item_forwarded_stays_withheld_until_a_person_keeps_it(
    channel, at_job_moment, ingrid, dora, run_tasks
):
    item = add_item(channel, "pnr-1", at=received(9), text=f"Mitt personnummer är {PERSONNUMMER}.")
    assert item.status == ItemStatus.HIDDEN  # the personnummer detector hid it
    moderation.decide_item(item, by=dora, kind="forward", forwarded_to=ingrid)

    forwarded = _on_demand(channel, ingrid, run_tasks, "forandring:vidarebefordrad")

    pdf, raw_json = _archived(forwarded)
    assert PERSONNUMMER not in pdf
    assert PERSONNUMMER not in raw_json
    assert "Dolt i väntan på granskning" in pdf
    [record] = read_json(forwarded.files.get(role=FileRole.JSON))["items"]
    assert (record["withheld"], record["text"], record["links"], record["url"]) == (
        True,
        None,
        [],
        "",
    )
    capture = SnapshotCapture.objects.get(part__run=forwarded.run, item_id=item.pk)
    assert (capture.is_withheld, capture.text_sha256) == (True, "")

    moderation.decide_item(item, by=ingrid, kind="keep")
    kept = _on_demand(channel, ingrid, run_tasks, "forandring:behallen")

    pdf, raw_json = _archived(kept)
    assert PERSONNUMMER in raw_json
    assert PERSONNUMMER in pdf.replace("\n", "")
    capture = SnapshotCapture.objects.get(part__run=kept.run, item_id=item.pk)
    assert capture.is_withheld is False


# --- Failure and repetition -------------------------------------------------------------------


def _fail_json_once(monkeypatch):
    """The first part's JSON fails after its PDF is stored: a render failing halfway."""
    from archiving import rendering

    real = rendering.write_json
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("Disken är full")
        return real(*args, **kwargs)

    monkeypatch.setattr(rendering, "write_json", flaky)
    return calls


def test_a_part_failing_halfway_leaves_no_file_and_its_retry_records_it_once(
    channel, thread_items, run_tasks, monkeypatch
):
    calls = _fail_json_once(monkeypatch)

    [run] = _schedule(run_tasks)

    # In-process, the failed task stays in the outbox for the relay to try again.
    run.refresh_from_db()
    assert run.status == RunStatus.RENDERING
    assert not Snapshot.objects.exists()
    assert _stored_files(run) == set()  # the part's PDF, written before the failure, is gone

    with run_tasks():
        relay_pending()

    run.refresh_from_db()
    assert len(calls) == 2
    assert run.status == RunStatus.DONE
    assert Snapshot.objects.count() == 1
    assert ArchiveFile.objects.count() == 3
    assert _stored_files(run) == {f.file.name for f in ArchiveFile.objects.all()}


@pytest.fixture
def retries_in_process(monkeypatch):
    """Celery's retries run in-process one after another, as a worker would run them."""
    from atvida_social import celery_app

    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)


def test_a_run_that_keeps_failing_leaves_no_file_and_no_record(
    channel, thread_items, monkeypatch, retries_in_process
):
    from archiving import rendering

    attempts = []

    def broken(*args, **kwargs):
        attempts.append(1)
        raise OSError("Disken är full")

    monkeypatch.setattr(rendering, "write_json", broken)
    run = SnapshotRun.objects.create(
        key="test",
        channel=channel,
        period_start=JOB_MOMENT - datetime.timedelta(days=181),
        period_end=JOB_MOMENT,
        reason=SnapshotReason.SCHEDULE,
    )
    services.take_snapshot(run.pk)

    result = tasks.render_volume.apply(args=[run.pk, 1])

    assert isinstance(result.result, OSError)
    assert len(attempts) == 1 + tasks.RETRY["max_retries"]

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "Ögonblicksbilden kunde inte skapas" in run.error
    assert "Disken är full" in run.error
    assert not Snapshot.objects.exists()
    assert not ArchiveFile.objects.exists()
    assert _stored_files(run) == set()


def test_a_part_delivered_twice_is_counted_once(channel, thread_items, settings, monkeypatch):
    settings.ARCHIVE_VOLUME_ITEMS = 3
    run = SnapshotRun.objects.create(
        key="twice",
        channel=channel,
        period_start=JOB_MOMENT - datetime.timedelta(days=181),
        period_end=JOB_MOMENT,
        reason=SnapshotReason.SCHEDULE,
    )
    services.take_snapshot(run.pk)
    from archiving import rendering

    renders = []
    real = rendering.render_volume_pdf
    monkeypatch.setattr(
        rendering, "render_volume_pdf", lambda *a, **k: renders.append(1) or real(*a, **k)
    )

    assert services.render_volume(run.pk, 1) is not None
    assert services.render_volume(run.pk, 1) is None
    assert len(renders) == 1  # the second delivery renders nothing

    run.refresh_from_db()
    assert (run.volumes_done, run.volumes_total) == (1, 3)
    assert len(_stored_files(run)) == 2
    assert services.finish_snapshot(run.pk) is None  # parts 2 and 3 are not written yet


def test_a_failed_run_is_started_again_by_the_same_key(channel, thread_items, run_tasks):
    period = {"period_start": JOB_MOMENT - datetime.timedelta(days=30), "period_end": JOB_MOMENT}
    run = SnapshotRun.objects.create(
        key="k",
        channel=channel,
        reason=SnapshotReason.SCHEDULE,
        status=RunStatus.FAILED,
        error="fel",
        **period,
    )

    with run_tasks():
        again = services.start_snapshot_run(
            channel, reason=SnapshotReason.SCHEDULE, key="k", **period
        )

    again.refresh_from_db()
    assert again.pk == run.pk
    assert again.status == RunStatus.DONE
    assert again.error == ""


# --- Who and what -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "deactivated ingrid"])
def test_only_an_active_informationsenheten_account_takes_a_snapshot(
    request, channel, at_job_moment, who
):
    user = request.getfixturevalue(who.split()[-1])
    if who.startswith("deactivated"):
        user.is_active = False
        user.save()

    with pytest.raises(PermissionDeniedError):
        services.start_snapshot_run(
            channel,
            period_start=JOB_MOMENT - datetime.timedelta(days=1),
            period_end=JOB_MOMENT,
            reason=SnapshotReason.ON_DEMAND,
            key="x",
            by=user,
        )
    assert not SnapshotRun.objects.exists()


@pytest.mark.parametrize(
    ("start_days", "end_days", "field"),
    [(0, -1, "period_end"), (-2, 3, "period_end")],
)
def test_a_period_backwards_or_in_the_future_is_refused(
    channel, ingrid, at_job_moment, start_days, end_days, field
):
    with pytest.raises(ValidationError) as refused:
        services.start_snapshot_run(
            channel,
            period_start=JOB_MOMENT + datetime.timedelta(days=start_days),
            period_end=JOB_MOMENT + datetime.timedelta(days=end_days),
            reason=SnapshotReason.ON_DEMAND,
            key="x",
            by=ingrid,
        )
    assert field in refused.value.message_dict
    assert not SnapshotRun.objects.exists()


def test_an_on_demand_snapshot_records_who_asked_and_why(channel, thread_items, ingrid, run_tasks):
    start, _end = services.half_year_containing(JOB_MOMENT)
    with run_tasks():
        run = services.start_snapshot_run(
            channel,
            period_start=start - datetime.timedelta(days=181),
            period_end=JOB_MOMENT,
            reason=SnapshotReason.ON_DEMAND,
            key="forandring:1",
            by=ingrid,
            note="Ny profilbild och nytt namn.",
        )

    snapshot = Snapshot.objects.get(run=run)
    assert (snapshot.created_by, snapshot.note) == (ingrid, "Ny profilbild och nytt namn.")
    text = pdf_text(read(snapshot.files.get(role=FileRole.PDF)))
    assert "Större förändring: Ny profilbild och nytt namn." in text
