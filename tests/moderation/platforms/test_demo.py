"""The demo platform's Django side (moderation/platforms/demo.py): `seed_demo` connects the
active demo channels to the simulator and writes the seed the server applies; runall starts
the server when PLATFORM_SIMULATOR_URL names this machine."""

import datetime
import json
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from atvida_social.scheduling.processes import registered_processes
from channels.models import Channel
from moderation.models import PlatformConnection
from moderation.platforms import demo, registry
from moderation.platforms.simulator.seeding import apply_seed, read_seed_file
from moderation.platforms.simulator.state import SimulatorState

from .sim_fake import module_for

SIMULATOR = "http://127.0.0.1:8765"
VAR = Path("/srv/atvida/var")


@pytest.fixture
def facebook_connectable(monkeypatch):
    """Facebook alone has a connector (the test's own), and the simulator a Facebook."""
    monkeypatch.setattr(
        registry,
        "CONNECTORS",
        {"facebook": "tests.moderation.platforms.sim_fake.FakeConnector"},
    )
    monkeypatch.setitem(
        sys.modules, "moderation.platforms.facebook.simulator", module_for("facebook")
    )


def _seed(tmp_path, url=SIMULATOR) -> str:
    out = StringIO()
    with override_settings(DEBUG=True, PLATFORM_SIMULATOR_URL=url, VAR_DIR=tmp_path):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def _connections():
    return {
        connection.channel_id: (connection.account_id, json.loads(connection.credentials))
        for connection in PlatformConnection.objects.all()
    }


@pytest.mark.django_db
@pytest.mark.embedded
def test_seed_demo_connects_each_active_channel_whose_platform_has_a_connector(
    tmp_path, facebook_connectable
):
    output = _seed(tmp_path)

    active = Channel.objects.filter(platform="facebook", status="aktiv")
    assert active.count() >= 2
    assert set(_connections()) == set(active.values_list("pk", flat=True))
    entries = read_seed_file(tmp_path / "simulator-demo.json")
    assert {(entry.platform, entry.account) for entry in entries} == {
        (connection.platform, connection.account_id)
        for connection in PlatformConnection.objects.all()
    }
    for entry in entries:
        connection = PlatformConnection.objects.get(account_id=entry.account)
        assert json.loads(connection.credentials) == {"page_token": entry.token}
        assert entry.token.startswith("demo-")
    assert f"{len(entries)} kanaler anslutna till simulatorn" in output
    assert (tmp_path / "simulator-demo.json").stat().st_mode & 0o077 == 0


@pytest.mark.django_db
@pytest.mark.embedded
def test_seed_demo_twice_keeps_the_connections_and_tokens(tmp_path, facebook_connectable):
    _seed(tmp_path)
    first = (_connections(), read_seed_file(tmp_path / "simulator-demo.json"))

    _seed(tmp_path)

    assert (_connections(), read_seed_file(tmp_path / "simulator-demo.json")) == first


@pytest.mark.django_db
@pytest.mark.embedded
def test_seed_demo_leaves_a_connection_to_another_account_alone(tmp_path, facebook_connectable):
    _seed(tmp_path)
    connection = PlatformConnection.objects.order_by("pk").first()
    demo_account = connection.account_id
    PlatformConnection.objects.filter(pk=connection.pk).update(account_id="123456789")
    (tmp_path / "simulator-demo.json").unlink()

    _seed(tmp_path)

    connection.refresh_from_db()
    assert connection.account_id == "123456789"
    accounts = {entry.account for entry in read_seed_file(tmp_path / "simulator-demo.json")}
    assert accounts
    assert not {"123456789", demo_account} & accounts


@pytest.mark.django_db
@pytest.mark.embedded
def test_seed_demo_without_the_demo_platform_connects_nothing(tmp_path, facebook_connectable):
    output = _seed(tmp_path, url="")

    assert not PlatformConnection.objects.exists()
    assert not (tmp_path / "simulator-demo.json").exists()
    assert "Demoplattform: av" in output


@pytest.mark.django_db
@pytest.mark.embedded
def test_the_seed_opens_the_simulator_to_each_connection_token(tmp_path, facebook_connectable):
    _seed(tmp_path)
    state = SimulatorState()

    applied = apply_seed(state, read_seed_file(tmp_path / "simulator-demo.json"))

    assert applied
    for connection in PlatformConnection.objects.all():
        token = json.loads(connection.credentials)["page_token"]
        granted = state.token("facebook", token)
        assert granted.account == connection.account_id
        assert state.listing("facebook", connection.account_id, "post")


@override_settings(PLATFORM_SIMULATOR_URL="", VAR_DIR=VAR)
def test_runall_starts_no_simulator_without_the_demo_platform():
    assert demo.simulator_command() is None


