"""A wrong working-hours setting is refused at start-up, not at the first item."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def working_hours_setting(app_configs, **kwargs):
    from .calendar import CalendarError, parse_working_hours

    try:
        parse_working_hours(settings.MODERATION_WORKING_HOURS, tz=settings.TIME_ZONE)
    except CalendarError as error:
        return [Error(str(error), id="moderation.E001", obj="MODERATION_WORKING_HOURS")]
    return []
