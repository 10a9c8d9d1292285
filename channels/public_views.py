"""The public register at /sociala-medier: published versions only, for everyone, no login.

A published version never changes, so each page is rendered once per version and kept in
this process's memory under the version's number and publication time. Which version is the
latest is cached for a few seconds (and forgotten at once by the publishing process), so a request
usually touches no database at all. Pages answer a conditional GET from the same two facts.
"""

import threading
from collections import OrderedDict
from itertools import groupby

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import condition, require_safe

from . import opendata, register, selectors
from .models import RegisterVersion


def _latest_meta(request) -> tuple[int, object]:
    """(number, published_at) of the latest version, (0, None) before any; once per request."""
    if not hasattr(request, "_register_latest"):
        request._register_latest = selectors.latest_version_meta()
    return request._register_latest


def _version_meta(request, number: int) -> tuple[int, object]:
    if not hasattr(request, "_register_version"):
        published_at = selectors.version_published_at(number)
        if published_at is None:
            raise Http404("Versionen finns inte.")
        request._register_version = (number, published_at)
    return request._register_version


def _latest_etag(request, *args, **kwargs):
    number, published_at = _latest_meta(request)
    return f'"register-{number}-{published_at.timestamp() if published_at else 0}"'


def _latest_modified(request, *args, **kwargs):
    return _latest_meta(request)[1]


def _version_etag(request, number, other=None):
    _number, published_at = _version_meta(request, number)
    return f'"register-{number}-{other or 0}-{published_at.timestamp()}"'


def _version_modified(request, number, other=None):
    return _version_meta(request, number)[1]


# Rendered bodies, encoded once, kept in this process: a published version never changes,
# so no other process needs telling. Bounded, least recently used out first.
_RENDERED: OrderedDict[str, bytes] = OrderedDict()
_RENDERED_LOCK = threading.Lock()
RENDERED_MAX = 64


def _cached(kind: str, meta: tuple[int, object], build) -> bytes:
    """The body for one version, built at most once per version and publication."""
    number, published_at = meta
    key = f"{kind}:{number}:{published_at.timestamp()}"
    with _RENDERED_LOCK:
        body = _RENDERED.get(key)
        if body is not None:
            _RENDERED.move_to_end(key)
            return body
    body = build().encode()
    with _RENDERED_LOCK:
        _RENDERED[key] = body
        while len(_RENDERED) > RENDERED_MAX:
            _RENDERED.popitem(last=False)
    return body


def forget_rendered() -> None:
    with _RENDERED_LOCK:
        _RENDERED.clear()


def _grouped(channels: list[dict]) -> list[dict]:
    by_administration = []
    for administration, rows in groupby(channels, key=lambda c: c["administration"]):
        units = [
            {"name": unit, "channels": list(unit_rows)}
            for unit, unit_rows in groupby(rows, key=lambda c: c["unit"])
        ]
        by_administration.append({"name": administration, "units": units})
    return by_administration


def _version_or_404(number: int) -> RegisterVersion:
    version = selectors.version_by_number(number)
    if version is None:
        raise Http404("Versionen finns inte.")
    return version


def _register_html(request, number: int, *, is_latest: bool) -> str:
    version = _version_or_404(number)
    context = {
        "version": version,
        "is_latest": is_latest,
        "administrations": _grouped(version.content["channels"]),
        "party_links": version.content["party_links"],
        "party_link_disclaimer": register.PARTY_LINK_DISCLAIMER,
    }
    return render_to_string("channels/public/register.html", context, request=request)


@require_safe
@condition(etag_func=_latest_etag, last_modified_func=_latest_modified)
def register_page(request):
    meta = _latest_meta(request)
    if meta[0] == 0:
        return render(request, "channels/public/register.html", {"version": None})
    return HttpResponse(
        _cached("latest-page", meta, lambda: _register_html(request, meta[0], is_latest=True))
    )


@require_safe
@condition(etag_func=_version_etag, last_modified_func=_version_modified)
def version_page(request, number: int):
    meta = _version_meta(request, number)
    return HttpResponse(
        _cached("page", meta, lambda: _register_html(request, number, is_latest=False))
    )


@require_safe
@condition(etag_func=_latest_etag)
def version_list(request):
    versions = RegisterVersion.objects.defer("content").order_by("-number")
    rows = [
        {"version": version, "summary": register.summarise(version.change_summary)}
        for version in versions
    ]
    return render(request, "channels/public/version_list.html", {"rows": rows})


@require_safe
@condition(etag_func=_version_etag, last_modified_func=_version_modified)
def version_compare(request, number: int, other: int):
    def build() -> str:
        old, new = _version_or_404(number), _version_or_404(other)
        diff = register.diff_contents(old.content, new.content)
        context = {"old": old, "new": new, "diff": diff, "unchanged": register.is_empty(diff)}
        return render_to_string("channels/public/version_compare.html", context, request=request)

    return HttpResponse(_cached(f"compare-{other}", _version_meta(request, number), build))


def _json(meta) -> HttpResponse:
    body = _cached(
        "json",
        meta,
        lambda: opendata.version_as_json_text(_version_or_404(meta[0])),
    )
    response = HttpResponse(body, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _csv(meta) -> HttpResponse:
    body = _cached("csv", meta, lambda: opendata.version_as_csv(_version_or_404(meta[0])))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sociala-medier-v{meta[0]}.csv"'
    return response


def _latest_meta_or_404(request):
    meta = _latest_meta(request)
    if meta[0] == 0:
        raise Http404("Registret har inte publicerats ännu.")
    return meta


@require_safe
@condition(etag_func=_latest_etag, last_modified_func=_latest_modified)
def latest_json(request):
    return _json(_latest_meta_or_404(request))


@require_safe
@condition(etag_func=_latest_etag, last_modified_func=_latest_modified)
def latest_csv(request):
    return _csv(_latest_meta_or_404(request))


@require_safe
@condition(etag_func=_version_etag, last_modified_func=_version_modified)
def version_json(request, number: int):
    return _json(_version_meta(request, number))


@require_safe
@condition(etag_func=_version_etag, last_modified_func=_version_modified)
def version_csv(request, number: int):
    return _csv(_version_meta(request, number))
