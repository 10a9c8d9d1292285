"""Test settings: the real settings with a fast hasher, in-memory mail and temporary media."""

import tempfile

from .settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="atvida-test-media-"))
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Tests run tasks in-process unless a test starts a real worker itself.
CELERY_TASK_ALWAYS_EAGER = True
