"""A stored password appears on no page, list, admin view, e-mail, PDF or log line;
only the reveal page shows it, to Informationsenheten, after a reason."""

import logging

import pytest
from django.core import mail
from django.urls import NoReverseMatch, get_resolver, reverse

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
        plan, by=alice, username="bibblan.login", password=SECRET, recovery_notes=RECOVERY
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
            body = response.getvalue().decode("utf-8", errors="replace")
            assert SECRET not in body, (user, name, url)
            assert RECOVERY not in body, (user, name, url)
            checked += 1
    assert checked > 100
    assert SECRET not in caplog.text


def test_secret_is_in_no_mail_and_no_pdf(world):
    mail_text = "".join(m.subject + m.body for m in mail.outbox)
    pdf_bytes = pdf.render_plan_pdf(world["plan"])

    assert mail.outbox
    assert SECRET not in mail_text
    assert SECRET.encode() not in pdf_bytes
