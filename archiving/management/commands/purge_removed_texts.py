from django.core.management.base import BaseCommand, CommandError

from archiving.culling import services as culling
from atvida_social.organisation.exceptions import DomainError


class Command(BaseCommand):
    help = (
        "Rensar texten i inlägg som tagits bort för regelbrott när bevarandetiden "
        "(REMOVED_TEXT_RETENTION_DAYS) har gått ut, enligt beslutet om gallring, och skriver "
        "det i gallringsloggen. Inlägg med gallringsstopp, polisanmälan, diarienummer eller "
        "sekretess, och inlägg som ingår i ett ärende, rensas inte. Beslut, kategori och regel "
        "finns kvar. Den nattliga gallringen (manage.py cull_items) rensar också."
    )

    def handle(self, *args, **options):
        try:
            record = culling.purge_removed_texts(job="manage.py purge_removed_texts")
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"Rensade texter: {record.purged_texts if record else 0}")
