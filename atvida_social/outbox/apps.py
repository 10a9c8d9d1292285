from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "atvida_social.outbox"
    label = "outbox"
    verbose_name = "Utgående uppgifter"

    def ready(self) -> None:
        from . import dashboard, jobs, signals  # noqa: F401  (connects the worker's receivers)

        dashboard.register_sections()
        jobs.register_jobs()
