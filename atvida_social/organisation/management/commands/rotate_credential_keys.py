from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from atvida_social.organisation.encryption import (
    Ciphertext,
    DecryptionError,
    EncryptedTextField,
    rotate,
    stored_tokens,
)


def encrypted_models():
    """Every model with secrets at rest (account logins, webhook secrets, ...), and its
    encrypted fields: an app that adds one is rotated without being named here."""
    for model in apps.get_models():
        fields = tuple(
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField)
        )
        if fields:
            yield model, fields


class Command(BaseCommand):
    help = (
        "Krypterar om alla hemligheter (inloggningsuppgifter, webhookhemligheter) med den "
        "nyaste nyckeln i CREDENTIAL_KEYS. Kör efter att en ny nyckel lagts först i listan; "
        "ta sedan bort den gamla."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        for model, fields in encrypted_models():
            count = 0
            for pk, *tokens in stored_tokens(model.objects.all(), fields):
                try:
                    rotated = {
                        name: Ciphertext(rotate(token))
                        for name, token in zip(fields, tokens, strict=True)
                        if token
                    }
                except DecryptionError as error:
                    raise CommandError(
                        f"{model._meta.verbose_name.capitalize()} {pk}: {error}"
                    ) from error
                model.objects.filter(pk=pk).update(**rotated)
                count += 1
            self.stdout.write(
                f"{count} {model._meta.verbose_name_plural} krypterade med den nyaste nyckeln."
            )
