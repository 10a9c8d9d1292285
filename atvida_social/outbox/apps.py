from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "atvida_social.outbox"
    label = "outbox"
    verbose_name = "Utgående uppgifter"
