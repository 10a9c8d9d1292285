"""Informationsenheten's start page section on the background jobs: a scheduler that has
stopped, messages waiting for the broker past OUTBOX_STUCK_AFTER, and messages handed over
as often as allowed and never completed (given up). The same facts as /healthz, in Swedish."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atvida_social.dashboard import Item, register_section
from atvida_social.organisation.roles import Role
from atvida_social.scheduling import health

from .models import OutboxMessage

LIMIT = 10


def background_items(user) -> list[Item]:
    now = timezone.now()
    items = []
    last_ran = health.scheduler_last_ran()
    if health.is_stale(last_ran, now=now):
        items.append(
            Item(
                label=_(
                    "Schemalagda jobb har inte körts sedan %(since)s: schemaläggaren eller "
                    "arbetarna har stannat"
                )
                % {"since": f"{timezone.localtime(last_ran):%Y-%m-%d %H:%M}"},
                url=reverse("admin:django_celery_beat_periodictask_changelist"),
                status=_("Stoppat"),
                since=last_ran,
            )
        )
    stuck_since = now - datetime.timedelta(seconds=settings.OUTBOX_STUCK_AFTER)
    oldest = (
        OutboxMessage.objects.pending().order_by("pk").values_list("created_at", flat=True).first()
    )
    if oldest is not None and oldest < stuck_since:
        items.append(
            Item(
                label=_("Uppgifter väntar på att lämnas till meddelandekön"),
                url=reverse("admin:outbox_outboxmessage_changelist") + "?sent_at__isempty=1",
                status=_("Väntar"),
                since=oldest,
            )
        )
    for message in OutboxMessage.objects.given_up().order_by("-given_up_at", "-pk")[:LIMIT]:
        items.append(
            Item(
                label=_("Uppgiften %(task)s (nr %(number)s) blev aldrig klar och har getts upp")
                % {"task": message.task_name, "number": message.pk},
                url=reverse("admin:outbox_outboxmessage_change", args=[message.pk]),
                status=_("Uppgiven"),
                since=message.given_up_at,
            )
        )
    return items


def register_sections() -> None:
    register_section(
        "background",
        title=gettext_lazy("Bakgrundsjobb"),
        empty_text=gettext_lazy(
            "Schemalagda jobb körs och inga uppgifter har fastnat på vägen till arbetarna."
        ),
        roles=[Role.INFORMATION_UNIT],
        provider=background_items,
        order=90,
    )
