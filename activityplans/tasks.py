from celery import shared_task

from . import notifications


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_plan_notification(self, plan_id: int, event: str) -> int:
    """The mails of a plan's event, once per delivery id (a retry keeps its id)."""
    from .models import ActivityPlan

    return notifications.send_plan_notification(
        ActivityPlan.objects.get(pk=plan_id), event, delivery=self.request.id
    )


@shared_task(acks_late=True)
def notify_expiring_credentials() -> int:
    """Daily: two weeks before a platform token expires, and on the day."""
    from . import services

    return services.notify_expiring_credentials()


@shared_task(acks_late=True)
def remind_overdue_handovers() -> int:
    """Daily: logins not handed over within 14 days of the plan's approval."""
    from . import services

    return services.remind_overdue_handovers()
