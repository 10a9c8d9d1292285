from celery import shared_task


@shared_task(acks_late=True)
def purge_removed_texts() -> int:
    """Nightly: texts removed for a breach are purged after their retention period."""
    from . import services

    return services.purge_removed_texts()
