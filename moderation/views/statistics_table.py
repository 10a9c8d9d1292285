"""The statistics page's and its CSV's table: the columns of every figure, the month
names and the Swedish formatting of hours and shares, over stored `MonthlyStatistics` rows
(computed by `services.statistics`)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..categories import Category
from ..models import MonthlyStatistics
from ..workflow import ItemKind

MONTH_NAMES = [
    _("Hela året"),
    _("januari"),
    _("februari"),
    _("mars"),
    _("april"),
    _("maj"),
    _("juni"),
    _("juli"),
    _("augusti"),
    _("september"),
    _("oktober"),
    _("november"),
    _("december"),
]


@dataclass(frozen=True)
class Column:
    header: object  # a lazy Swedish label
    value: Callable[[MonthlyStatistics | None], str]


def hours(seconds: float | None) -> str:
    """Working hours with one decimal and a decimal comma, as Swedish spreadsheets read them."""
    if seconds is None:
        return "–"
    return f"{seconds / 3600:.1f}".replace(".", ",")


def share(row: MonthlyStatistics | None) -> str:
    if row is None or not row.due:
        return "–"
    return f"{round(100 * row.in_time / row.due)} %"


def _count(name: str) -> Callable[[MonthlyStatistics | None], str]:
    return lambda row: str(getattr(row, name, 0) if row else 0)


def _kind(kind: str) -> Callable[[MonthlyStatistics | None], str]:
    return lambda row: str(row.by_kind.get(kind, 0) if row else 0)


def _category(category: str) -> Callable[[MonthlyStatistics | None], str]:
    return lambda row: str(row.by_category.get(category, 0) if row else 0)


COLUMNS: list[Column] = [
    Column(_("Inkomna"), _count("items")),
    *(Column(label, _kind(value)) for value, label in ItemKind.choices),
    Column(_("Hanterade med svarstid"), _count("responded")),
    Column(_("Median (arbetstimmar)"), lambda row: hours(row and row.median_seconds)),
    Column(_("90:e percentilen (arbetstimmar)"), lambda row: hours(row and row.p90_seconds)),
    Column(_("Bedömda mot svarstiden"), _count("due")),
    Column(_("Hanterade i tid"), _count("in_time")),
    Column(_("Andel i tid"), share),
    Column(_("Försenad tillsyn"), _count("overdue_reviews")),
    # Decided is not done: the decisions with an effect on the platform, and what it did.
    Column(_("Beslut att utföra på plattformen"), _count("platform_asked")),
    Column(_("Utförda på plattformen"), _count("platform_done")),
    Column(_("Ej utförda på plattformen"), _count("platform_failed")),
    *(
        Column(format_lazy("{}: {}", _("Borttagna"), label), _category(value))
        for value, label in Category.choices
    ),
]


def month_rows(rows: list[MonthlyStatistics]) -> list[MonthlyStatistics | None]:
    """Index 0 the whole year, 1–12 the months; None where nothing arrived."""
    by_month: list[MonthlyStatistics | None] = [None] * 13
    for row in rows:
        by_month[row.month] = row
    return by_month
