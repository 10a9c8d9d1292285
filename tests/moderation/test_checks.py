"""The system checks that keep a production configuration off the demo platform
(moderation/checks.py): the simulator needs DEBUG or the explicit demo flag, and every
platform is reached over https unless it is the simulator on this machine in a demo."""

import pytest
from django.test import override_settings

from moderation.checks import platform_base_urls_setting, platform_simulator_setting

SIMULATOR = "http://127.0.0.1:8765"
REAL = {
    "facebook": "https://graph.facebook.com/v21.0/",
    "x": "https://api.x.com/2/",
}
ON_SIMULATOR = {name: f"{SIMULATOR}/{name}/" for name in REAL}


def _ids(errors) -> list[str]:
    return [error.id for error in errors]


@override_settings(DEBUG=False, PLATFORM_SIMULATOR_URL=SIMULATOR, PLATFORM_SIMULATOR_ALLOWED=False)
def test_simulator_with_debug_off_is_an_error():
    errors = platform_simulator_setting(None)

    assert _ids(errors) == ["moderation.E003"]
    assert "PLATFORM_SIMULATOR_ALLOWED=1" in errors[0].msg


@override_settings(DEBUG=False, PLATFORM_SIMULATOR_URL=SIMULATOR, PLATFORM_SIMULATOR_ALLOWED=True)
def test_simulator_with_debug_off_and_the_demo_flag_is_allowed():
    assert platform_simulator_setting(None) == []


@override_settings(DEBUG=True, PLATFORM_SIMULATOR_URL=SIMULATOR, PLATFORM_SIMULATOR_ALLOWED=False)
def test_simulator_in_debug_is_allowed():
    assert platform_simulator_setting(None) == []


@override_settings(DEBUG=False, PLATFORM_SIMULATOR_URL="", PLATFORM_SIMULATOR_ALLOWED=False)
def test_production_without_simulator_passes():
    assert platform_simulator_setting(None) == []


@override_settings(
    DEBUG=False,
    PLATFORM_SIMULATOR_URL="",
    PLATFORM_SIMULATOR_IN_PROCESS=False,
    PLATFORM_BASE_URLS=REAL,
)
def test_https_base_urls_pass():
    assert platform_base_urls_setting(None) == []


@pytest.mark.parametrize(
    "url",
    [
        "http://graph.facebook.com/v21.0/",
        "ftp://api.x.com/2/",
        "https:///v21.0/",
        "graph.facebook.com/v21.0/",
        f"{SIMULATOR}/facebook/",
    ],
)
@override_settings(DEBUG=False, PLATFORM_SIMULATOR_URL="", PLATFORM_SIMULATOR_IN_PROCESS=False)
def test_a_base_url_not_https_is_an_error_in_production(url):
    with override_settings(PLATFORM_BASE_URLS=REAL | {"facebook": url}):
        errors = platform_base_urls_setting(None)

    assert _ids(errors) == ["moderation.E004"]
    assert "'facebook'" in errors[0].msg


@override_settings(
    DEBUG=True,
    PLATFORM_SIMULATOR_URL=SIMULATOR,
    PLATFORM_SIMULATOR_IN_PROCESS=False,
    PLATFORM_BASE_URLS=ON_SIMULATOR,
)
def test_the_simulator_on_loopback_in_debug_passes():
    assert platform_base_urls_setting(None) == []


@override_settings(
    DEBUG=True,
    PLATFORM_SIMULATOR_URL="http://localhost:8765",
    PLATFORM_SIMULATOR_IN_PROCESS=False,
    PLATFORM_BASE_URLS={"x": "http://localhost:8765/x/"},
)
def test_the_simulator_on_localhost_in_debug_passes():
    assert platform_base_urls_setting(None) == []


@override_settings(
    DEBUG=False,
    PLATFORM_SIMULATOR_URL=SIMULATOR,
    PLATFORM_SIMULATOR_ALLOWED=False,
    PLATFORM_SIMULATOR_IN_PROCESS=False,
    PLATFORM_BASE_URLS=ON_SIMULATOR,
)
def test_the_simulator_on_loopback_with_debug_off_is_an_error():
    assert _ids(platform_base_urls_setting(None)) == ["moderation.E004", "moderation.E004"]


@override_settings(
    DEBUG=False,
    PLATFORM_SIMULATOR_URL=SIMULATOR,
    PLATFORM_SIMULATOR_ALLOWED=True,
    PLATFORM_SIMULATOR_IN_PROCESS=False,
    PLATFORM_BASE_URLS=ON_SIMULATOR,
)
def test_the_simulator_on_loopback_with_the_demo_flag_passes():
    assert platform_base_urls_setting(None) == []


@override_settings(
    DEBUG=True,
    PLATFORM_SIMULATOR_URL="http://sim.example.org:8765",
    PLATFORM_SIMULATOR_IN_PROCESS=False,
    PLATFORM_BASE_URLS={"x": "http://sim.example.org:8765/x/"},
)
def test_a_simulator_on_another_machine_is_an_error_even_in_debug():
    assert _ids(platform_base_urls_setting(None)) == ["moderation.E004"]


@override_settings(
    DEBUG=True,
    PLATFORM_SIMULATOR_URL=SIMULATOR,
    PLATFORM_SIMULATOR_IN_PROCESS=False,
    PLATFORM_BASE_URLS={"x": "http://127.0.0.1:9999/x/"},
)
def test_plain_http_on_loopback_that_is_not_the_simulator_is_an_error():
    assert _ids(platform_base_urls_setting(None)) == ["moderation.E004"]


def test_the_test_settings_in_process_simulator_passes():
    """settings_test.py: http://simulator.test/ is answered in-process, never on the network."""
    assert platform_base_urls_setting(None) == []
    assert platform_simulator_setting(None) == []
