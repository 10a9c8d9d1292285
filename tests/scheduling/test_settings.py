"""The task settings, and the check that keeps tasks within the broker's
visibility timeout."""

import pytest
from django.conf import settings

from atvida_social import celery_app
from atvida_social.scheduling.checks import tasks_fit_the_visibility_timeout


def test_a_task_is_acknowledged_after_it_ran_and_requeued_if_its_worker_dies():
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert celery_app.conf.worker_prefetch_multiplier == 1


def test_the_visibility_timeout_outlasts_the_longest_task_and_retry_delay():
    timeout = celery_app.conf.broker_transport_options["visibility_timeout"]

    assert celery_app.conf.task_soft_time_limit < celery_app.conf.task_time_limit
    assert celery_app.conf.task_time_limit + settings.TASK_RETRY_DELAY_LIMIT < timeout


def test_rendering_runs_on_its_own_queue():
    router = celery_app.amqp.router

    assert router.route({}, "archiving.tasks.render_volume")["queue"].name == "rendering"
    assert router.route({}, "archiving.tasks.take_snapshot")["queue"].name == "celery"


def test_the_schedule_is_read_from_the_database():
    assert celery_app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert not celery_app.conf.beat_schedule


def test_every_task_of_the_project_fits_the_visibility_timeout():
    assert tasks_fit_the_visibility_timeout(None) == []


@pytest.fixture
def slow_task():
    @celery_app.task(name="tests.scheduling.slow", time_limit=1500, autoretry_for=(OSError,))
    def slow():
        pass

    yield slow
    celery_app.tasks.unregister(slow.name)


def test_a_task_that_could_outlast_the_visibility_timeout_fails_the_checks(slow_task):
    """1500 s + a retry backoff of up to 600 s would see Redis hand the task out again."""
    slow_task.retry_backoff = True

    [error] = tasks_fit_the_visibility_timeout(None)

    assert error.id == "scheduling.E001"
    assert "tests.scheduling.slow" in error.msg
