from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .dashboard import sections_for
from .organisation.roles import role_names


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


@never_cache
@require_safe
def healthz(request):
    """For load balancers and monitoring: 503 when the database cannot be reached."""
    status = {"database": _database_status()}
    broker = _broker_status()
    if broker is not None:
        status["broker"] = broker
    healthy = status["database"] == "ok"
    status["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(status, status=200 if healthy else 503)
