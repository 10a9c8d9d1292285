from django.core.management.base import BaseCommand

from moderation.services import pulls


class Command(BaseCommand):
    help = (
        "Lämnar en hämtning för varje ansluten kanal vars nästa hämtning är inne till kön och "
        "skickar e-post om brutna anslutningar (samma som Celery-uppgiften varje minut)."
    )

    def handle(self, *args, **options):
        handed = pulls.pull_due_connections()
        self.stdout.write(f"{handed} hämtningar köade.")
