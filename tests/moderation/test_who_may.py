"""Every service of moderation refuses, by itself, whoever may not use it: the views check
first, but an API, a command or a later caller meets the same refusal."""

import pytest

from atvida_social.organisation.exceptions import PermissionDeniedError
from moderation import services
from moderation.models import IngestToken, Item, WebhookSubscription
from moderation.services import ingest
from tests.moderation.conftest import item_data

pytestmark = pytest.mark.django_db


def test_only_informationsenheten_creates_an_ingest_token(channel, alice, ingrid):
    with pytest.raises(PermissionDeniedError):
        ingest.create_ingest_token(channel, by=alice)
    ingest.create_ingest_token(channel, by=ingrid)

    assert IngestToken.objects.count() == 1


def test_only_informationsenheten_keeps_a_webhook_secret(channel, alice, ingrid):
    with pytest.raises(PermissionDeniedError):
        ingest.save_webhook_subscription(channel, by=alice, app_secret="hemligt")
    ingest.save_webhook_subscription(channel, by=ingrid, app_secret="hemligt")

    assert WebhookSubscription.objects.count() == 1


def test_only_the_channels_moderators_register_a_batch(channel, carol, dora):
    cleaned = [services.clean_item_data(channel, item_data())]

    with pytest.raises(PermissionDeniedError):
        services.register_items(channel, cleaned, by=carol)
    services.register_items(channel, cleaned, by=dora)

    assert Item.objects.count() == 1


def test_only_the_channels_moderators_assign_an_item(channel, bob, dora, alice):
    item, _ = services.register_item(channel, item_data())

    with pytest.raises(PermissionDeniedError):
        services.assign_item(item, by=bob, to=alice)
    services.assign_item(item, by=dora, to=alice)

    assert Item.objects.get(pk=item.pk).assigned_to == alice
