"""Changes made through the admin, inline rows included, reach the audit log like any other
change: who added, changed or deleted which row, and which fields."""

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory

from atvida_social.organisation.admin import AuditedAdminMixin
from atvida_social.organisation.models import AuditLogEntry
from channels.models import PartyLink
from tests.factories import PartyFactory, PartyLinkFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client, information_unit):
    user = UserFactory(username="sven", unit=information_unit, is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def party():
    return PartyFactory(name="Miljöpartiet", term_start=2022, term_end=2026)


def party_form(party, links, *, initial: int) -> dict:
    """The Party change form as the admin posts it, with `links` as the inline rows."""
    data = {
        "name": party.name,
        "is_represented": "on",
        "term_start": party.term_start,
        "term_end": party.term_end,
        "links-TOTAL_FORMS": len(links),
        "links-INITIAL_FORMS": initial,
        "links-MIN_NUM_FORMS": 0,
        "links-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(links):
        for key, value in row.items():
            data[f"links-{index}-{key}"] = value
        data[f"links-{index}-party"] = party.pk
    return data


def post_party(client, party, links, *, initial: int):
    return client.post(
        f"/admin/channels/party/{party.pk}/change/", party_form(party, links, initial=initial)
    )


def link_entries():
    return AuditLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PartyLink)
    ).order_by("pk")


def test_inline_row_added_through_admin_is_audited_with_its_fields(client, superuser, party):
    response = post_party(
        client,
        party,
        [{"id": "", "platform": "facebook", "url": "https://www.facebook.com/mp.atvidaberg"}],
        initial=0,
    )

    assert response.status_code == 302
    link = PartyLink.objects.get(party=party)
    [entry] = link_entries()
    assert entry.action == "admin_added"
    assert entry.actor == superuser
    assert entry.object_id == str(link.pk)
    assert sorted(entry.details["fields"]) == ["platform", "url"]
    assert entry.details["parent"] == {
        "model": "channels.party",
        "id": str(party.pk),
        "repr": "Miljöpartiet",
    }


def test_inline_row_changed_through_admin_is_audited_with_the_changed_fields(
    client, superuser, party
):
    link = PartyLinkFactory(party=party, url="https://www.facebook.com/mp.gammal")

    response = post_party(
        client,
        party,
        [{"id": link.pk, "platform": "facebook", "url": "https://www.facebook.com/mp.ny"}],
        initial=1,
    )

    assert response.status_code == 302
    [entry] = link_entries()
    assert entry.action == "admin_changed"
    assert entry.object_id == str(link.pk)
    assert entry.details["fields"] == ["url"]


def test_inline_row_deleted_through_admin_is_audited_with_its_id(client, superuser, party):
    link = PartyLinkFactory(party=party)
    link_pk, link_repr = link.pk, str(link)

    response = post_party(
        client,
        party,
        [{"id": link.pk, "platform": link.platform, "url": link.url, "DELETE": "on"}],
        initial=1,
    )

    assert response.status_code == 302
    assert not PartyLink.objects.filter(pk=link_pk).exists()
    [entry] = link_entries()
    assert entry.action == "admin_deleted"
    assert entry.object_id == str(link_pk)
    assert entry.object_repr == link_repr
    assert entry.actor == superuser


def test_unchanged_inline_rows_leave_no_entry_of_their_own(client, superuser, party):
    link = PartyLinkFactory(party=party)

    post_party(
        client, party, [{"id": link.pk, "platform": link.platform, "url": link.url}], initial=1
    )

    assert not link_entries().exists()


def test_refused_inline_change_is_neither_saved_nor_audited(client, superuser, party):
    """One invalid row (an address off the platform's domain) refuses the whole form: the
    deletion in the same post does not happen and nothing reaches the log."""
    kept = PartyLinkFactory(party=party)

    response = post_party(
        client,
        party,
        [
            {"id": kept.pk, "platform": kept.platform, "url": kept.url, "DELETE": "on"},
            {"id": "", "platform": "facebook", "url": "https://example.com/inte-facebook"},
        ],
        initial=1,
    )

    assert response.status_code == 200
    assert PartyLink.objects.filter(pk=kept.pk).exists()
    assert not AuditLogEntry.objects.filter(action__startswith="admin_").exists()


def test_change_of_the_object_itself_through_admin_is_audited(client, superuser):
    unit = UnitFactory(name="Biblioteket")

    client.post(
        f"/admin/organisation/unit/{unit.pk}/change/",
        {"name": "Stadsbiblioteket", "administration": unit.administration_id},
    )

    [entry] = AuditLogEntry.objects.filter(action="admin_changed")
    assert entry.object_id == str(unit.pk)
    assert entry.details["fields"] == ["name"]


def test_change_of_a_roles_permissions_through_admin_is_audited(client, superuser):
    role = Group.objects.get_or_create(name="Daglig drift")[0]
    permission = Permission.objects.get(codename="view_channel")

    response = client.post(
        f"/admin/auth/group/{role.pk}/change/",
        {
            "name": role.name,
            "permissions": [p.pk for p in role.permissions.all()] + [permission.pk],
        },
    )

    assert response.status_code == 302
    [entry] = AuditLogEntry.objects.filter(action="admin_changed")
    assert entry.object_repr == "Daglig drift"
    assert entry.details["fields"] == ["permissions"]


def test_lifting_a_lockout_through_admin_is_audited(client, superuser):
    attempt = AccessAttempt.objects.create(
        username="alice", ip_address="10.0.0.7", failures_since_start=5, get_data="", post_data=""
    )

    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    [entry] = AuditLogEntry.objects.filter(action="admin_deleted")
    assert entry.object_id == str(attempt.pk)
    assert entry.actor == superuser


def test_every_admin_that_can_change_data_is_audited(superuser):
    """A new admin (moderation's, archiving's) that can add, change or delete fails here
    until it uses the audited mixin."""
    request = RequestFactory().get("/admin/")
    request.user = superuser

    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
        and not isinstance(model_admin, AuditedAdminMixin)
    ]

    assert unaudited == []
