from django.db import migrations, models
from django.db.models import F


def settle_earlier_secrets(apps, schema_editor):
    """Items marked secret before this migration left the queue when they were decided; they
    stay out of it: their removal counts as confirmed when they were settled."""
    Item = apps.get_model("moderation", "Item")
    Item.objects.filter(status="sekretess", secrecy_removed_at__isnull=True).update(
        secrecy_removed_at=F("settled_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0018_platform_connections_and_actions"),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="secrecy_removed_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="sekretess: borttaget från plattformen"
            ),
        ),
        migrations.RunPython(settle_earlier_secrets, migrations.RunPython.noop, elidable=True),
    ]
