from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "atvida_social.outbox"
    label = "outbox"
    verbose_name = "Utgående uppgifter"

    def ready(self) -> None:
        from . import jobs

        jobs.register_jobs()
