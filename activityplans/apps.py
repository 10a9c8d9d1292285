from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityplansConfig(AppConfig):
    name = "activityplans"
    verbose_name = "Aktivitetsplaner"

    def ready(self) -> None:
        from channels.flags import ChannelFlag, register_channel_flag

        from . import dashboard, jobs, menu, selectors

        dashboard.register_sections()
        jobs.register_jobs()
        menu.register_menu_entries()
        # The register's follow-up of plans and logins, shown on the staff channel list.
        register_channel_flag(
            ChannelFlag(
                "saknar-plan", _("Saknar gällande plan"), selectors.channel_lacks_current_plan
            )
        )
        register_channel_flag(
            ChannelFlag(
                "inloggning-forsenad",
                _("Inloggning ej lämnad inom 14 dagar"),
                selectors.channel_login_overdue,
            )
        )
