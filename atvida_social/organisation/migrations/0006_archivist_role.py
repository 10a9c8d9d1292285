"""Create the role of the municipality's archivist (Arkivarie), who reads the archive."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ARCHIVIST = "Arkivarie"
# What every role may read; the archive itself is opened by role (archiving.selectors).
PERMISSIONS = ["organisation.view_administration", "organisation.view_unit"]


def create_archivist_group(apps, schema_editor):
    organisation = apps.get_app_config("organisation")
    organisation.models_module = True
    create_permissions(organisation, apps=apps, verbosity=0)
    organisation.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ARCHIVIST)
    for perm in PERMISSIONS:
        app_label, codename = perm.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_archivist_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ARCHIVIST).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0005_single_line_names"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_archivist_group, remove_archivist_group)]
