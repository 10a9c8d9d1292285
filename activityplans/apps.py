from django.apps import AppConfig


class ActivityplansConfig(AppConfig):
    name = "activityplans"
    verbose_name = "Aktivitetsplaner"

    def ready(self) -> None:
        from . import dashboard

        dashboard.register_sections()
