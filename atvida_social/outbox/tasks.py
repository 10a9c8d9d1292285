from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def relay_outbox() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): send what the after-commit hand-over could not."""
    return services.relay_pending()[services.Outcome.SENT]
