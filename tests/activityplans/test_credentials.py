import datetime
from io import StringIO

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client, override_settings
from django.views.debug import ExceptionReporter

from activityplans import services
from activityplans.models import Credential
from atvida_social.organisation.encryption import DecryptionError, stored_tokens
from atvida_social.organisation.exceptions import IncorrectPassword, PermissionDeniedError
from atvida_social.organisation.models import AuditLogEntry
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

SECRET = "Hemligt-Lösen-7731"
ADDRESS = "192.0.2.30"


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
        services.reveal_credential(
            credential, by=alice, reason="Behöver den", password=TEST_PASSWORD
        )

    services.reveal_credential(
        credential, by=ingrid, reason="Kontot ska lämnas över", password=TEST_PASSWORD
    )

    entry = AuditLogEntry.objects.get(action="credential_revealed")
    assert entry.actor == ingrid
    assert entry.details == {"reason": "Kontot ska lämnas över"}


def test_reveal_asks_for_the_password_again_and_keeps_it_out_of_the_audit_log(credential, ingrid):
    wrong = "Fel-lösen-for-ingrid-881"

    with pytest.raises(IncorrectPassword):
        services.reveal_credential(credential, by=ingrid, reason="Byte", password=wrong)

    failed = AuditLogEntry.objects.get(action="credential_reveal_failed")
    assert failed.details == {"reason": "Byte"}
    assert not AuditLogEntry.objects.filter(action="credential_revealed").exists()
    logged = " ".join(str(e.details) for e in AuditLogEntry.objects.all())
    assert "Byte" in logged  # the check sees what the audit log holds
    assert wrong not in logged
    assert TEST_PASSWORD not in logged


def test_reveal_page_shows_the_secret_once_and_logs_it(client, credential, ingrid):
    client.force_login(ingrid)
    url = f"/aktivitetsplaner/inloggningsuppgifter/{credential.pk}/visa/"

    form = client.get(url).content.decode()
    refused = client.post(url, {"reason": "", "password": TEST_PASSWORD}).content.decode()
    shown = client.post(url, {"reason": "Byte av administratör", "password": TEST_PASSWORD})

    assert SECRET not in form
    assert SECRET not in refused
    assert SECRET in shown.content.decode()
    assert "no-cache" in shown["Cache-Control"]
    assert AuditLogEntry.objects.filter(action="credential_revealed").count() == 1


def test_reveal_page_refuses_a_wrong_password_and_shows_nothing(client, credential, ingrid):
    client.force_login(ingrid)
    url = f"/aktivitetsplaner/inloggningsuppgifter/{credential.pk}/visa/"

    response = client.post(url, {"reason": "Byte av administratör", "password": "fel"})

    assert response.status_code == 200
    assert "Lösenordet stämmer inte" in response.content.decode()
    assert SECRET not in response.content.decode()
    assert not AuditLogEntry.objects.filter(action="credential_revealed").exists()


def test_five_wrong_reveal_passwords_lock_out_revealing_and_logging_in(client, credential, ingrid):
    client.force_login(ingrid)
    url = f"/aktivitetsplaner/inloggningsuppgifter/{credential.pk}/visa/"
    for _ in range(5):
        client.post(url, {"reason": "Byte", "password": "fel"}, REMOTE_ADDR=ADDRESS)

    right = client.post(url, {"reason": "Byte", "password": TEST_PASSWORD}, REMOTE_ADDR=ADDRESS)
    login = Client().post(
        "/logga-in/", {"username": "ingrid", "password": TEST_PASSWORD}, REMOTE_ADDR=ADDRESS
    )

    assert right.status_code == 429
    assert "För många felaktiga lösenord" in right.content.decode()
    assert SECRET not in right.content.decode()
    assert login.status_code == 429


def test_reveal_password_never_appears_in_an_error_report(client, credential, ingrid):
    client.force_login(ingrid)
    url = f"/aktivitetsplaner/inloggningsuppgifter/{credential.pk}/visa/"

    response = client.post(url, {"reason": "Byte", "password": TEST_PASSWORD, "extra": "synligt"})
    text = ExceptionReporter(response.wsgi_request, None, None, None).get_traceback_text()

    assert "synligt" in text  # the report does show the POST data
    assert TEST_PASSWORD not in text


def test_reveal_form_page_decrypts_nothing(client, credential, ingrid):
    client.force_login(ingrid)

    with override_settings(CREDENTIAL_KEYS=[Fernet.generate_key().decode()]):
        response = client.get(f"/aktivitetsplaner/inloggningsuppgifter/{credential.pk}/visa/")

    assert response.status_code == 200


def test_credential_edit_page_decrypts_no_secret_it_does_not_show(client, credential, alice):
    client.force_login(alice)

    with override_settings(CREDENTIAL_KEYS=[Fernet.generate_key().decode()]):
        response = client.get(f"/aktivitetsplaner/{credential.plan_id}/inloggning/")

    assert response.status_code == 200
    assert "Uppgifter lämnades senast" in response.content.decode()
    assert SECRET not in response.content.decode()


def test_a_login_no_key_decrypts_any_more_can_be_handed_over_anew(credential, approved, alice):
    new_key = Fernet.generate_key().decode()

    with override_settings(CREDENTIAL_KEYS=[new_key]):
        services.save_credential(approved, by=alice, username="nytt.namn", password="Nytt-lösen")
        fresh = Credential.objects.get(pk=credential.pk)

    assert fresh.password == "Nytt-lösen"
    assert AuditLogEntry.objects.filter(action="credential_replaced").exists()


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
