"""Pages for logged-in staff are never stored by a browser or a shared cache; the public
register keeps its own caching and its conditional GETs."""

import pytest

from channels import services
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize("url", ["/", "/aktivitetsplaner/", "/kanaler/"])
def test_logged_in_pages_are_private_and_not_stored(client, ingrid, url):
    client.force_login(ingrid)

    response = client.get(url)

    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


def test_public_register_keeps_its_caching_and_answers_conditional_get(client, ingrid, library):
    ChannelFactory(unit=library)
    services.publish_register(by=ingrid)

    first = client.get("/sociala-medier")
    again = client.get("/sociala-medier", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert not {"private", "no-store"} & _directives(first)
    assert again.status_code == 304
