from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "atvida_social.organisation"
    label = "organisation"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from . import checks, menu, signals  # noqa: F401  (registers the checks, connects receivers)

        menu.register_menu_entries()
