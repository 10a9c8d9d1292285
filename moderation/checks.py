"""A wrong working-hours, regex text-limit or platform setting is refused at start-up, not at
the first item or the first call to a platform."""

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


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@register()
def platform_simulator_setting(app_configs, **kwargs):
    """A production configuration never reaches the demo platform by accident: with DEBUG off
    the simulator needs the explicit PLATFORM_SIMULATOR_ALLOWED demo flag."""
    demo = settings.DEBUG or settings.PLATFORM_SIMULATOR_ALLOWED
    if settings.PLATFORM_SIMULATOR_URL and not demo:
        message = (
            "PLATFORM_SIMULATOR_URL pekar plattformarna mot demosimulatorn medan DEBUG är av. "
            "Ta bort den i produktion, eller sätt PLATFORM_SIMULATOR_ALLOWED=1 för en "
            "demoinstallation."
        )
        return [Error(message, id="moderation.E003", obj="PLATFORM_SIMULATOR_URL")]
    return []


@register()
def platform_base_urls_setting(app_configs, **kwargs):
    """Every platform is reached over TLS; plain HTTP only to the demo simulator on this
    machine (in DEBUG or with the demo flag), or to the tests' in-process simulator, which
    no network call ever reaches."""
    from urllib.parse import urlsplit

    if getattr(settings, "PLATFORM_SIMULATOR_IN_PROCESS", False):
        return []
    demo = settings.DEBUG or settings.PLATFORM_SIMULATOR_ALLOWED
    simulator = settings.PLATFORM_SIMULATOR_URL
    errors = []
    for name, url in sorted(settings.PLATFORM_BASE_URLS.items()):
        parts = urlsplit(url)
        if parts.scheme == "https" and parts.hostname:
            continue
        on_loopback = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
        if demo and on_loopback and simulator and url.startswith(simulator + "/"):
            continue
        message = (
            f"PLATFORM_BASE_URLS[{name!r}] måste vara en https-adress; http går bara till "
            "demosimulatorn på 127.0.0.1 eller localhost när DEBUG är på (eller "
            "PLATFORM_SIMULATOR_ALLOWED=1)."
        )
        errors.append(Error(message, id="moderation.E004", obj="PLATFORM_BASE_URLS"))
    return errors
