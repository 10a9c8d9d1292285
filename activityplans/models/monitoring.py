"""How often a channel is watched: the structured part of the plan's "bevakning", and the
Swedish sentence that describes it."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class MonitoringFrequency(models.TextChoices):
    """How often the account is watched: the structured part of "bevakning". Weekly is the
    legal maximum (lagen (1998:112) om ansvar för elektroniska anslagstavlor, Bilaga 1);
    several times a day, every day, is what the guideline asks of a busy page ("ett par gånger
    per dag, alla veckans dagar", Lagen om elektroniska anslagstavlor)."""

    SEVERAL_A_DAY = "several_a_day", _("Flera gånger om dagen, alla veckans dagar")
    DAILY = "daily", _("Varje dag")
    WORKING_DAYS = "working_days", _("Varje arbetsdag")
    TIMES_A_WEEK = "times_a_week", _("Några gånger i veckan")
    WEEKLY = "weekly", _("En gång i veckan")


WEEKDAYS = (
    ("1", _("måndag")),
    ("2", _("tisdag")),
    ("3", _("onsdag")),
    ("4", _("torsdag")),
    ("5", _("fredag")),
    ("6", _("lördag")),
    ("7", _("söndag")),
)


def _clock(moment) -> str:
    """8 for 08:00, 8.30 for 08:30: how Swedish prose writes a time of day."""
    return f"{moment.hour}" if moment.minute == 0 else f"{moment.hour}.{moment.minute:02d}"


def describe_monitoring(frequency, times_per_week=None, weekdays="", starts=None, ends=None):
    """The structured monitoring in a Swedish sentence: "Kanalen bevakas varje arbetsdag
    8–17." Used by the plan page and, through moderation.supervision, by every other page."""
    if frequency == MonitoringFrequency.SEVERAL_A_DAY:
        how = gettext("flera gånger om dagen, alla veckans dagar,")
    elif frequency == MonitoringFrequency.DAILY:
        how = gettext("varje dag")
    elif frequency == MonitoringFrequency.WORKING_DAYS:
        how = gettext("varje arbetsdag")
    elif frequency == MonitoringFrequency.TIMES_A_WEEK and times_per_week:
        how = gettext("%(times)s gånger i veckan") % {"times": times_per_week}
    else:
        how = gettext("minst en gång i veckan")
    names = dict(WEEKDAYS)
    days = [str(names[day]) for day in weekdays or "" if day in names]
    if days:
        how += " (" + ", ".join(days) + ")"
    if starts is not None and ends is not None:
        how += f" {_clock(starts)}–{_clock(ends)}"
    how = how.rstrip(",")
    return gettext("Kanalen bevakas %(how)s.") % {"how": how}
