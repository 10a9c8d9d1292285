"""The Celery application: `celery -A atvida_social worker` and `celery -A atvida_social beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atvida_social.settings")

app = Celery("atvida_social")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
