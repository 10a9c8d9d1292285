import sys
from getpass import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from channels.models import Channel
from moderation.services import ingest


class Command(BaseCommand):
    help = (
        "Sparar appens hemlighet för en kanals webhook (läses från standard in, inte från "
        "kommandoraden) och skapar en ny verifieringstoken, som skrivs ut sist."
    )

    def add_arguments(self, parser):
        parser.add_argument("channel_id", type=int, help="Kanalens id.")

    def handle(self, *args, channel_id, **options):
        channel = Channel.objects.filter(pk=channel_id).first() if channel_id > 0 else None
        if channel is None:
            raise CommandError(f"Det finns ingen kanal med id {channel_id}.")
        # Not an argument: a secret on the command line ends up in the shell's history.
        secret = getpass("Appens hemlighet: ") if sys.stdin.isatty() else sys.stdin.readline()
        try:
            subscription = ingest.save_webhook_subscription(channel, app_secret=secret)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Webbadress: /api/v1/webhook/{channel.pk}/ – verifieringstoken: "
            f"{subscription.verify_token}"
        )
