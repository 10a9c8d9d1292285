from celery import shared_task

from atvida_social.scheduling.health import record_heartbeat

from . import services


@shared_task(acks_late=True, ignore_result=True)
def relay_outbox() -> int:
    """Every minute (the schedule atvida_social/scheduling seeds): send what the after-commit
    hand-over could not."""
    return services.relay_pending()[services.Outcome.SENT]


@shared_task(acks_late=True, ignore_result=True)
def reconcile_outbox() -> dict[str, int]:
    """Every minute: hand over again what was sent and never completed, and record that the
    scheduler is alive (/healthz reads it)."""
    record_heartbeat()
    return services.reconcile_sent()
