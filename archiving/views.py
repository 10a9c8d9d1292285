"""The archive pages: snapshots by channel and period, the making of one in progress, the
archived register versions and plans, the integrity checks, and the permission-checked
download. Parse → check access (selector) → act (service) → respond."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from atvida_social.organisation.exceptions import DomainError
from atvida_social.organisation.fields import MAX_ID
from atvida_social.organisation.files import stored_file_response
from atvida_social.organisation.forms import add_service_errors

from . import selectors, services
from .forms import SnapshotFilterForm, SnapshotRequestForm
from .models import FileRole, SnapshotRun, VerificationResult

PER_PAGE = 25

CONTENT_TYPES = {
    FileRole.PDF: "application/pdf",
    FileRole.JSON: "application/json",
}


def archive_required(view):
    """Informationsenheten and the archivist; others 403, anonymous visitors the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        selectors.ensure_may_see_archive(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def _page(request, queryset, per_page: int = PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("sida"))


def _querystring(request) -> str:
    query = request.GET.copy()
    query.pop("sida", None)
    return query.urlencode()


@archive_required
@require_GET
def snapshot_list(request):
    filters = SnapshotFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    page = _page(
        request,
        selectors.snapshots(
            channel=chosen.get("channel"), unit=chosen.get("unit"), year=chosen.get("year")
        ),
    )
    return render(
        request,
        "archiving/snapshot_list.html",
        {
            "filters": filters,
            "page": page,
            "querystring": _querystring(request),
            "runs": list(selectors.runs_in_progress()),
            "failed_runs": list(selectors.unresolved_failed_runs()[:20]),
            "may_take_snapshot": selectors.may_take_snapshot(request.user),
        },
    )


def _run_status(run: SnapshotRun) -> dict:
    return {
        "id": run.pk,
        "status": run.status,
        "status_text": run.get_status_display(),
        "volumes_done": run.volumes_done,
        "volumes_total": run.volumes_total,
        "in_progress": run.status in selectors.IN_PROGRESS,
    }


@archive_required
@require_GET
def run_status(request):
    """The runs being made now, for the archive page's progress bars to refresh themselves;
    `?run=<id>` (repeated) also reports those runs, so that a page notices one finishing."""
    asked = [
        int(value)
        for value in request.GET.getlist("run")[:50]
        if value.isascii() and value.isdigit() and int(value) <= MAX_ID
    ]
    runs = SnapshotRun.objects.filter(status__in=selectors.IN_PROGRESS)
    if asked:
        runs = runs | SnapshotRun.objects.filter(pk__in=asked)
    response = JsonResponse({"runs": [_run_status(run) for run in runs.order_by("pk")[:100]]})
    patch_cache_control(response, private=True, no_store=True)
    return response


@archive_required
@require_GET
def channel_list(request):
    return render(
        request,
        "archiving/channel_list.html",
        {
            "channels": selectors.channels_overview(),
            "may_take_snapshot": selectors.may_take_snapshot(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def snapshot_request(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    channel = selectors.channel_for_snapshot(request.user, pk)
    form = SnapshotRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_snapshot(channel, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Ögonblicksbilden av %(channel)s har beställts. Förloppet syns nedan.")
                % {"channel": channel},
            )
            return redirect(reverse("archiving:snapshot-list") + "#pagar")
    return render(
        request,
        "archiving/snapshot_request.html",
        {
            "channel": channel,
            "form": form,
            "last_snapshot": channel.snapshots.order_by("-period_end", "-pk").first(),
            "is_planned": channel.status == "planerad",
        },
    )


@require_http_methods(["GET", "POST"])
def run_retry(request, pk: int):
    """Confirm, then start a failed snapshot run again."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    run = selectors.failed_run_for_retry(request.user, pk)
    if request.method == "POST":
        try:
            services.retry_snapshot_run(run, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(reverse("archiving:snapshot-list") + f"#korning-{run.pk}")
        messages.success(
            request,
            _("Ögonblicksbilden av %(channel)s görs om. Förloppet syns nedan.")
            % {"channel": run.channel},
        )
        return redirect(reverse("archiving:snapshot-list") + "#pagar")
    return render(request, "archiving/run_retry.html", {"run": run})


@archive_required
@require_GET
def document_list(request):
    return render(
        request,
        "archiving/document_list.html",
        {"page": _page(request, selectors.documents(), 50)},
    )


@archive_required
@require_GET
def check_list(request):
    return render(
        request,
        "archiving/check_list.html",
        {
            "page": _page(request, selectors.integrity_checks(), 20),
            "problem_files": list(selectors.problem_files()[:50]),
            "may_check_archive": selectors.may_check_archive(request.user),
        },
    )


@require_POST
def check_start(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.may_check_archive(request.user):
        raise PermissionDenied
    check = services.start_archive_check(by=request.user)
    check.refresh_from_db()
    if check.finished_at is None:
        messages.info(request, _("Kontrollen av arkivet har startat. Resultatet syns här."))
    elif check.problems:
        messages.error(
            request,
            _("Kontrollen är klar: %(problems)d av %(files)d filer är ändrade eller saknas.")
            % {"problems": check.problems, "files": check.files_checked},
        )
    else:
        messages.success(
            request,
            _("Kontrollen är klar: alla %(files)d filer är oförändrade.")
            % {"files": check.files_checked},
        )
    return redirect("archiving:check-list")


@archive_required
@require_GET
def file_download(request, pk: int):
    archive_file = selectors.archive_file_for(request.user, pk)
    content_type = CONTENT_TYPES.get(archive_file.role)
    if content_type is None:
        content_type = (
            "application/json"
            if archive_file.filename.lower().endswith(".json")
            else "text/plain; charset=utf-8"
        )
    return stored_file_response(archive_file.file, archive_file.filename, content_type=content_type)


@require_GET
def diarium_copy_download(request, pk: int):
    """The diarium's copy of an item, for whoever sees the item (a secret item's copy: only
    who may read secret content), linked from the item's page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    archive_file = selectors.diarium_copy_for(request.user, pk)
    return stored_file_response(
        archive_file.file, archive_file.filename, content_type=CONTENT_TYPES[FileRole.PDF]
    )


def _place_of(archive_file) -> str:
    if archive_file.snapshot_id:
        return reverse("archiving:snapshot-list") + f"#fil-{archive_file.pk}"
    return reverse("archiving:document-list") + f"#fil-{archive_file.pk}"


@archive_required
@require_POST
def file_verify(request, pk: int):
    archive_file = selectors.archive_file_for(request.user, pk)
    verification = services.verify_file(archive_file, by=request.user)
    if verification.result == VerificationResult.OK:
        messages.success(
            request,
            _("%(file)s är oförändrad: kontrollsumman (SHA-256) stämmer.")
            % {"file": archive_file.filename},
        )
    elif verification.result == VerificationResult.MISSING:
        messages.error(
            request,
            _("%(file)s saknas i lagringen. Informationsenheten har fått ett mejl.")
            % {"file": archive_file.filename},
        )
    else:
        messages.error(
            request,
            _(
                "%(file)s är ändrad: kontrollsumman (SHA-256) stämmer inte med den som sparades. "
                "Informationsenheten har fått ett mejl."
            )
            % {"file": archive_file.filename},
        )
    return redirect(_place_of(archive_file))
