"""Build the demo municipality so that `make run` shows a working system at once."""

from contextlib import contextmanager
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from atvida_social import celery_app
from atvida_social.organisation.demo import describe_logins


@contextmanager
def _tasks_in_process():
    """The tasks demo events ask for run here and now, where e-mail goes nowhere, not later
    in a worker that would mail them for real."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = before


class Command(BaseCommand):
    help = "Fyller databasen med demodata (bara när DEBUG är på). Kan köras flera gånger."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo körs bara när DEBUG är på: demodata hör inte hemma i produktion."
            )
        # Demo events must not mail anyone, however e-mail is configured.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            _tasks_in_process(),
            transaction.atomic(),
        ):
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if find_spec(module_name) is not None:
                    import_module(module_name).seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demodata klar. Inloggningar:"))
        for line in describe_logins():
            self.stdout.write(line)
