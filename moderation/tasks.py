from celery import shared_task

from .exceptions import BrokenConnectionMailNotSent, SecrecyAlertNotSent


@shared_task(acks_late=True)
def process_webhook_delivery(delivery_id: int) -> int:
    """Turn one stored webhook delivery into items (the inbox, services.ingest)."""
    from .services import ingest

    return ingest.process_webhook_delivery(delivery_id)


@shared_task(acks_late=True)
def process_pending_webhook_deliveries() -> int:
    """Every few minutes: the webhook deliveries whose next attempt is due (the back-off)."""
    from .services import ingest

    return ingest.process_pending_deliveries(due_only=True)[1]


@shared_task(acks_late=True)
def refresh_statistics() -> int:
    """Hourly: recompute this year's response-time statistics (in January last year's too)."""
    from django.utils import timezone

    from .services import statistics

    now = timezone.now()
    return sum(
        statistics.refresh_statistics(year, now=now) for year in statistics.years_to_refresh(now)
    )


@shared_task(acks_late=True)
def send_supervision_warnings() -> int:
    """Every quarter hour: deadlines about to pass and overdue reviews, one mail per event."""
    from .services import supervision

    return supervision.send_supervision_warnings()


@shared_task(
    acks_late=True,
    autoretry_for=(SecrecyAlertNotSent,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def mail_secrecy_alert(item_id: int, flagged_at: str, reason: str) -> int:
    """At once: mail the channel's people and Informationsenheten that an item may hold
    secret information (services.secrecy); once per flagging."""
    from .services import secrecy

    return secrecy.send_secrecy_alert(item_id, flagged_at, reason)


@shared_task(acks_late=True)
def pull_connection(connection_id: int) -> int:
    """Pull one platform connection's new and changed content (services.pulls)."""
    from .services import pulls

    return pulls.pull_connection(connection_id).created


@shared_task(acks_late=True)
def pull_due_connections() -> int:
    """Every minute: hand a pull of each due connection to the outbox (services.pulls)."""
    from .services import pulls

    return pulls.pull_due_connections()


@shared_task(
    acks_late=True,
    autoretry_for=(BrokenConnectionMailNotSent,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def mail_connection_broken(connection_id: int, broken_at: str) -> bool:
    """Mail the account owners and Informationsenheten that the platform refused a
    connection's access, once per break (services.pulls)."""
    import datetime

    from .services import pulls

    return pulls.mail_connection_broken(
        connection_id, broken_at=datetime.datetime.fromisoformat(broken_at)
    )


@shared_task(acks_late=True)
def carry_out_platform_action(action_id: int) -> str:
    """Carry out one decision's effect on the platform (services.platform_actions)."""
    from .services import platform_actions

    return platform_actions.carry_out_platform_action(action_id)


@shared_task(acks_late=True)
def carry_out_due_platform_actions() -> int:
    """Every minute: the platform actions whose next attempt is due."""
    from .services import platform_actions

    return platform_actions.carry_out_due_actions()
