from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from atvida_social.organisation.demo import DEMO_PASSWORD
from atvida_social.organisation.models import Administration, Unit, User
from atvida_social.organisation.roles import Role

# seed_demo fills the embedded default for `make run` (it refuses to run with DEBUG off).
pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def _seed() -> str:
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def _snapshot():
    return (
        sorted(Administration.objects.values_list("name", flat=True)),
        sorted(Unit.objects.values_list("name", "is_confidential")),
        sorted(User.objects.values_list("username", "unit__name", "email")),
        sorted(User.objects.values_list("username", "groups__name")),
    )


def test_seed_demo_builds_an_atvidaberg_like_organisation():
    _seed()

    assert Administration.objects.count() == 5
    assert Administration.objects.filter(name="Kommunledningsförvaltningen").exists()
    assert Unit.objects.filter(name="Informationsenheten").exists()
    assert 10 <= Unit.objects.count() <= 14
    assert Unit.objects.filter(is_confidential=True).exists()


def test_seed_demo_makes_one_user_per_role_who_can_log_in(client):
    output = _seed()

    for role in Role:
        holder = User.objects.filter(groups__name=role).first()
        assert holder is not None, role
        response = client.post(
            "/logga-in/", {"username": holder.username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, holder.username
        client.post("/logga-ut/")
        assert holder.username in output
    assert DEMO_PASSWORD in output


def test_seed_demo_twice_gives_the_same_result():
    _seed()
    first = _snapshot()

    _seed()

    assert _snapshot() == first


def test_seed_demo_refuses_to_run_without_debug():
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not Unit.objects.exists()


def test_role_groups_exist_with_their_permissions():
    names = set(Group.objects.values_list("name", flat=True))
    info = Group.objects.get(name=Role.INFORMATION_UNIT)

    assert {str(role) for role in Role} <= names
    assert info.permissions.filter(codename="view_auditlogentry").exists()
    assert (
        not Group.objects.get(name=Role.MANAGER)
        .permissions.filter(codename="view_auditlogentry")
        .exists()
    )


def test_seed_demo_fills_the_register_with_channels_parties_and_history():
    from channels.models import Channel, PartyLink, Platform, RegisterVersion

    _seed()

    assert Channel.objects.count() >= 15
    assert set(Channel.objects.values_list("platform", flat=True)) == set(Platform.values)
    assert Channel.objects.filter(status="planerad").exists()
    assert Channel.objects.filter(status="avslutad").exists()
    assert PartyLink.objects.count() == 4
    assert RegisterVersion.objects.count() == 2


def test_seed_demo_puts_activity_plans_in_every_state():
    from activityplans.models import ActivityPlan
    from activityplans.workflow import PlanStatus

    _seed()

    assert set(ActivityPlan.objects.values_list("status", flat=True)) == set(PlanStatus.values)
    assert not mail.outbox


def test_seed_demo_shows_its_items_in_the_statistics_at_once(client):
    from moderation.models import Item

    _seed()
    client.force_login(User.objects.get(username="info"))

    page = client.get("/moderering/statistik/").content.decode()

    assert Item.objects.exists()
    assert "Siffrorna beräknades" in page  # not the empty year the hourly job would fill
