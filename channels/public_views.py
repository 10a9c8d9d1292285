"""The public register at /sociala-medier: published versions only, for everyone, no login.

Every page reads one or two rows whatever the register's size, and answers a conditional GET
from the version's number and publication time.
"""

from itertools import groupby

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import condition, require_safe

from . import opendata, register, selectors
from .models import RegisterVersion


def _latest_etag(request, *args, **kwargs):
    latest = RegisterVersion.objects.order_by("-number").values_list("number", flat=True).first()
    return f'"register-{latest or 0}"'


def _latest_modified(request, *args, **kwargs):
    latest = RegisterVersion.objects.order_by("-number").values_list("published_at", flat=True)
    return latest.first()


def _version_etag(request, number, *args, **kwargs):
    return f'"register-{number}-{kwargs.get("other", "")}"'


def _version_modified(request, number, *args, **kwargs):
    return selectors.version_published_at(number)


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


def _render_version(request, version: RegisterVersion | None, *, is_latest: bool):
    context = {"version": version, "is_latest": is_latest}
    if version is not None:
        context["administrations"] = _grouped(version.content["channels"])
        context["party_links"] = version.content["party_links"]
    return render(request, "channels/public/register.html", context)


@require_safe
@condition(etag_func=_latest_etag, last_modified_func=_latest_modified)
def register_page(request):
    return _render_version(request, selectors.latest_version(), is_latest=True)


@require_safe
@condition(etag_func=_version_etag, last_modified_func=_version_modified)
def version_page(request, number: int):
    return _render_version(request, _version_or_404(number), is_latest=False)


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
    old, new = _version_or_404(number), _version_or_404(other)
    diff = register.diff_contents(old.content, new.content)
    return render(
        request,
        "channels/public/version_compare.html",
        {"old": old, "new": new, "diff": diff, "unchanged": register.is_empty(diff)},
    )


def _latest_or_404() -> RegisterVersion:
    version = selectors.latest_version()
    if version is None:
        raise Http404("Registret har inte publicerats ännu.")
    return version


def _json(version):
    response = JsonResponse(
        opendata.version_as_json(version), json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _csv(version):
    response = HttpResponse(
        opendata.version_as_csv(version), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="sociala-medier-v{version.number}.csv"'
    return response


@require_safe
@condition(etag_func=_latest_etag, last_modified_func=_latest_modified)
def latest_json(request):
    return _json(_latest_or_404())


@require_safe
@condition(etag_func=_latest_etag, last_modified_func=_latest_modified)
def latest_csv(request):
    return _csv(_latest_or_404())


@require_safe
@condition(etag_func=_version_etag, last_modified_func=_version_modified)
def version_json(request, number: int):
    return _json(_version_or_404(number))


@require_safe
@condition(etag_func=_version_etag, last_modified_func=_version_modified)
def version_csv(request, number: int):
    return _csv(_version_or_404(number))
