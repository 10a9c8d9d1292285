from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "channels"
    verbose_name = "Kanalregister"

    def ready(self) -> None:
        from . import dashboard, menu

        dashboard.register_sections()
        menu.register_menu_entries()