@override_settings(
    PLATFORM_SIMULATOR_URL="http://127.0.0.1:8799",
    VAR_DIR=VAR,
    PLATFORM_SIMULATOR_TRICKLE_SECONDS=3.0,
)
def test_runall_starts_the_simulator_on_the_demo_platforms_port():
    assert demo.simulator_command() == [
        sys.executable,
        "-m",
        "moderation.platforms.simulator",
        "--host",
        "127.0.0.1",
        "--port",
        "8799",
        "--seed-file",
        str(VAR / "simulator-demo.json"),
        "--trickle-seconds",
        "3.0",
    ]


@override_settings(PLATFORM_SIMULATOR_URL="http://sim.example.org:8765")
def test_runall_starts_no_simulator_for_another_machine():
    assert demo.simulator_command() is None


def test_moderation_registers_the_simulator_with_runall():
    assert demo.simulator_command in [process.command for process in registered_processes()]


def _demo_actions():
    from moderation.demo import ITEMS
    from moderation.models import PlatformAction

    return PlatformAction.objects.filter(item__external_id__in=[row[1] for row in ITEMS])


@pytest.mark.django_db
@pytest.mark.embedded
def test_the_demo_items_of_connected_channels_are_on_the_simulator_under_their_ids(
    tmp_path, simulator
):
    from moderation.demo import ITEMS
    from moderation.models import Item

    _seed(tmp_path)

    apply_seed(simulator, read_seed_file(tmp_path / "simulator-demo.json"))
    items = Item.objects.filter(external_id__in=[row[1] for row in ITEMS])
    assert items.count() == len(ITEMS)
    for item in items.select_related("channel__platform_connection"):
        platform = registry.api_name(item.channel.platform_connection.platform)
        placed = simulator.get(platform, item.external_id.removeprefix("post-"))
        assert (placed.text, placed.account) == (
            item.text,
            item.channel.platform_connection.account_id,
        )


@pytest.mark.django_db
@pytest.mark.embedded
def test_the_demo_decisions_wait_for_the_simulator_and_are_carried_out_there(tmp_path, simulator):
    from django.utils import timezone

    from atvida_social.outbox.models import OutboxMessage
    from moderation.services import platform_actions

    _seed(tmp_path)
    handed = OutboxMessage.objects.filter(task_name="moderation.tasks.carry_out_platform_action")
    before = [(action.state, action.attempts) for action in _demo_actions()]
    apply_seed(simulator, read_seed_file(tmp_path / "simulator-demo.json"))

    platform_actions.carry_out_due_actions(timezone.now() + datetime.timedelta(minutes=3))

    assert not handed.exists()
    assert before == [("vantar", 0)] * 4
    # The starter rules hid the threat; the removal, the answer and the secret reply on X
    # (X hides what it does not let the municipality delete).
    assert {(a.kind, a.state) for a in _demo_actions()} == {
        ("hide", "klar"),
        ("delete", "klar"),
        ("reply", "klar"),
        ("delete", "narmaste"),
    }


@pytest.mark.django_db
@pytest.mark.embedded
def test_a_restarted_demo_shows_its_items_as_the_tool_left_them_on_the_platform(
    tmp_path, simulator
):
    """`make run` again: the seed is written anew and a fresh simulator applies it; what the
    tool removed stays away, what it hid stays hidden."""
    from django.utils import timezone

    from moderation.platforms.simulator.state import SimulatorState
    from moderation.services import platform_actions

    _seed(tmp_path)
    apply_seed(simulator, read_seed_file(tmp_path / "simulator-demo.json"))
    platform_actions.carry_out_due_actions(timezone.now() + datetime.timedelta(minutes=3))

    _seed(tmp_path)
    restarted = SimulatorState()
    apply_seed(restarted, read_seed_file(tmp_path / "simulator-demo.json"))

    shown = {}
    for action in _demo_actions().select_related("item__channel__platform_connection"):
        platform = registry.api_name(action.item.channel.platform_connection.platform)
        placed = restarted.get(platform, action.item.external_id.removeprefix("post-"))
        shown[(action.kind, action.state)] = None if placed is None else placed.hidden
    assert shown == {
        ("hide", "klar"): True,
        ("delete", "klar"): None,
        ("reply", "klar"): False,
        ("delete", "narmaste"): True,
    }


@pytest.mark.django_db
@pytest.mark.embedded
def test_pulling_the_demo_accounts_stores_no_demo_item_twice(tmp_path, simulator):
    from moderation.demo import ITEMS
    from moderation.models import Item
    from moderation.services import pulls

    _seed(tmp_path)
    apply_seed(simulator, read_seed_file(tmp_path / "simulator-demo.json"))
    ours = [row[1] for row in ITEMS]
    connections = PlatformConnection.objects.values_list("pk", flat=True)

    results = [pulls.pull_connection(pk) for pk in connections]

    assert [(result.error, result.skipped) for result in results] == [("", "")] * len(results)
    assert Item.objects.filter(external_id__in=ours).count() == len(ITEMS)
    texts = [row[4] for row in ITEMS]
    assert not Item.objects.exclude(external_id__in=ours).filter(text__in=texts).exists()
