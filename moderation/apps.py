from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderering"

    def ready(self) -> None:
        from . import checks, dashboard  # noqa: F401 (checks registers itself)

        dashboard.register_sections()
