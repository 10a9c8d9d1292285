"""The variables added for running several web processes behind a proxy: REDIS_URL,
TRUSTED_PROXY_COUNT and SESSION_IDLE_HOURS, read in a process of their own as
tests/test_settings.py does, since settings read the environment once at import."""

import json

import pytest
from django.conf import settings

from tests.test_settings import _environment, _run

SETTINGS_SCRIPT = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "cache": settings.CACHES["default"],
    "trusted_proxy_count": settings.TRUSTED_PROXY_COUNT,
    "session_cookie_age": settings.SESSION_COOKIE_AGE,
}))
"""

SHARED_CACHE_SCRIPT = """
import sys, django
django.setup()
from django.core.cache import cache
if sys.argv[1] == "set":
    cache.set("atvida-test-shared", "version 7", 60)
else:
    print(cache.get("atvida-test-shared"))
    cache.delete("atvida-test-shared")
"""

REDIS_URL = "redis://redis.internal:6379/1"  # only read, never connected to

# The settings read in a process of their own run in the SQLite pass of `make test`
# (`embedded`); the cache shared through the real Redis runs in the PostgreSQL pass.


def _settings_in_a_process(tmp_path, **extra) -> dict:
    env = _environment(tmp_path)
    for name in ("REDIS_URL", "TRUSTED_PROXY_COUNT", "SESSION_IDLE_HOURS"):
        env.pop(name, None)  # the embedded default, whatever this shell has set
    result = _run(["-c", SETTINGS_SCRIPT], env | extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    return _settings_in_a_process(tmp_path_factory.mktemp("var"))


@pytest.fixture(scope="module")
def configured(tmp_path_factory):
    return _settings_in_a_process(
        tmp_path_factory.mktemp("var"),
        REDIS_URL=REDIS_URL,
        TRUSTED_PROXY_COUNT="1",
        SESSION_IDLE_HOURS="4",
    )


@pytest.mark.embedded
def test_without_redis_url_each_process_keeps_its_own_memory_cache(embedded):
    assert embedded["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.embedded
def test_with_redis_url_every_web_process_shares_the_redis_cache(configured):
    assert configured["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert configured["cache"]["LOCATION"] == REDIS_URL


@pytest.mark.embedded
def test_without_a_trusted_proxy_the_forwarded_header_is_ignored_by_default(embedded):
    assert embedded["trusted_proxy_count"] == 0


@pytest.mark.embedded
def test_trusted_proxy_count_and_idle_hours_come_from_the_environment(configured):
    assert configured["trusted_proxy_count"] == 1
    assert configured["session_cookie_age"] == 4 * 3600


@pytest.mark.embedded
@pytest.mark.parametrize("value", ["-1", "ett", "1.5"])
def test_app_refuses_to_start_with_a_trusted_proxy_count_that_is_not_a_count(tmp_path, value):
    result = _run(["manage.py", "check"], _environment(tmp_path, TRUSTED_PROXY_COUNT=value))

    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr


@pytest.mark.redis
def test_a_value_cached_by_one_process_is_seen_by_another(tmp_path):
    """What lets every web process serve a newly published register version at once."""
    env = _environment(tmp_path, REDIS_URL=settings.CELERY_BROKER_URL)

    stored = _run(["-c", SHARED_CACHE_SCRIPT, "set"], env)
    read = _run(["-c", SHARED_CACHE_SCRIPT, "get"], env)

    assert stored.returncode == 0, stored.stderr
    assert read.stdout.strip() == "version 7", read.stderr


@pytest.mark.embedded
@pytest.mark.parametrize("value", ["0", "åtta"])
def test_app_refuses_to_start_with_idle_hours_that_would_end_every_session(tmp_path, value):
    result = _run(["manage.py", "check"], _environment(tmp_path, SESSION_IDLE_HOURS=value))

    assert result.returncode != 0
    assert "SESSION_IDLE_HOURS" in result.stderr
