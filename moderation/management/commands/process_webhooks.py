from django.core.management.base import BaseCommand

from moderation.services import ingest


class Command(BaseCommand):
    help = (
        "Behandlar webhook-leveranser som ännu inte blivit inlägg (t.ex. efter ett avbrott i "
        "meddelandekön). Leveranser som redan behandlats rörs inte."
    )

    def handle(self, *args, **options):
        deliveries, items = ingest.process_pending_deliveries()
        self.stdout.write(f"{deliveries} leveranser behandlade, {items} nya inlägg.")
