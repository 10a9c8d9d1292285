from celery import shared_task

from . import notifications


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_plan_notification(plan_id: int, event: str) -> int:
    from .models import ActivityPlan

    return notifications.send_plan_notification(ActivityPlan.objects.get(pk=plan_id), event)
