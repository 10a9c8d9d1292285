from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .dashboard import sections_for
from .organisation.roles import role_names
from .outbox.models import OutboxMessage
from .scheduling import health


@require_safe
def favicon(request):
    # Browsers ask for /favicon.ico whatever the page links; the admin's pages link none.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_safe
def accessibility_statement(request):
    return render(request, "public/accessibility.html")


@login_required
def start(request):
    return render(
        request,
        "start.html",
        {"sections": sections_for(request.user), "roles": sorted(role_names(request.user))},
    )


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "unavailable"
    return "ok"


def _broker_status() -> str | None:
    if not settings.CELERY_BROKER_URL or settings.CELERY_BROKER_URL.startswith("memory://"):
        return None  # tasks run in-process: there is no broker to check
    from . import celery_app

    try:
        with celery_app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return "unavailable"
    return "ok"


def _background_status(now) -> dict:
    """When the scheduler last ran and how old the oldest message waiting for the broker is
    (seconds); whether either is past its limit; and the messages given up."""
    last_ran = health.scheduler_last_ran()
    oldest = OutboxMessage.objects.pending().order_by("pk").values_list("created_at", flat=True)
    oldest = oldest.first()
    oldest_age = int((now - oldest).total_seconds()) if oldest is not None else None
    return {
        "scheduler_last_ran": last_ran.isoformat() if last_ran else None,
        "scheduler_stale": health.is_stale(last_ran, now=now),
        "outbox_oldest_pending_seconds": oldest_age,
        "outbox_stuck": oldest_age is not None and oldest_age > settings.OUTBOX_STUCK_AFTER,
        "outbox_given_up": OutboxMessage.objects.given_up().count(),
    }


@never_cache
@require_safe
def healthz(request):
    """For monitoring: 503 when the database cannot be reached, when no scheduled job has run
    for SCHEDULER_STALE_AFTER seconds or when a message has waited for the broker for
    OUTBOX_STUCK_AFTER seconds. `?database` asks only about the database (for a load
    balancer, which must not take every web server away because the scheduler stopped).
    A stale scheduler is mailed from here, once per stale episode."""
    status = {"database": _database_status()}
    healthy = status["database"] == "ok"
    if healthy and "database" not in request.GET:
        broker = _broker_status()
        if broker is not None:
            status["broker"] = broker
        now = timezone.now()
        try:
            status |= _background_status(now)
            health.alert_if_stale(now=now)
        except DatabaseError:
            status["database"] = "unavailable"
            healthy = False
        else:
            healthy = not (status["scheduler_stale"] or status["outbox_stuck"])
    status["status"] = "ok" if healthy else "unavailable"
    response = JsonResponse(status, status=200 if healthy else 503)
    # Not an error of this request: a monitor polling every few seconds must not make Django
    # log (and, with ADMINS set, mail) each 503. The stale scheduler is mailed once above.
    response._has_been_logged = True
    return response
