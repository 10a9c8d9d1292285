"""Is the scheduler alive? Killing celery beat (or every worker) stops every scheduled job,
the outbox relay included, without an error anywhere. The reconciler, which beat sends every
minute, writes a heartbeat (`record_heartbeat`); `/healthz`, the start page and
`manage.py check_scheduler` read it, and a stale scheduler is mailed to Informationsenheten
and the ADMINS once per stale episode by whichever of those notices it first (never by the
scheduler itself, which is what stopped).

No heartbeat at all (a new installation, the test suite) is not stale: a scheduler that never
started shows itself as outbox messages waiting, which /healthz reports too.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Heartbeat
from .notifications import information_unit_addresses

logger = logging.getLogger(__name__)

SCHEDULER = "scheduler"


def record_heartbeat(*, now: datetime.datetime | None = None) -> None:
    """The scheduler ran a job just now."""
    Heartbeat.objects.update_or_create(name=SCHEDULER, defaults={"beat_at": now or timezone.now()})


def scheduler_last_ran() -> datetime.datetime | None:
    return Heartbeat.objects.filter(name=SCHEDULER).values_list("beat_at", flat=True).first()


def is_stale(last_ran: datetime.datetime | None, *, now: datetime.datetime) -> bool:
    """No sign of life for longer than SCHEDULER_STALE_AFTER seconds."""
    if last_ran is None:
        return False
    return now - last_ran > datetime.timedelta(seconds=settings.SCHEDULER_STALE_AFTER)


def alert_if_stale(*, now: datetime.datetime | None = None) -> bool:
    """Mail Informationsenheten and the ADMINS that the scheduler is stale, once per stale
    episode: the row is claimed first (one of several web processes wins), and the claim is
    given back when the mail cannot be sent, so that the next caller tries again. True when
    this call sent the mail."""
    now = now or timezone.now()
    last_ran = scheduler_last_ran()
    if not is_stale(last_ran, now=now):
        return False
    not_yet_alerted = Q(alerted_at__isnull=True) | Q(alerted_at__lt=F("beat_at"))
    claimed = (
        Heartbeat.objects.filter(name=SCHEDULER, beat_at=last_ran)
        .filter(not_yet_alerted)
        .update(alerted_at=now)
    )
    if not claimed:
        return False
    try:
        _send_stale_mail(last_ran)
    except Exception:
        Heartbeat.objects.filter(name=SCHEDULER, alerted_at=now).update(alerted_at=None)
        logger.exception("Could not mail that the scheduler has not run since %s.", last_ran)
        return False
    logger.error("The scheduler has not run since %s; mailed.", last_ran)
    return True


def _send_stale_mail(last_ran: datetime.datetime) -> int:
    addresses = set(information_unit_addresses())
    addresses |= {address for _name, address in settings.ADMINS}
    if not addresses:
        return 0
    since = timezone.localtime(last_ran).strftime("%Y-%m-%d %H:%M")
    subject = _("Schemalagda jobb körs inte")
    body = _(
        "Inga schemalagda jobb har körts sedan %(since)s. Utkorgen skickas inte, och "
        "nattliga jobb, påminnelser och ögonblicksbilder görs inte förrän schemaläggaren "
        "(celery beat) och arbetarna är igång igen.\n\n"
        "Be den som förvaltar systemet att starta om dem. Läget syns här:\n"
        "%(link)s\n\n"
        "Du får ett nytt meddelande bara om schemaläggaren stannar igen efter att ha "
        "kommit igång.\n\n"
        "%(municipality)s"
    ) % {
        "since": since,
        "link": settings.SITE_URL.rstrip("/") + reverse("healthz"),
        "municipality": settings.MUNICIPALITY_NAME,
    }
    messages = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in sorted(addresses)
    ]
    return send_mass_mail(messages, fail_silently=False)
