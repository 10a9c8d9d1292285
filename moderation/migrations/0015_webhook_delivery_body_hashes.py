"""The SHA-256 of every delivery stored before replays were recognised. A replay stored twice
keeps an empty hash on its later copies: the unique constraint covers the first only."""

import hashlib

from django.db import migrations


def hash_bodies(apps, schema_editor):
    WebhookDelivery = apps.get_model("moderation", "WebhookDelivery")
    seen = set()
    for delivery in WebhookDelivery.objects.filter(body_sha256="").order_by("pk").iterator():
        digest = hashlib.sha256(bytes(delivery.body)).hexdigest()
        key = (delivery.channel_id, digest)
        if key in seen or WebhookDelivery.objects.filter(
            channel_id=delivery.channel_id, body_sha256=digest
        ).exists():
            continue
        seen.add(key)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(body_sha256=digest)


def clear_hashes(apps, schema_editor):
    apps.get_model("moderation", "WebhookDelivery").objects.update(body_sha256="")


class Migration(migrations.Migration):
    dependencies = [("moderation", "0014_webhook_retries_and_replays")]

    operations = [migrations.RunPython(hash_bodies, clear_hashes)]
