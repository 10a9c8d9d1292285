from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.exceptions import DomainError


class HistoryImmutable(DomainError):
    default_message = _("Planens historik och underskrifter kan inte ändras.")


class TransitionNotAllowed(DomainError):
    default_message = _("Planen kan inte flyttas till det läget nu.")


class NotASigner(DomainError):
    default_message = _("Du är inte namngiven som undertecknare av den här planen.")


class WrongPassword(DomainError):
    default_message = _("Lösenordet stämmer inte. Underskriften är inte registrerad.")
