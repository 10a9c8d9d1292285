from django.core.management.base import BaseCommand

from moderation.services import platform_actions


class Command(BaseCommand):
    help = (
        "Utför på plattformarna de beslut som väntar och vars nästa försök är inne (samma som "
        "Celery-uppgiften varje minut)."
    )

    def handle(self, *args, **options):
        tried = platform_actions.carry_out_due_actions()
        self.stdout.write(f"{tried} åtgärder försökta.")
