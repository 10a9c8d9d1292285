from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("activityplans", "0006_supersede_older_approved_revisions")]

    operations = [
        migrations.AddConstraint(
            model_name='activityplan',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'godkand')), fields=('channel',), name='one_current_plan_per_channel', violation_error_message='Kanalen har redan en gällande aktivitetsplan.'),
        ),
        migrations.AddConstraint(
            model_name='activityplan',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['aterremitterad', 'granskas', 'signerad', 'utkast', 'vantar_pa_signering'])), fields=('channel',), name='one_open_plan_per_channel', violation_error_message='Det finns redan en pågående aktivitetsplan för den här kanalen.'),
        ),
        migrations.AddConstraint(
            model_name='activityplan',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['aterremitterad', 'granskas', 'signerad', 'utkast', 'vantar_pa_signering'])), fields=('platform', 'url'), name='one_open_plan_per_address', violation_error_message='Det finns redan en pågående aktivitetsplan för den här kanalen.'),
        ),
    ]
