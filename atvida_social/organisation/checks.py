"""System checks for settings that would expose stored files without a permission check."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register


def _served_roots() -> list[Path]:
    """Directories that WhiteNoise serves to anyone, by URL."""
    roots = [getattr(settings, "STATIC_ROOT", None), getattr(settings, "WHITENOISE_ROOT", None)]
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        roots.append(entry[1] if isinstance(entry, list | tuple) else entry)
    return [Path(root).resolve() for root in roots if root]


@register(Tags.security)
def media_is_never_served_unchecked(app_configs, **kwargs):
    # Approved PDFs and snapshots are served only by permission-checked views.
    media = Path(settings.MEDIA_ROOT).resolve()
    errors = [
        Error(
            f"MEDIA_ROOT ({media}) lies inside {root}, which is served to anyone without a "
            "permission check.",
            hint="Keep MEDIA_ROOT outside STATIC_ROOT, STATICFILES_DIRS and WHITENOISE_ROOT.",
            id="organisation.E001",
        )
        for root in _served_roots()
        if media == root or root in media.parents
    ]
    static_url = settings.STATIC_URL or ""
    if static_url and settings.MEDIA_URL and settings.MEDIA_URL.startswith(static_url):
        errors.append(
            Error(
                "MEDIA_URL lies under STATIC_URL, which is served without a permission check.",
                id="organisation.E002",
            )
        )
    return errors
