"""The archive listens to the apps below it (their signals, sent inside their transactions):
what a receiver asks for is recorded in that transaction and handed to Celery after commit.

Archiving never stops the action it listens to: a receiver that fails is rolled back to its
savepoint and logged, and the register version, the closing, the approval or the item's
registration goes through;
the half-yearly schedule still takes every channel.
"""

import logging
from functools import wraps

from django.db import transaction

from . import services

logger = logging.getLogger(__name__)


def _never_blocking(receiver):
    @wraps(receiver)
    def wrapper(sender, **kwargs):
        try:
            with transaction.atomic():
                receiver(sender, **kwargs)
        except Exception:
            logger.exception("Archiving could not be requested by %s", receiver.__name__)

    return wrapper


@_never_blocking
def on_register_published(sender, version, **kwargs):
    services.request_register_version_archiving(version)
    services.snapshot_register_changes(version)


@_never_blocking
def on_channel_closed(sender, channel, **kwargs):
    services.snapshot_closed_channel(channel)


@_never_blocking
def on_plan_approved(sender, plan, **kwargs):
    services.request_plan_archiving(plan)


@_never_blocking
def on_item_registered(sender, item, decision, **kwargs):
    services.request_diarium_copy(decision)


def connect() -> None:
    from activityplans.signals import plan_approved
    from channels.signals import channel_closed, register_published
    from moderation.signals import item_registered

    register_published.connect(on_register_published, dispatch_uid="archiving-register")
    channel_closed.connect(on_channel_closed, dispatch_uid="archiving-channel-closed")
    plan_approved.connect(on_plan_approved, dispatch_uid="archiving-plan-approved")
    item_registered.connect(on_item_registered, dispatch_uid="archiving-item-registered")
