from django.db import migrations

from atvida_social.organisation.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("archiving", "0001_initial")]

    operations = [
        append_only_trigger("archiving_snapshot"),
        append_only_trigger("archiving_archivefile"),
        append_only_trigger("archiving_verification"),
    ]
