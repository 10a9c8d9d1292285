import datetime
from io import StringIO

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from activityplans import services
from activityplans.models import Credential
from atvida_social.organisation.encryption import DecryptionError, stored_tokens
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.models import AuditLogEntry

pytestmark = pytest.mark.django_db

SECRET = "Hemligt-Lösen-7731"


@pytest.fixture
def credential(approved, alice):
    return services.save_credential(
        approved,
        by=alice,
        username="bibblan.atvidaberg",
        password=SECRET,
        recovery_notes="Koder: 1111-2222",
        expires_on=datetime.date(2026, 12, 13),
    )


def _stored(credential):
    return next(iter(stored_tokens(Credential.objects.filter(pk=credential.pk), ("password",))))[1]


def test_secrets_are_encrypted_at_rest(credential):
    token = _stored(credential)

    assert SECRET not in token
    assert token.startswith("gAAAA")
    assert Credential.objects.get(pk=credential.pk).password == SECRET


def test_wrong_key_raises_a_clear_error_never_ciphertext(credential):
    with (
        override_settings(CREDENTIAL_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(DecryptionError, match="cannot be decrypted"),
    ):
        Credential.objects.get(pk=credential.pk)


def test_missing_key_refuses_to_encrypt(approved, alice):
    with (
        override_settings(CREDENTIAL_KEYS=[]),
        pytest.raises(ImproperlyConfigured, match="CREDENTIAL_KEYS"),
    ):
        services.save_credential(approved, by=alice, username="u", password="p")


def test_rotation_re_encrypts_under_the_newest_key(credential, settings):
    old = list(settings.CREDENTIAL_KEYS)
    new = Fernet.generate_key().decode()
    before = _stored(credential)

    with override_settings(CREDENTIAL_KEYS=[new, *old]):
        call_command("rotate_credential_keys", stdout=StringIO())
    with override_settings(CREDENTIAL_KEYS=[new]):
        fresh = Credential.objects.get(pk=credential.pk)

    assert _stored(credential) != before
    assert fresh.password == SECRET
    assert fresh.recovery_notes == "Koder: 1111-2222"


def test_only_named_account_owners_hand_over_the_login(approved, bob):
    with pytest.raises(PermissionDeniedError):
        services.save_credential(approved, by=bob, username="u", password="p")


def test_login_is_handed_over_only_after_approval(plan, alice):
    from activityplans.exceptions import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        services.save_credential(plan, by=alice, username="u", password="p")


def test_reveal_needs_information_unit_and_a_reason(credential, ingrid, alice):
    with pytest.raises(PermissionDeniedError):
        services.reveal_credential(credential, by=alice, reason="Behöver den")

    services.reveal_credential(credential, by=ingrid, reason="Kontot ska lämnas över")

    entry = AuditLogEntry.objects.get(action="credential_revealed")
    assert entry.actor == ingrid
    assert entry.details == {"reason": "Kontot ska lämnas över"}


def test_reveal_page_shows_the_secret_once_and_logs_it(client, credential, ingrid):
    client.force_login(ingrid)
    url = f"/aktivitetsplaner/inloggningsuppgifter/{credential.pk}/visa/"

    form = client.get(url).content.decode()
    refused = client.post(url, {"reason": ""}).content.decode()
    shown = client.post(url, {"reason": "Byte av administratör"})

    assert SECRET not in form
    assert SECRET not in refused
    assert SECRET in shown.content.decode()
    assert "no-cache" in shown["Cache-Control"]
    assert AuditLogEntry.objects.filter(action="credential_revealed").count() == 1


def test_unit_staff_cannot_reach_the_reveal_page(client, credential, alice):
    client.force_login(alice)

    assert (
        client.get(f"/aktivitetsplaner/inloggningsuppgifter/{credential.pk}/visa/").status_code
        == 403
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 11, 29), 1),  # two weeks before
        (datetime.date(2026, 12, 13), 1),  # on the day
        (datetime.date(2026, 12, 1), 0),
    ],
)
def test_expiry_reminders_two_weeks_before_and_on_the_day(credential, today, expected):
    mail.outbox.clear()

    services.notify_expiring_credentials(today=today)

    subjects = {message.subject for message in mail.outbox}
    assert len(subjects) == expected


def test_expiry_reminder_reaches_account_owners_and_information_unit_once_each(
    credential, alice, dan, ingrid
):
    mail.outbox.clear()

    with time_machine.travel(datetime.datetime(2026, 11, 29, 7, tzinfo=datetime.UTC)):
        call_command("notify_expiring_credentials", stdout=StringIO())

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([alice.email, dan.email, ingrid.email])
    assert all(SECRET not in message.subject + message.body for message in mail.outbox)
