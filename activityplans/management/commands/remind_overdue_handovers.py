from django.core.management.base import BaseCommand

from activityplans import services


class Command(BaseCommand):
    help = (
        "Påminner kontoansvariga och informationsenheten om kanaler vars inloggningsuppgifter "
        "inte har lämnats inom 14 dagar efter att planen godkändes (samma som den dagliga "
        "Celery-uppgiften, för installationer utan meddelandekö)."
    )

    def handle(self, *args, **options):
        sent = services.remind_overdue_handovers()
        self.stdout.write(f"{sent} påminnelser skickade.")
