"""A stored password appears on no page, list, admin view, e-mail, PDF or log line;
only the reveal page shows it, to Informationsenheten, after a reason.

A PDF is searched in its extracted text (its bytes are compressed: a secret in them is not
found by a byte search), and the mails searched are those sent after the login was stored.
"""

import datetime
import io
import logging

import pytest
from django.core import mail
from django.urls import NoReverseMatch, get_resolver, reverse
from pypdf import PdfReader

from activityplans import pdf, services
from channels import services as channel_services
from tests.factories import TEST_PASSWORD, PartyLinkFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Hemligt-Lösen-7731"
RECOVERY = "Återställ-9911"


@pytest.fixture
def world(plan, alice, bob, dan, ingrid, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_plan(plan, by=alice)
        for signer in (bob, alice, dan):
            services.sign_plan(plan, by=signer, password=TEST_PASSWORD)
        services.start_review(plan, by=ingrid)
        services.approve_plan(plan, by=ingrid)
    plan.refresh_from_db()
    credential = services.save_credential(
        plan,
        by=alice,
        username="bibblan.login",
        password=SECRET,
        recovery_notes=RECOVERY,
        expires_on=datetime.date(2026, 12, 13),
    )
    link = PartyLinkFactory()
    version = channel_services.publish_register(by=ingrid)
    return {"plan": plan, "credential": credential, "version": version, "link": link}


def _takes_no_args(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def _urls(world) -> dict[str, str]:
    plan, credential, version = world["plan"], world["credential"], world["version"]
    link = world["link"]
    args = {
        "party-edit": [link.party_id],
        "party-link-create": [link.party_id],
        "party-link-edit": [link.party_id, link.pk],
        "party-link-delete": [link.party_id, link.pk],
        "plan-detail": [plan.pk],
        "plan-edit": [plan.pk],
        "plan-sign": [plan.pk],
        "plan-pdf": [plan.pk],
        "credential-edit": [plan.pk],
        "credential-reveal": [credential.pk],
        "channel-detail": [plan.channel_id],
        "channel-edit": [plan.channel_id],
        "unit-detail": [plan.unit_id],
        "version-detail": [version.number],
        "version-json": [version.number],
        "version-csv": [version.number],
        "version-compare": [version.number, version.number],
    }
    urls = {}
    resolver = get_resolver()
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        if namespace == "admin":
            continue
        for name in sub.reverse_dict:
            if isinstance(name, str):
                urls[f"{namespace}:{name}"] = args.get(name)
    for name in resolver.reverse_dict:
        if isinstance(name, str):
            urls[name] = args.get(name)
    # Every other route with an argument takes the plan's id (the POST-only plan actions).
    built = {
        name: reverse(name, args=a or ([] if _takes_no_args(name) else [plan.pk]))
        for name, a in urls.items()
    }
    credential_admin = f"/admin/activityplans/credential/{credential.pk}/change/"
    built |= {
        "admin-index": "/admin/",
        "admin-credentials": "/admin/activityplans/credential/",
        "admin-credential": credential_admin,
        "admin-audit": "/admin/organisation/auditlogentry/",
    }
    return built


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _readable(response) -> str:
    """What a person reading the answer sees: a PDF's text, or the page."""
    if response.get("Content-Type", "").startswith("application/pdf"):
        return _pdf_text(response.getvalue())
    return response.getvalue().decode("utf-8", errors="replace")


def test_secret_is_on_no_page_for_any_role(client, world, alice, bob, dan, ingrid, carol, caplog):
    caplog.set_level(logging.DEBUG)
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    urls = _urls(world)
    checked = 0
    for user in [None, alice, bob, dan, ingrid, carol, superuser]:
        client.logout()
        if user is not None:
            client.force_login(user)
        for name, url in urls.items():
            response = client.get(url)
            body = _readable(response)
            assert SECRET not in body, (user, name, url)
            assert RECOVERY not in body, (user, name, url)
            checked += 1
    assert checked > 100
    assert SECRET not in caplog.text


def test_the_page_check_sees_the_secret_where_it_is_shown(client, world, ingrid):
    """The reveal page, read the same way, does show it: the check above can fail."""
    client.force_login(ingrid)
    url = reverse("activityplans:credential-reveal", args=[world["credential"].pk])

    response = client.post(url, {"reason": "Kontot är kapat.", "password": TEST_PASSWORD})

    assert SECRET in _readable(response)


def test_secret_is_in_no_pdf(world):
    plan = world["plan"]
    with plan.approved_pdf.open("rb") as stored:
        approved = _pdf_text(stored.read())
    rendered_now = _pdf_text(pdf.render_plan_pdf(plan))

    assert plan.account_name in rendered_now
    assert SECRET not in approved
    assert SECRET not in rendered_now
    assert RECOVERY not in rendered_now


def test_the_pdf_check_sees_a_secret_that_is_in_the_pdf(world):
    """The same reading finds the secret once it is in the plan's text, though a byte search
    of the compressed PDF would not."""
    plan = world["plan"]
    plan.other = f"Lösenordet är {SECRET}"

    data = pdf.render_plan_pdf(plan)

    assert SECRET in _pdf_text(data)


def test_secret_is_in_no_mail_sent_after_it_was_stored(
    world, alice, bob, dan, ingrid, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    # Mails that concern the channel once its login exists: a revision to sign, and the
    # expiry reminders that link to the login page.
    with django_capture_on_commit_callbacks(execute=True):
        revision = services.start_revision(world["plan"], by=alice)
        services.submit_plan(revision, by=alice)
    services.notify_expiring_credentials(today=datetime.date(2026, 12, 13))

    sent = [
        "\n".join(
            [m.subject, m.body, *(str(alt[0]) for alt in getattr(m, "alternatives", []))]
            + [f"{key}: {value}" for key, value in m.extra_headers.items()]
        )
        for m in mail.outbox
    ]
    assert any("väntar på din underskrift" in text for text in sent)
    assert any("löper ut" in text for text in sent)
    for text in sent:
        assert SECRET not in text
        assert RECOVERY not in text
