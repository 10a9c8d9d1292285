from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderering"

    def ready(self) -> None:
        from . import dashboard

        dashboard.register_sections()
