"""Informationsenheten keeps the register; every role may read the channels."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

INFORMATION_UNIT = [
    "add_channel",
    "change_channel",
    "view_channel",
    "add_party",
    "change_party",
    "view_party",
    "add_partylink",
    "change_partylink",
    "delete_partylink",
    "view_partylink",
    "view_registerversion",
]
EVERY_ROLE = ["view_channel"]
ROLES = ["Informationsenheten", "Ansvarig chef", "Kontoansvarig", "Daglig drift"]


def grant(apps, schema_editor):
    channels = apps.get_app_config("channels")
    channels.models_module = True
    create_permissions(channels, apps=apps, verbosity=0)
    channels.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        codenames = INFORMATION_UNIT if name == "Informationsenheten" else EVERY_ROLE
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="channels", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="channels"))


class Migration(migrations.Migration):
    dependencies = [
        ("channels", "0002_register_version_append_only"),
        ("organisation", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
