from django.apps import AppConfig


class ArchivingConfig(AppConfig):
    name = "archiving"
    verbose_name = "Arkivering"

    def ready(self) -> None:
        from . import culling_checks, culling_tasks, dashboard  # noqa: F401 (register themselves)

        dashboard.register_sections()
