from django.apps import AppConfig


class ArchivingConfig(AppConfig):
    name = "archiving"
    verbose_name = "Arkivering"

    def ready(self) -> None:
        from . import dashboard, jobs, menu, panels, receivers
        from .culling import checks  # noqa: F401 (checks register themselves)

        dashboard.register_sections()
        jobs.register_jobs()
        menu.register_menu_entries()
        panels.register_panels()
        receivers.connect()
