from django.conf import settings
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string

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
