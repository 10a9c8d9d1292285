from django.apps import AppConfig


class ActivityplansConfig(AppConfig):
    name = "activityplans"
    verbose_name = "Aktivitetsplaner"
