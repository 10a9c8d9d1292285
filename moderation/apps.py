from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderering"

    def ready(self) -> None:
        from atvida_social.scheduling.processes import register_process
        from channels.flags import ChannelFlag, register_channel_flag

        # checks registers itself on import.
        from . import checks, dashboard, jobs, menu, receivers, selectors  # noqa: F401
        from .platforms.demo import simulator_command
        from .services import supervision

        receivers.connect()
        dashboard.register_sections()
        jobs.register_jobs()
        menu.register_menu_entries()
        # `make run` starts the demo platform when PLATFORM_SIMULATOR_URL names this machine.
        register_process("platform-simulator", "demoplattformen (simulatorn)", simulator_command)
        # Informationsenheten steps in where every daily operator is away without a substitute.
        register_channel_flag(
            ChannelFlag(
                "utan-bevakning",
                _("Alla i daglig drift frånvarande utan ersättare"),
                supervision.channel_unattended,
            )
        )
        # A refused token stops the pulls and the platform actions until new access is entered.
        register_channel_flag(
            ChannelFlag(
                "anslutning-bruten",
                _("Anslutningen till plattformen är bruten"),
                selectors.channel_connection_broken,
            )
        )
