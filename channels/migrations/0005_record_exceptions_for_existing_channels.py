"""Channels active before the tool have no approved activity plan: record the exception that
lets them stay in the register (Roller och ansvar), with the reason, in the audit log too."""

from django.db import migrations
from django.utils import timezone

REASON = "Kanalen fanns i registret innan verktyget togs i bruk"


def record(apps, schema_editor):
    Channel = apps.get_model("channels", "Channel")
    ActivityPlan = apps.get_model("activityplans", "ActivityPlan")
    AuditLogEntry = apps.get_model("organisation", "AuditLogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    with_plan = ActivityPlan.objects.filter(status="godkand", channel__isnull=False).values(
        "channel_id"
    )
    channels = list(
        Channel.objects.filter(status="aktiv", register_exception_reason="").exclude(
            pk__in=with_plan
        )
    )
    if not channels:
        return
    now = timezone.now()
    content_type, _ = ContentType.objects.get_or_create(app_label="channels", model="channel")
    for channel in channels:
        channel.register_exception_reason = REASON
        channel.register_exception_at = now
        channel.save(update_fields=["register_exception_reason", "register_exception_at"])
        AuditLogEntry.objects.create(
            action="channel_register_exception_recorded",
            content_type=content_type,
            object_id=str(channel.pk),
            object_repr=f"{channel.account_name}"[:300],
            details={"reason": REASON, "by": "migration"},
        )


def unrecord(apps, schema_editor):
    # The audit rows are append-only and stay; they still tell what happened.
    Channel = apps.get_model("channels", "Channel")
    Channel.objects.filter(register_exception_reason=REASON, register_exception_by=None).update(
        register_exception_reason="", register_exception_at=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("channels", "0004_register_exception"),
        ("activityplans", "0004_credential"),
        ("organisation", "0003_audit_log_append_only"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(record, unrecord)]
