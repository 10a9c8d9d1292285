from django.core.management.base import BaseCommand, CommandError

from atvida_social.outbox.models import OutboxMessage
from atvida_social.outbox.services import Outcome, relay_pending


class Command(BaseCommand):
    help = (
        "Skickar väntande uppgifter ur utkorgen till Celery (samma som den periodiska "
        "uppgiften relay_outbox, för installationer utan celery beat)."
    )

    def handle(self, *args, **options):
        counts = relay_pending()
        pending = OutboxMessage.objects.pending().count()
        self.stdout.write(f"{counts[Outcome.SENT]} uppgifter skickade, {pending} väntar.")
        if counts[Outcome.BROKER_UNREACHABLE]:
            # A non-zero exit status, so that cron or a systemd timer reports it.
            raise CommandError("Meddelandekön svarar inte; försök igen senare.")
