from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from activityplans.models import Credential
from atvida_social.organisation.encryption import (
    Ciphertext,
    DecryptionError,
    rotate,
    stored_tokens,
)

SECRET_FIELDS = ("username", "password", "recovery_notes")


class Command(BaseCommand):
    help = (
        "Krypterar om alla inloggningsuppgifter med den nyaste nyckeln i CREDENTIAL_KEYS. "
        "Kör efter att en ny nyckel lagts först i listan; ta sedan bort den gamla."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        count = 0
        for pk, *tokens in stored_tokens(Credential.objects.all(), SECRET_FIELDS):
            try:
                rotated = {
                    name: Ciphertext(rotate(token))
                    for name, token in zip(SECRET_FIELDS, tokens, strict=True)
                    if token
                }
            except DecryptionError as error:
                raise CommandError(f"Inloggningsuppgift {pk}: {error}") from error
            Credential.objects.filter(pk=pk).update(**rotated)
            count += 1
        self.stdout.write(f"{count} inloggningsuppgifter krypterade med den nyaste nyckeln.")
