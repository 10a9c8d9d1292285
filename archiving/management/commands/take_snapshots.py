import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from archiving import services
from channels.models import Channel


class Command(BaseCommand):
    help = (
        "Tar halvårets ögonblicksbilder: det senast avslutade halvåret för varje kanal i bruk "
        "(samma som den schemalagda Celery-uppgiften, för installationer utan meddelandekö). "
        "En kanal och ett halvår ger en ögonblicksbild, hur många gånger kommandot än körs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--channel", type=int, help="Bara kanalen med detta id.")
        parser.add_argument(
            "--now",
            help="Tidpunkten att räkna halvåret från, ISO 8601 med tidszon "
            "(t.ex. 2026-07-01T02:00:00+02:00); som standard nu.",
        )

    def handle(self, *args, **options):
        now = None
        if options["now"]:
            now = _parse_moment(options["now"])
        channel = None
        if options["channel"] is not None:
            channel = Channel.objects.filter(pk=options["channel"]).first()
            if channel is None:
                raise CommandError(f"Det finns ingen kanal med id {options['channel']}.")
        runs = services.schedule_half_year_snapshots(now, channel=channel)
        self.stdout.write(f"{len(runs)} ögonblicksbilder beställda eller redan tagna.")


def _parse_moment(value: str) -> datetime.datetime:
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise CommandError("Ange --now i ISO 8601 med tidszon, t.ex. 2026-07-01T02:00:00+02:00.")
    return moment
