"""The simulator's server (moderation/platforms/simulator/server.py): real HTTP on a free
loopback port, each platform request answered by app.handle, the admin API under /_sim/, a
bounded request body, loopback only, and `python -m moderation.platforms.simulator`."""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from moderation.platforms.simulator import server
from moderation.platforms.simulator.seeding import SeedEntry, write_seed_file
from moderation.platforms.simulator.state import SimulatorState
from moderation.platforms.simulator.trickle import Trickle

from .sim_fake import NAME, fake_platform  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "demo-token-abc123"


@pytest.fixture
def running(fake_platform):  # noqa: F811
    """A server on a free port, in a thread, with one demo account of the test platform."""
    state = SimulatorState()
    trickle = Trickle(state, [], seed=1)
    httpd = server.make_server(
        "127.0.0.1", 0, state=state, seed=[SeedEntry(NAME, "1001", TOKEN)], trickle=trickle
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    port = httpd.server_address[1]
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        yield client, state
    httpd.shutdown()
    httpd.server_close()


def _auth():
    return {"Authorization": f"Bearer {TOKEN}"}


def test_platform_request_over_http_is_answered_by_the_platform_module(running):
    client, state = running
    comment = state.add(NAME, "1001", "comment", "Hej på er!", parent=None)

    response = client.get(f"/{NAME}/comments", params={"limit": "25", "q": "åäö"}, headers=_auth())

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["data"] == [{"id": comment.id, "text": "Hej på er!", "hidden": False}]
    assert response.json()["query"] == {"limit": "25", "q": "åäö"}
    assert state.calls_to(NAME, "GET")[0].path == "/comments"


def test_a_state_change_over_http_reads_back(running):
    client, state = running
    comment = state.add(NAME, "1001", "comment", "Dölj mig")

    hidden = client.post(f"/{NAME}/comments/{comment.id}", json={"hidden": True}, headers=_auth())

    assert hidden.status_code == 200
    assert client.get("/_sim/object", params={"platform": NAME, "id": comment.id}).json()["hidden"]


def test_a_wrong_token_gets_the_platforms_refusal(running):
    client, _state = running

    response = client.get(f"/{NAME}/comments", headers={"Authorization": "Bearer wrong"})

    assert response.status_code == 401


def test_unknown_platform_is_404(running):
    client, _state = running

    assert client.get("/myspace/comments").status_code == 404


def test_body_over_one_megabyte_is_refused_unread(running):
    client, state = running

    response = client.post(
        f"/{NAME}/comments/1", content=b"x" * (server.MAX_BODY_BYTES + 1), headers=_auth()
    )

    assert response.status_code == 413
    assert state.calls_to(NAME) == []


def test_body_of_one_megabyte_is_accepted(running):
    client, state = running
    comment = state.add(NAME, "1001", "comment", "Stor kropp")
    body = b'{"hidden": true, "pad": "' + b"x" * (server.MAX_BODY_BYTES - 100) + b'"}'
    body += b" " * (server.MAX_BODY_BYTES - len(body))

    response = client.post(
        f"/{NAME}/comments/{comment.id}",
        content=body,
        headers={**_auth(), "Content-Type": "application/json"},
    )

    assert response.status_code == 200
    assert state.get(NAME, comment.id).hidden


def test_admin_state_summarises_the_world_without_tokens(running):
    client, _state = running

    summary = client.get("/_sim/state")

    assert summary.status_code == 200
    assert summary.json()["demo"] is True
    assert summary.json()["platforms"][NAME]["accounts"] == ["1001"]
    assert summary.json()["platforms"][NAME]["objects"]["post"]["visible"] == 2
    assert TOKEN not in summary.text


def test_admin_fault_answers_the_next_call_with_the_platforms_error(running):
    client, _state = running

    injected = client.post("/_sim/fault", json={"platform": NAME, "kind": "rate_limit", "times": 1})

    assert injected.status_code == 200
    assert client.get(f"/{NAME}/comments", headers=_auth()).status_code == 429
    assert client.get(f"/{NAME}/comments", headers=_auth()).status_code == 200


@pytest.mark.parametrize(
    "payload",
    [
        {"platform": NAME, "kind": "meteor"},
        {"platform": "myspace", "kind": "expired"},
        {"platform": NAME, "kind": "slow", "seconds": 3600},
        {"platform": NAME, "kind": "expired", "times": 0},
        {"platform": NAME, "kind": "expired", "times": "1"},
    ],
)
def test_admin_fault_refuses_bad_input_in_swedish(running, payload):
    client, state = running

    response = client.post("/_sim/fault", json=payload)

    assert response.status_code == 400
    assert "ska" in response.json()["error"]
    assert state.faults == []


def test_admin_comment_lands_on_the_accounts_newest_post(running):
    client, state = running
    newest = state.listing(NAME, "1001", "post")[-1]

    added = client.post(
        "/_sim/comment",
        json={"platform": NAME, "account": "1001", "text": "När öppnar simhallen?"},
    )

    assert added.status_code == 200
    comment = state.get(NAME, added.json()["id"])
    assert (comment.kind, comment.text, comment.parent) == (
        "comment",
        "När öppnar simhallen?",
        newest.id,
    )


def test_admin_message_has_no_parent(running):
    client, state = running

    added = client.post(
        "/_sim/comment",
        json={"platform": NAME, "account": "1001", "text": "Hej!", "kind": "message"},
    )

    assert state.get(NAME, added.json()["id"]).kind == "message"
    assert state.get(NAME, added.json()["id"]).parent is None


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b"[1, 2]", 400),
        (b'{"platform": "testplattform", "account": "1001", "text": ""}', 400),
        (b'{"platform": "testplattform", "account": "1001", "text": "x", "parent": "9"}', 400),
        (b'{"platform": "testplattform", "account": ["1001"], "text": "x"}', 400),
        (b'{"platform": "testplattform", "account": "1001", "text": "x", "kind": "post"}', 400),
    ],
)
def test_admin_comment_refuses_bad_input(running, body, status):
    client, state = running
    before = len(state.objects)

    response = client.post("/_sim/comment", content=body)

    assert response.status_code == status
    assert len(state.objects) == before


