from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from moderation.services import statistics


class Command(BaseCommand):
    help = (
        "Räknar om statistiken över svarstider per kanal, verksamhet och månad för i år (i "
        "januari även för förra året), eller för de år som anges. Fyller samtidigt i "
        "svarstiden i arbetstid för hanterade inlägg som saknar den."
    )

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, help="till exempel 2026")

    def handle(self, *args, years, **options):
        now = timezone.now()
        if any(year < 2000 or year > 2100 for year in years):
            raise CommandError("Ange år mellan 2000 och 2100.")
        for year in years or statistics.years_to_refresh(now):
            rows = statistics.refresh_statistics(year, now=now)
            self.stdout.write(f"{year}: {rows} rader statistik")
