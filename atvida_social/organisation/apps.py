from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "atvida_social.organisation"
    label = "organisation"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the login audit receivers)
