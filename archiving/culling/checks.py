"""A culling age under three months is refused at start-up: the guideline allows culling
trivial items "tidigast efter tre månader" (Gallring av inlägg och kommentarer)."""

from django.conf import settings
from django.core.checks import Error, register

MINIMUM_AGE_MONTHS = 3


@register()
def culling_age_setting(app_configs, **kwargs):
    age = settings.CULLING_AGE_MONTHS
    if not isinstance(age, int) or isinstance(age, bool) or age < MINIMUM_AGE_MONTHS:
        return [
            Error(
                f"CULLING_AGE_MONTHS är {age!r}: inlägg får gallras tidigast efter tre "
                "månader. Ange ett heltal, 3 eller mer.",
                id="archiving.E001",
                obj="CULLING_AGE_MONTHS",
            )
        ]
    return []