def test_admin_profile_changes_the_description_the_platform_shows(running):
    client, state = running

    changed = client.post(
        "/_sim/profile",
        json={"platform": NAME, "account": "1001", "description": "Nya öppettider i sommar."},
    )

    assert changed.status_code == 200
    assert state.profile(NAME, "1001") == {"description": "Nya öppettider i sommar."}


@pytest.mark.parametrize(
    "payload",
    [
        {"platform": NAME, "account": "1001"},
        {"platform": NAME, "account": "1001", "description": 5},
        {"platform": NAME, "account": "1001", "description": "x" * 5001},
        {"platform": NAME, "account": "1001", "name": "rad\nbrytning"},
        {"platform": "okand", "account": "1001", "description": "x"},
    ],
)
def test_admin_profile_refuses_bad_input_in_swedish(running, payload):
    client, state = running

    response = client.post("/_sim/profile", json=payload)

    assert response.status_code == 400
    assert response.json()["error"]
    assert state.profiles == {}


def test_admin_reset_empties_the_world_and_applies_the_demo_seed_again(running):
    client, state = running
    state.add(NAME, "1001", "comment", "Borta efter återställningen")

    reset = client.post("/_sim/reset", json={})

    assert reset.json() == {"accounts": 1}
    assert [obj.kind for obj in state.objects.values()] == ["post", "post"]
    assert state.token(NAME, TOKEN) is not None


def test_admin_reset_to_empty_leaves_no_account_and_pauses_the_trickle(running):
    client, state = running

    client.post("/_sim/reset", json={"empty": True})

    assert state.objects == {}
    assert state.token(NAME, TOKEN) is None
    assert client.get("/_sim/state").json()["trickle"] is False


def test_admin_seed_adds_a_demo_account(running):
    client, state = running

    seeded = client.post(
        "/_sim/seed", json={"platform": NAME, "account": "2002", "token": "demo-other"}
    )

    assert seeded.status_code == 200
    assert state.token(NAME, "demo-other").account == "2002"
    assert len(state.listing(NAME, "2002", "post")) == 2


def test_admin_unknown_path_and_wrong_method(running):
    client, _state = running

    assert client.get("/_sim/nothing").status_code == 404
    assert client.get("/_sim/reset").status_code == 405


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.org"])  # noqa: S104
def test_server_refuses_to_bind_beyond_loopback(host):
    with pytest.raises(ValueError, match=r"bara på 127\.0\.0\.1"):
        server.make_server(host, 0, state=SimulatorState())


def test_request_log_never_shows_the_query_string(running, caplog):
    client, _state = running

    with caplog.at_level("INFO", logger="moderation.platforms.simulator.server"):
        client.get(f"/{NAME}/comments", params={"access_token": TOKEN})
        # wsgiref logs the request when it closes it, in the server's thread, which may be
        # just after the answer reached the client.
        deadline = time.monotonic() + 5
        while f"GET /{NAME}/comments 401" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.02)

    assert f"GET /{NAME}/comments 401" in caplog.text
    assert TOKEN not in caplog.text


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_module_main_serves_the_seed_with_a_banner_and_stops_on_sigterm(tmp_path):
    """`python -m moderation.platforms.simulator`, as runall starts it: the banner in its
    log, the seed file's accounts, /_sim/ answering, and a clean stop on SIGTERM."""
    seed = tmp_path / "seed.json"
    write_seed_file(seed, [SeedEntry("myspace", "1", "demo-x")])  # no simulator: left out
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "atvida_social.settings_test"}
    command = [
        sys.executable,
        "-m",
        "moderation.platforms.simulator",
        "--port",
        str(port),
        "--seed-file",
        str(seed),
        "--trickle-seconds",
        "0",
    ]
    log = tmp_path / "sim.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        summary = None
        deadline = time.monotonic() + 30
        while summary is None and time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                summary = httpx.get(f"http://127.0.0.1:{port}/_sim/state", timeout=2).json()
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    text = log.read_text()
    assert summary == {"demo": True, "platforms": {}, "faults": [], "calls": 0, "trickle": False}
    assert f"DEMOPLATTFORM: plattformssimulatorn svarar på http://127.0.0.1:{port}/" in text
    assert "0 demokonton" in text
    assert process.returncode == 0


def test_module_main_refuses_a_public_address():
    result = subprocess.run(
        [sys.executable, "-m", "moderation.platforms.simulator", "--host", "0.0.0.0"],  # noqa: S104
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "atvida_social.settings_test"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert "bara på 127.0.0.1" in result.stderr
