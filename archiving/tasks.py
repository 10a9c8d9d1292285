"""Celery entry points of the archive: ids in, one service call, nothing else."""

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def check_archive_integrity(check_id: int | None = None) -> int:
    """Monthly (no arguments), or a run Informationsenheten started (its id): verify every
    archived file. Returns the number of problems found."""
    from . import services
    from .models import IntegrityCheck

    check = IntegrityCheck.objects.get(pk=check_id) if check_id is not None else None
    return services.check_archive(check=check).problems


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def mail_check_problems(check_id: int) -> int:
    from . import notifications
    from .models import IntegrityCheck

    return notifications.send_check_problems(IntegrityCheck.objects.get(pk=check_id))


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def mail_verification_problem(verification_id: int) -> int:
    from . import notifications
    from .models import Verification

    return notifications.send_verification_problem(
        Verification.objects.select_related("file").get(pk=verification_id)
    )
