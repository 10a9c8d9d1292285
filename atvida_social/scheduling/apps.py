from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    """The periodic jobs (django-celery-beat's schedule, seeded by this app's migrations),
    the embedded default's broker, and the mail to Informationsenheten when a job fails."""

    name = "atvida_social.scheduling"
    label = "scheduling"
    verbose_name = "Schemalagda jobb"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401  (registers the check, connects receivers)
