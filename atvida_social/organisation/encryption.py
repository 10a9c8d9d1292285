"""Secrets at rest: a text field encrypted with Fernet keys from the environment.

CREDENTIAL_KEYS holds one or more Fernet keys, newest first: the newest encrypts, all of
them decrypt, so a key can be rotated (`manage.py rotate_credential_keys`). A missing or wrong
key raises `DecryptionError`; the field never hands out ciphertext or an empty value instead.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class DecryptionError(Exception):
    """The stored secret cannot be decrypted with any configured key."""


@lru_cache(maxsize=4)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("CREDENTIAL_KEYS is empty: secrets cannot be encrypted.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            f"CREDENTIAL_KEYS holds an invalid Fernet key: {error}"
        ) from error


def fernet() -> MultiFernet:
    return _multifernet(tuple(settings.CREDENTIAL_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError(
            "A stored secret cannot be decrypted with the configured CREDENTIAL_KEYS."
        ) from error


def rotate(token: str) -> str:
    """Re-encrypt under the newest key."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("A stored secret cannot be decrypted for rotation.") from error


class Ciphertext(str):
    """A token already encrypted, stored as it is (used when re-encrypting in place)."""


class EncryptedTextField(models.TextField):
    """Stores Fernet tokens; Python code only ever sees the plain text."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        if isinstance(value, Ciphertext):
            return str(value)
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


def stored_tokens(queryset, fields: tuple[str, ...]):
    """(pk, token, token, …) rows as stored, without decrypting."""
    casts = {f"_raw_{name}": models.functions.Cast(name, models.TextField()) for name in fields}
    return queryset.annotate(**casts).values_list("pk", *casts)
