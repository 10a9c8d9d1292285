import datetime

from django import template
from django.utils import timezone

register = template.Library()


def _is_midnight(moment: datetime.datetime) -> bool:
    return moment.time() == datetime.time(0, 0)


@register.filter
def period(snapshot_or_run) -> str:
    """A half-open period as a person reads it: whole days ("2026-01-01 – 2026-06-30") when it
    runs from midnight to midnight, otherwise with the times."""
    start = timezone.localtime(snapshot_or_run.period_start)
    end = timezone.localtime(snapshot_or_run.period_end)
    if _is_midnight(start) and _is_midnight(end):
        last_day = (end - datetime.timedelta(days=1)).date()
        return f"{start:%Y-%m-%d} – {last_day:%Y-%m-%d}"
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"
