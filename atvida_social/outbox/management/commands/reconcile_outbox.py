from django.core.management.base import BaseCommand

from atvida_social.outbox.services import reconcile_sent
from atvida_social.scheduling.health import record_heartbeat


class Command(BaseCommand):
    help = (
        "Skickar igen uppgifter som lämnats till meddelandekön men aldrig blivit klara, och "
        "ger upp efter OUTBOX_MAX_REDELIVERIES försök (samma som den periodiska uppgiften "
        "reconcile_outbox, för installationer utan celery beat)."
    )

    def handle(self, *args, **options):
        record_heartbeat()
        counts = reconcile_sent()
        self.stdout.write(
            f"{counts['handed_over']} uppgifter skickade igen, {counts['given_up']} uppgivna."
        )
