from django.core.management.base import BaseCommand

from moderation import services


class Command(BaseCommand):
    help = (
        "Rensar texten i inlägg som tagits bort för regelbrott när bevarandetiden "
        "(REMOVED_TEXT_RETENTION_DAYS) har gått ut. Beslut, kategori och regel finns kvar."
    )

    def handle(self, *args, **options):
        count = services.purge_removed_texts()
        self.stdout.write(f"Rensade texter: {count}")
