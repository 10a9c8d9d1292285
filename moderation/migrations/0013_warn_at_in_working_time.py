"""Recompute `warn_at` of the open items with a deadline: three quarters of the response time
in working time (as `deadlines.warn_at_for` now does), not in calendar time. In batches of
BATCH items, each committed on its own, so that a large queue neither holds one long
transaction nor loads every row at once."""

from django.conf import settings
from django.db import migrations, transaction

from moderation.calendar import after_working_time, parse_working_hours, working_time_between

BATCH = 1000
# ItemStatus.NEW, HIDDEN and FORWARDED (moderation.workflow.OPEN) as stored.
OPEN = ["ny", "dold", "vidarebefordrad"]
WARN_AT_SHARE = 0.75


def _in_working_time(item, calendar):
    response = working_time_between(item.received_at, item.due_at, calendar)
    return after_working_time(item.received_at, response * WARN_AT_SHARE, calendar)


def _in_calendar_time(item, calendar):
    return item.received_at + (item.due_at - item.received_at) * WARN_AT_SHARE


def _recompute(apps, warn_at):
    Item = apps.get_model("moderation", "Item")
    calendar = parse_working_hours(settings.MODERATION_WORKING_HOURS, tz=settings.TIME_ZONE)
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                Item.objects.select_for_update()
                .filter(pk__gt=last_pk, status__in=OPEN, due_at__isnull=False)
                .order_by("pk")
                .only("pk", "received_at", "due_at", "warn_at")[:BATCH]
            )
            if not batch:
                return
            for item in batch:
                item.warn_at = warn_at(item, calendar)
            Item.objects.bulk_update(batch, ["warn_at"])
        last_pk = batch[-1].pk


def forwards(apps, schema_editor):
    _recompute(apps, _in_working_time)


def backwards(apps, schema_editor):
    _recompute(apps, _in_calendar_time)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("moderation", "0012_supervision_notice_sent_after_mail")]

    operations = [migrations.RunPython(forwards, backwards)]
