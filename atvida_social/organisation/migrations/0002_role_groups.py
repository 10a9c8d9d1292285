"""Create the four roles of the guidelines as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Informationsenheten": [
        "organisation.view_administration",
        "organisation.add_administration",
        "organisation.change_administration",
        "organisation.view_unit",
        "organisation.add_unit",
        "organisation.change_unit",
        "organisation.view_user",
        "organisation.view_auditlogentry",
    ],
    "Ansvarig chef": ["organisation.view_administration", "organisation.view_unit"],
    "Kontoansvarig": ["organisation.view_administration", "organisation.view_unit"],
    "Daglig drift": ["organisation.view_administration", "organisation.view_unit"],
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
