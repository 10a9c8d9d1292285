from django.apps import AppConfig


class ArchivingConfig(AppConfig):
    name = "archiving"
    verbose_name = "Arkivering"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
