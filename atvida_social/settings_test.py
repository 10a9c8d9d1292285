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
if not os.environ.get("CELERY_BROKER_URL"):
    CELERY_BROKER_URL = "memory://localhost/"
    CELERY_BROKER_TRANSPORT = None
    CELERY_RESULT_BACKEND = None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A test database need not survive a crash: commits return without waiting for the disk
    # (the transactional tests commit, and their flush truncates every table).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
