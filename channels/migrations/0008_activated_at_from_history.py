"""Fill `Channel.activated_at` for the channels already active or closed, from the audit log:
the first approval of a plan (fields "activity_plan") after the channel's last status change
in the register's form or the admin; else that status change; else the channel's creation."""

from django.db import migrations

SAVES = ("channel_created", "channel_changed", "admin_added", "admin_changed")


def _activation(created_at, entries):
    """entries: (at, fields) of the channel's saves, oldest first."""
    status_changes = [at for at, fields in entries if "status" in fields]
    last_status = status_changes[-1] if status_changes else None
    for at, fields in entries:
        if "activity_plan" in fields and (last_status is None or at >= last_status):
            return at
    return last_status or created_at


def fill(apps, schema_editor):
    Channel = apps.get_model("channels", "Channel")
    AuditLogEntry = apps.get_model("organisation", "AuditLogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="channels", model="channel").first()
    entries: dict[str, list] = {}
    if content_type is not None:
        for object_id, at, details in (
            AuditLogEntry.objects.filter(content_type=content_type, action__in=SAVES)
            .order_by("at", "pk")
            .values_list("object_id", "at", "details")
            .iterator(chunk_size=2000)
        ):
            fields = details.get("fields") or [] if isinstance(details, dict) else []
            entries.setdefault(object_id, []).append((at, fields))
    for channel in Channel.objects.filter(
        status__in=["aktiv", "avslutad"], activated_at__isnull=True
    ).only("pk", "created_at"):
        channel.activated_at = _activation(channel.created_at, entries.get(str(channel.pk), []))
        channel.save(update_fields=["activated_at"])


def empty(apps, schema_editor):
    apps.get_model("channels", "Channel").objects.update(activated_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("channels", "0007_channel_activated_at"),
        ("organisation", "0006_archivist_role"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(fill, empty)]
