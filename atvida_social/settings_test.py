"""Test settings: the real settings with a fast hasher, in-memory mail and temporary media."""

import tempfile

from .settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="atvida-test-media-"))
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Tests run tasks in-process unless a test starts a real worker itself (on the Redis of
# CELERY_BROKER_URL, or on a file-system broker in a temporary folder: tests/scheduling).
CELERY_TASK_ALWAYS_EAGER = True
# Every platform call is answered by the simulator, in-process (moderation/platforms/simulator).
PLATFORM_SIMULATOR_IN_PROCESS = True
PLATFORM_BASE_URLS = {
    name: f"http://simulator.test/{name}/"
    for name in ("facebook", "instagram", "x", "youtube", "youtube_oauth", "wordpress")
}
if not os.environ.get("CELERY_BROKER_URL"):
    CELERY_BROKER_URL = "memory://localhost/"
    CELERY_BROKER_TRANSPORT = None
    CELERY_RESULT_BACKEND = None
# A file for the SQLite test database, so that `--reuse-db` keeps it between runs: the guard
# mutation run (shared/tools/mutate_guards.sh) runs the suite a hundred times and need not
# migrate a hundred times. Unset, SQLite tests run in memory.
if os.environ.get("TEST_SQLITE_NAME") and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_SQLITE_NAME"]}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A test database need not survive a crash: commits return without waiting for the disk
    # (the transactional tests commit, and their flush truncates every table).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
# Under pytest-xdist each process of the run has its own test database (pytest-django names it
# after PYTEST_XDIST_WORKER) and its own keys on the shared Redis, so that the real workers of
# one process never take another's tasks.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER and CELERY_BROKER_URL.startswith("redis"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "global_keyprefix": f"{XDIST_WORKER}:",
    }
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
        **CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS,
        "global_keyprefix": f"{XDIST_WORKER}:",
    }
