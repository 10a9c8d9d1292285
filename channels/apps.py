from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "channels"
    verbose_name = "Kanalregister"

    def ready(self) -> None:
        from . import dashboard

        dashboard.register_sections()
