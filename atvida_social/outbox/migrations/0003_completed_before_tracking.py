"""Messages sent before completion was tracked count as completed (their tasks ran long ago:
handing them over again would repeat them), and Informationsenheten may see the outbox in
the admin, where the start page links a message given up."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import F


def forward(apps, schema_editor):
    OutboxMessage = apps.get_model("outbox", "OutboxMessage")
    OutboxMessage.objects.filter(sent_at__isnull=False, completed_at__isnull=True).update(
        completed_at=F("sent_at")
    )
    outbox = apps.get_app_config("outbox")
    outbox.models_module = True
    create_permissions(outbox, apps=apps, verbosity=0)
    outbox.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Informationsenheten")
    group.permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label="outbox", codename="view_outboxmessage"
        )
    )


def backward(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Informationsenheten"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="outbox", codename="view_outboxmessage"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0002_completion_tracking"),
        ("organisation", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(forward, backward)]
