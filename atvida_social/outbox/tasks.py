from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def relay_outbox() -> int:
    """Every minute (the schedule atvida_social/scheduling seeds): send what the after-commit
    hand-over could not."""
    return services.relay_pending()[services.Outcome.SENT]
