from django.core.management.base import BaseCommand

from archiving.services import reconcile_snapshot_runs


class Command(BaseCommand):
    help = (
        "Lämnar till arbetarna igen det som saknas i ögonblicksbilder som inte kommit vidare, "
        "och markerar dem som misslyckade efter SNAPSHOT_MAX_HANDOVERS försök (samma som den "
        "periodiska uppgiften reconcile_snapshot_runs)."
    )

    def handle(self, *args, **options):
        counts = reconcile_snapshot_runs()
        self.stdout.write(
            f"{counts['handed_over']} ögonblicksbilder lämnade igen, "
            f"{counts['failed']} markerade som misslyckade."
        )
