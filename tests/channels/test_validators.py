import pytest
from django.core.exceptions import ValidationError

from channels.validators import validate_channel_url


@pytest.mark.parametrize(
    ("platform", "url"),
    [
        ("facebook", "https://www.facebook.com/atvidabergskommun"),
        ("instagram", "https://instagram.com/atvidaberg"),
        ("x", "https://twitter.com/atvidaberg"),
        ("x", "https://x.com/atvidaberg"),
        ("youtube", "https://www.youtube.com/@atvidaberg"),
        ("linkedin", "https://se.linkedin.com/company/atvidaberg"),
        ("tiktok", "https://www.tiktok.com/@atvidaberg"),
        ("blogg", "https://blogg.atvidaberg.se/kommunchefen"),
        ("annat", "https://example.org/atvidaberg"),
    ],
)
def test_address_on_the_platforms_domain_is_accepted(platform, url):
    validate_channel_url(platform, url)


def test_facebook_channel_with_instagram_address_is_refused():
    with pytest.raises(ValidationError, match="hör inte till plattformen"):
        validate_channel_url("facebook", "https://www.instagram.com/atvidaberg")


def test_lookalike_domain_is_refused():
    with pytest.raises(ValidationError, match="hör inte till plattformen"):
        validate_channel_url("facebook", "https://facebook.com.evil.example/atvidaberg")


@pytest.mark.parametrize(
    "url", ["http://www.facebook.com/atvida", "www.facebook.com/atvida", "javascript:alert(1)"]
)
def test_address_without_https_is_refused(url):
    with pytest.raises(ValidationError, match="https://"):
        validate_channel_url("facebook", url)
