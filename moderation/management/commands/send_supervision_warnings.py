from django.core.management.base import BaseCommand

from moderation.services import supervision


class Command(BaseCommand):
    help = (
        "Skickar e-post till den dagliga driften, eller till ersättaren under en frånvaro, om "
        "inlägg vars svarstid snart går ut och om kanaler vars tillsyn är försenad; en gång "
        "per händelse (samma som Celery-uppgiften var femtonde minut)."
    )

    def handle(self, *args, **options):
        sent = supervision.send_supervision_warnings()
        self.stdout.write(f"{sent} varningar skickade.")
