"""A wrong working-hours or regex text-limit setting is refused at start-up, not at the first
item."""

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


# Fewer characters than a short comment would leave most texts to the "read it yourself" flag.
MIN_REGEX_TEXT_LIMIT = 1_000


@register()
def regex_text_limit_setting(app_configs, **kwargs):
    if settings.MODERATION_REGEX_TEXT_LIMIT < MIN_REGEX_TEXT_LIMIT:
        message = f"MODERATION_REGEX_TEXT_LIMIT måste vara minst {MIN_REGEX_TEXT_LIMIT} tecken."
        return [Error(message, id="moderation.E002", obj="MODERATION_REGEX_TEXT_LIMIT")]
    return []
