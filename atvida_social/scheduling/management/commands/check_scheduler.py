from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from atvida_social.scheduling import health


class Command(BaseCommand):
    help = (
        "Kontrollerar att schemalagda jobb körs (för en systemd-timer eller cron, utanför "
        "schemaläggaren själv): skickar e-post till Informationsenheten och ADMINS en gång "
        "när schemaläggaren har stannat, och avslutar med felkod så länge den står still."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        last_ran = health.scheduler_last_ran()
        if not health.is_stale(last_ran, now=now):
            when = f"{timezone.localtime(last_ran):%Y-%m-%d %H:%M}" if last_ran else "aldrig"
            self.stdout.write(f"Schemalagda jobb kördes senast {when}.")
            return
        health.alert_if_stale(now=now)
        raise CommandError(
            "Schemalagda jobb har inte körts sedan "
            f"{timezone.localtime(last_ran):%Y-%m-%d %H:%M}: starta celery beat och arbetarna."
        )
