import pytest

from channels import services as channel_services


@pytest.fixture
def published(channel, ingrid):
    """Biblioteket's Facebook page (tests/conftest.py) in the published register."""
    channel_services.publish_register(by=ingrid)
    return channel


def report_data(to_channel, **overrides) -> dict:
    data = {
        "channel": str(to_channel.pk),
        "content_url": "https://www.facebook.com/bibblan-moderering/posts/1?comment_id=7",
        "reason": "fortal",
        "other_reason": "",
        "message": "Kommentaren hänger ut en anställd.",
        "name": "Stina Svensson",
        "email": "stina@example.se",
    }
    return data | overrides
