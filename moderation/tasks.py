from celery import shared_task


@shared_task(acks_late=True)
def process_webhook_delivery(delivery_id: int) -> int:
    """Turn one stored webhook delivery into items (the inbox, moderation.ingest)."""
    from . import ingest

    return ingest.process_webhook_delivery(delivery_id)
