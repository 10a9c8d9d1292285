from django.core.management.base import BaseCommand, CommandError

from archiving import services


class Command(BaseCommand):
    help = (
        "Kontrollerar hela arkivet: räknar om kontrollsumman (SHA-256) för varje arkiverad fil "
        "och jämför med den som sparades. Avvikelser mejlas till informationsenheten. "
        "Samma kontroll som schemat gör varje månad."
    )

    def handle(self, *args, **options):
        check = services.check_archive()
        self.stdout.write(
            f"Kontrollerade filer: {check.files_checked}. Avvikelser: {check.problems}."
        )
        if check.problems:
            raise CommandError("Avvikelser hittades; se sidan Kontroller i arkivet.")
