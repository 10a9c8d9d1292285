from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from atvida_social.organisation.exceptions import DomainError
from channels.models import Channel
from moderation.services import ingest


class Command(BaseCommand):
    help = (
        "Skapar en API-nyckel för en kanal (POST /api/v1/ingest). Nyckeln skrivs ut sist och "
        "visas bara nu: bara dess hash sparas."
    )

    def add_arguments(self, parser):
        parser.add_argument("channel_id", type=int, help="Kanalens id.")
        parser.add_argument("--label", default="", help="Vad nyckeln används till.")

    def handle(self, *args, channel_id, label, **options):
        channel = Channel.objects.filter(pk=channel_id).first() if channel_id > 0 else None
        if channel is None:
            raise CommandError(f"Det finns ingen kanal med id {channel_id}.")
        try:
            _token, secret = ingest.create_ingest_token(channel, label=label)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except DomainError as error:  # a planned or closed channel
            raise CommandError(str(error.message)) from error
        # The secret is the last word of the output, so that scripts can take it with `tail`.
        self.stdout.write(f"API-nyckel för {channel}: {secret}")
