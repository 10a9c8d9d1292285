"""Web addresses of channels: https, and on the platform's own domain where one is known."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

# The domains each platform's pages live on; a subdomain (www., m.) is accepted too.
PLATFORM_DOMAINS: dict[str, tuple[str, ...]] = {
    "facebook": ("facebook.com", "fb.com"),
    "instagram": ("instagram.com",),
    "x": ("x.com", "twitter.com"),
    "youtube": ("youtube.com", "youtu.be"),
    "linkedin": ("linkedin.com",),
    "tiktok": ("tiktok.com",),
}


def host_is_on(host: str, domains: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def validate_channel_url(platform: str, url: str) -> None:
    """Raises a Swedish ValidationError unless `url` is a fitting https address."""
    URLValidator(
        schemes=["https"], message=_("Ange en fullständig webbadress som börjar med https://.")
    )(url)
    domains = PLATFORM_DOMAINS.get(platform)
    host = urlsplit(url).hostname or ""
    if domains and not host_is_on(host, domains):
        raise ValidationError(
            _("Adressen hör inte till plattformen; den ska ligga på %(domains)s.")
            % {"domains": " eller ".join(domains)},
            code="wrong_platform_domain",
        )
