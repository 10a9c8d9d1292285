from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class SchedulingConfig(AppConfig):
    """The periodic jobs (django-celery-beat's schedule, seeded from the jobs each app
    registers), the embedded default's broker, and the mail to Informationsenheten when a
    job fails."""

    name = "atvida_social.scheduling"
    label = "scheduling"
    verbose_name = "Schemalagda jobb"

    def ready(self) -> None:
        from . import checks, seeding, signals  # noqa: F401  (registers the check, connects receivers)

        # Sent once per migrate for django-celery-beat: this app has no models, and Django
        # sends post_migrate only for apps that have.
        post_migrate.connect(
            seeding.seed_after_migrate,
            sender=apps.get_app_config("django_celery_beat"),
            dispatch_uid="scheduling.seed_schedule",
        )
