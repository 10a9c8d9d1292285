from django.conf import settings
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from .audit import client_ip, current_ip


class AuditContextMiddleware:
    """Makes the client's address available to `record_audit` for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class PrivatePagesNotStoredMiddleware:
    """Pages shown to a logged-in user are never kept by a browser or a shared cache: they
    hold unit-internal plans and contacts. Public pages keep their own caching headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Only a request with a session cookie can be logged in; asking the others for their
        # user would load a session and add "Vary: Cookie" to the public pages.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            # Added to what the view set: a stricter never_cache page keeps its no-cache.
            patch_cache_control(response, private=True, no_store=True)
        return response


class RejectNulCharactersMiddleware:
    """NUL characters have no place in any field, and PostgreSQL cannot store them: a request
    whose query string or form carries one is answered 400 before any view sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return HttpResponseBadRequest(
                render_to_string("400.html", {"municipality_name": settings.MUNICIPALITY_NAME})
            )
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())
