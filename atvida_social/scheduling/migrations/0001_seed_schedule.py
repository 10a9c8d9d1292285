"""The periodic jobs, seeded once; Informationsenheten changes times in the admin afterwards.

Times are Europe/Stockholm wall-clock times (summer and winter time alike). The archive jobs
name tasks of the archiving app (issue 9): snapshots of every active channel on 1 January and
1 July at 02:00, each covering the half-year just ended (Arkivering: "minst en gång varje
halvår"), and a monthly check that every archived file is whole and unchanged.
"""

from django.db import migrations
from django.utils import timezone

TIME_ZONE = "Europe/Stockholm"

# name: (task, schedule, description); a crontab is (minute, hour, day of month, month).
JOBS = {
    "Ögonblicksbild av alla aktiva kanaler, varje halvår": (
        "archiving.tasks.take_scheduled_snapshots",
        ("0", "2", "1", "1,7"),
        "Arkiverar varje aktiv kanal som PDF/A för halvåret som just tagit slut "
        "(riktlinjerna: minst en gång varje halvår). Samma som manage.py take_snapshots.",
    ),
    "Kontroll av arkivets filer, varje månad": (
        "archiving.tasks.check_archive_integrity",
        ("0", "3", "1", "*"),
        "Räknar om kontrollsumman (SHA-256) för varje arkiverad fil och rapporterar filer som "
        "ändrats eller saknas. Samma som manage.py check_archive.",
    ),
    "Rensning av borttagna texter och gallring, varje natt": (
        "archiving.tasks.cull_trivial_items",
        ("30", "2", "*", "*"),
        "Rensar texten i inlägg som tagits bort för regelbrott när bevarandetiden gått ut, och "
        "föreslår sedan en gallring av inlägg av ringa eller tillfällig betydelse som är äldre "
        "än tre månader (eller gallrar direkt om granskning är avstängd). Samma som manage.py "
        "cull_items.",
    ),
    "Utkorgen till meddelandekön, varje minut": (
        "atvida_social.outbox.tasks.relay_outbox",
        60,
        "Skickar uppgifter som inte kunde lämnas till meddelandekön direkt (till exempel "
        "under ett avbrott). Samma som manage.py relay_outbox.",
    ),
    "Påminnelse om inloggningar som går ut, varje morgon": (
        "activityplans.tasks.notify_expiring_credentials",
        ("0", "7", "*", "*"),
        "Påminner kontoansvariga och informationsenheten två veckor innan en plattforms "
        "token går ut och samma dag. Samma som manage.py notify_expiring_credentials.",
    ),
    "Påminnelse om inloggningar som inte lämnats över, varje morgon": (
        "activityplans.tasks.remind_overdue_handovers",
        ("0", "7", "*", "*"),
        "Påminner om kanaler vars inloggning inte lämnats till informationsenheten inom 14 "
        "dagar efter godkänd plan. Samma som manage.py remind_overdue_handovers.",
    ),
}
# The relay's message is dropped if no worker takes it before the next one is sent.
EXPIRE_SECONDS = {"atvida_social.outbox.tasks.relay_outbox": 55}


def seed(apps, schema_editor):
    """Create each job unless one of that name exists (an edited job is left as it is)."""
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, (task, when, description) in JOBS.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        schedule = {}
        if isinstance(when, int):
            schedule["interval"], _ = IntervalSchedule.objects.get_or_create(
                every=when, period="seconds"
            )
        else:
            minute, hour, day_of_month, month_of_year = when
            schedule["crontab"], _ = CrontabSchedule.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_month=day_of_month,
                month_of_year=month_of_year,
                day_of_week="*",
                timezone=TIME_ZONE,
            )
        PeriodicTask.objects.create(
            name=name,
            task=task,
            description=description,
            expire_seconds=EXPIRE_SECONDS.get(task),
            **schedule,
        )
    # A running beat re-reads the schedule when this changes (the models' signals do it
    # outside migrations).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=JOBS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
