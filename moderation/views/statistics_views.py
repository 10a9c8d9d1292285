"""The response-time statistics page and its CSV: parse the filters (units and channels the
user sees) → the scope (selector) → the stored monthly rows → charts, tables, CSV."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from channels.opendata import spreadsheet_safe

from .. import selectors
from ..categories import Category
from ..charts import bar_list, column_chart
from ..forms import StatisticsFilterForm
from ..models import MonthlyStatistics
from ..services.statistics import WHOLE_YEAR
from ..workflow import ItemKind
from . import statistics_table

SHORT_MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def _report(request) -> dict:
    """The chosen year and scope, and their stored rows, in four queries whatever the data."""
    units = selectors.statistics_units(request.user)
    channels = selectors.statistics_channels(request.user)
    filters = StatisticsFilterForm(request.GET or None, channels=channels, units=units)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    year = chosen.get("year") or timezone.localtime().year
    scope, breakdown, name = selectors.statistics_scope(
        request.user, unit=chosen.get("unit"), channel=chosen.get("channel")
    )
    rows, children = [], []
    if scope is not None:
        rows = list(MonthlyStatistics.objects.filter(scope, year=year))
    if breakdown is not None:
        children = list(
            MonthlyStatistics.objects.filter(breakdown, year=year, month=WHOLE_YEAR)
            .select_related("unit", "channel")
            .order_by("unit__name", "channel__account_name", "pk")
        )
    return {
        "filters": filters,
        "chosen": {name: getattr(value, "pk", value) for name, value in chosen.items()},
        "year": year,
        "scope_name": name,
        "months": statistics_table.month_rows(rows),
        "children": children,
    }


def _full_table(report: dict) -> tuple[list[str], list[list[str]]]:
    """The page's table of every figure, row for row the CSV: the scope's year and months,
    then each unit's or channel's whole year."""
    header = [_("Område"), _("Månad"), *(str(column.header) for column in statistics_table.COLUMNS)]
    body = [
        [report["scope_name"], str(statistics_table.MONTH_NAMES[month])]
        + [column.value(row) for column in statistics_table.COLUMNS]
        for month, row in enumerate(report["months"])
    ]
    body += [
        [str(child.channel or child.unit), str(statistics_table.MONTH_NAMES[0])]
        + [column.value(child) for column in statistics_table.COLUMNS]
        for child in report["children"]
    ]
    return header, body


def _charts(report: dict) -> dict:
    months = report["months"][1:]
    kinds = [(value, str(label)) for value, label in ItemKind.choices]
    year = report["months"][0]
    removed = [
        (str(label), (year.by_category.get(value, 0) if year else 0))
        for value, label in Category.choices
    ]
    return {
        "items_chart": column_chart(
            "inkomna",
            _("Inkomna inlägg per månad"),
            SHORT_MONTHS,
            [
                (
                    _("Inkomna"),
                    [(row.items if row else 0, str(row.items if row else 0)) for row in months],
                )
            ],
        ),
        "items_table": [
            (
                statistics_table.MONTH_NAMES[number],
                row.items if row else 0,
                *(row.by_kind.get(kind, 0) if row else 0 for kind, _label in kinds),
            )
            for number, row in enumerate(months, start=1)
        ],
        "response_table": [
            (
                statistics_table.MONTH_NAMES[number],
                row.responded if row else 0,
                statistics_table.hours(row and row.median_seconds),
                statistics_table.hours(row and row.p90_seconds),
            )
            for number, row in enumerate(months, start=1)
        ],
        "share_table": [
            (
                statistics_table.MONTH_NAMES[number],
                row.due if row else 0,
                row.in_time if row else 0,
                statistics_table.share(row),
            )
            for number, row in enumerate(months, start=1)
        ],
        "kinds": [label for _value, label in kinds],
        "response_chart": column_chart(
            "svarstid",
            _("Svarstid i arbetstimmar per månad: median och 90:e percentilen"),
            SHORT_MONTHS,
            [
                (
                    _("Median"),
                    [_seconds(row.median_seconds if row else None) for row in months],
                ),
                (
                    _("90:e percentilen"),
                    [_seconds(row.p90_seconds if row else None) for row in months],
                ),
            ],
        ),
        "share_chart": column_chart(
            "i-tid",
            _("Andel hanterade inom svarstiden per månad"),
            SHORT_MONTHS,
            [
                (
                    _("Andel i tid"),
                    [
                        (
                            100 * row.in_time / row.due if row and row.due else None,
                            statistics_table.share(row),
                        )
                        for row in months
                    ],
                )
            ],
        ),
        "category_chart": bar_list(
            "kategorier",
            _("Borttagna inlägg per kategori under året"),
            [(label, count, str(count)) for label, count in removed],
        ),
        "removed": removed,
    }


def _seconds(seconds: float | None) -> tuple[float | None, str]:
    return (None if seconds is None else seconds / 3600, statistics_table.hours(seconds))


@login_required
@require_GET
def statistics_page(request):
    report = _report(request)
    header, body = _full_table(report)
    query = request.GET.copy()
    # The filters' options written out by the template: a hundred channels through the
    # form's widgets cost more than the rest of the page.
    filters = report["filters"]
    return render(
        request,
        "moderation/statistics.html",
        {
            **report,
            **_charts(report),
            "header": header,
            # Some twenty-five cells a row: joined here, as the charts are (moderation.charts).
            "body": [
                format_html(
                    '<th scope="row">{}</th>{}',
                    row[0],
                    format_html_join("", "<td>{}</td>", ((cell,) for cell in row[1:])),
                )
                for row in body
            ],
            "computed_at": report["months"][0].computed_at if report["months"][0] else None,
            "querystring": query.urlencode(),
            "unit_choices": [(unit.pk, str(unit)) for unit in filters.fields["unit"].queryset],
            "channel_choices": [
                (channel.pk, str(channel)) for channel in filters.fields["channel"].queryset
            ],
        },
    )


@login_required
@require_GET
def statistics_csv(request):
    """The page's table of every figure, UTF-8 with a byte-order mark and semicolons."""
    report = _report(request)
    header, body = _full_table(report)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for cells in [header, *body]:
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistik-{report["year"]}.csv"'
    return response
