"""Snapshot runs whose work was lost: found by the reconciler, handed over again, failed after
the cap with their files removed, and started again by the schedule or by "Försök igen"."""

import datetime

import pytest
from django.urls import reverse

from archiving import services
from archiving.exceptions import SnapshotRunNotFailed
from archiving.models import RunStatus, Snapshot, SnapshotReason, SnapshotRun
from atvida_social.organisation.audit import AuditLogEntry
from atvida_social.organisation.exceptions import PermissionDeniedError

from .conftest import JOB_MOMENT
from .test_snapshots import _stored_files

pytestmark = pytest.mark.django_db

STALLED = datetime.timedelta(hours=1)


def _scheduled_run_stalled_after_one_part(settings) -> SnapshotRun:
    """The half-year's scheduled run planned in three parts and part 1 rendered; the other
    parts' messages never ran (the outbox hands them over after a commit no test makes)."""
    settings.ARCHIVE_VOLUME_ITEMS = 3
    [run] = services.schedule_half_year_snapshots()
    services.take_snapshot(run.pk)
    services.render_volume(run.pk, 1)
    run.refresh_from_db()
    assert (run.status, run.volumes_done, run.volumes_total) == (RunStatus.RENDERING, 1, 3)
    return run


def test_a_stalled_run_has_its_missing_parts_handed_over_again_and_finishes(
    channel, thread_items, settings, run_tasks
):
    run = _scheduled_run_stalled_after_one_part(settings)

    with run_tasks():
        counts = services.reconcile_snapshot_runs(now=JOB_MOMENT + STALLED)

    run.refresh_from_db()
    assert counts == {"handed_over": 1, "failed": 0}
    assert run.status == RunStatus.DONE, run.error
    assert Snapshot.objects.get(run=run).volumes == 3
    assert AuditLogEntry.objects.filter(action="snapshot_handed_over_again").count() == 1


def test_a_run_with_recent_progress_is_left_alone(channel, thread_items, settings, run_tasks):
    run = _scheduled_run_stalled_after_one_part(settings)

    with run_tasks():
        counts = services.reconcile_snapshot_runs(
            now=JOB_MOMENT + datetime.timedelta(seconds=settings.SNAPSHOT_STALL_AFTER - 60)
        )

    run.refresh_from_db()
    assert counts == {"handed_over": 0, "failed": 0}
    assert (run.status, run.volumes_done, run.handovers) == (RunStatus.RENDERING, 1, 0)


def test_a_run_never_planned_is_planned_again(channel, thread_items, run_tasks):
    [run] = services.schedule_half_year_snapshots()  # its take_snapshot message was lost

    with run_tasks():
        services.reconcile_snapshot_runs(now=JOB_MOMENT + STALLED)

    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error


def test_a_run_that_stays_stalled_is_failed_in_swedish_and_its_files_removed(
    channel, thread_items, settings
):
    settings.SNAPSHOT_MAX_HANDOVERS = 2
    run = _scheduled_run_stalled_after_one_part(settings)
    assert _stored_files(run)

    # The reconciler's own hand-overs are lost too (no commit runs them here).
    for hour in (1, 2, 3):
        services.reconcile_snapshot_runs(now=JOB_MOMENT + hour * STALLED)

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.handovers == 2
    assert "kom inte vidare på 30 minuter" in run.error
    assert run.error.startswith("Ögonblicksbilden kunde inte skapas")
    assert _stored_files(run) == set()


def test_the_next_schedule_starts_a_run_it_failed_again(
    channel, thread_items, settings, run_tasks, time_machine
):
    settings.SNAPSHOT_MAX_HANDOVERS = 0
    run = _scheduled_run_stalled_after_one_part(settings)
    services.reconcile_snapshot_runs(now=JOB_MOMENT + STALLED)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED

    time_machine.move_to(JOB_MOMENT + datetime.timedelta(days=184), tick=True)  # 1 January
    with run_tasks():
        runs = services.schedule_half_year_snapshots()

    run.refresh_from_db()
    assert run in runs
    assert run.status == RunStatus.DONE, run.error
    assert Snapshot.objects.filter(run=run).count() == 1


# --- "Försök igen" ----------------------------------------------------------------------------


@pytest.fixture
def failed_run(channel, thread_items, settings):
    settings.SNAPSHOT_MAX_HANDOVERS = 0
    run = _scheduled_run_stalled_after_one_part(settings)
    services.reconcile_snapshot_runs(now=JOB_MOMENT + STALLED)
    run.refresh_from_db()
    return run


def test_informationsenheten_tries_a_failed_run_again(failed_run, ingrid, run_tasks):
    with run_tasks():
        services.retry_snapshot_run(failed_run, by=ingrid)

    failed_run.refresh_from_db()
    assert failed_run.status == RunStatus.DONE, failed_run.error
    assert AuditLogEntry.objects.get(action="snapshot_restarted").actor == ingrid


def test_nobody_else_tries_a_run_again_nor_learns_its_state(failed_run, alice, arne):
    running = services.start_snapshot_run(
        failed_run.channel,
        period_start=failed_run.period_start,
        period_end=failed_run.period_end,
        reason=SnapshotReason.ON_DEMAND,
        key="annan",
    )
    for person in (alice, arne):
        for run in (failed_run, running):
            with pytest.raises(PermissionDeniedError):
                services.retry_snapshot_run(run, by=person)

    failed_run.refresh_from_db()
    assert failed_run.status == RunStatus.FAILED


def test_a_run_that_has_not_failed_is_not_tried_again(channel, thread_items, ingrid):
    [run] = services.schedule_half_year_snapshots()

    with pytest.raises(SnapshotRunNotFailed):
        services.retry_snapshot_run(run, by=ingrid)


def test_the_archive_page_offers_informationsenheten_to_try_a_failed_run_again(
    client, failed_run, ingrid, arne
):
    url = reverse("archiving:run-retry", args=[failed_run.pk])
    client.force_login(ingrid)
    assert f'href="{url}"' in client.get(reverse("archiving:snapshot-list")).content.decode()
    client.force_login(arne)
    assert url not in client.get(reverse("archiving:snapshot-list")).content.decode()


@pytest.mark.parametrize(
    ("who", "state", "expected"),
    [
        ("ingrid", "failed", 200),
        ("ingrid", "in_progress", 404),
        ("ingrid", "missing", 404),
        ("arne", "failed", 403),
        ("alice", "failed", 403),
        ("anonymous", "failed", 302),
    ],
)
def test_who_sees_the_confirmation_of_a_retry(
    client, failed_run, ingrid, arne, alice, who, state, expected
):
    pk = {"failed": failed_run.pk, "missing": failed_run.pk + 1000}.get(state)
    if state == "in_progress":
        pk = services.start_snapshot_run(
            failed_run.channel,
            period_start=failed_run.period_start,
            period_end=failed_run.period_end,
            reason=SnapshotReason.ON_DEMAND,
            key="annan",
        ).pk
    if who != "anonymous":
        client.force_login({"ingrid": ingrid, "arne": arne, "alice": alice}[who])

    response = client.get(reverse("archiving:run-retry", args=[pk]))

    assert response.status_code == expected
    if expected == 200:
        assert "Försök igen med ögonblicksbilden" in response.content.decode()


def test_confirming_the_retry_starts_the_run_again(client, failed_run, ingrid, run_tasks):
    client.force_login(ingrid)

    with run_tasks():
        response = client.post(reverse("archiving:run-retry", args=[failed_run.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("archiving:snapshot-list") + "#pagar"
    failed_run.refresh_from_db()
    assert failed_run.status == RunStatus.DONE, failed_run.error
