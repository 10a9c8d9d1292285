from django.core.management.base import BaseCommand

from activityplans import services


class Command(BaseCommand):
    help = (
        "Skickar påminnelser om inloggningsuppgifter som löper ut om två veckor eller i dag "
        "(samma som den dagliga Celery-uppgiften, för installationer utan meddelandekö)."
    )

    def handle(self, *args, **options):
        sent = services.notify_expiring_credentials()
        self.stdout.write(f"{sent} påminnelser skickade.")
