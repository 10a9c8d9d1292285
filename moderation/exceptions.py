from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.exceptions import DomainError


class DecisionImmutable(DomainError):
    default_message = _("Ett fattat beslut kan inte ändras eller tas bort.")


class DecisionNotAllowed(DomainError):
    default_message = _("Beslutet kan inte fattas i inläggets nuvarande läge.")


class ReviewImmutable(DomainError):
    default_message = _("En registrerad tillsyn kan inte ändras eller tas bort.")


class SecrecyAlertNotSent(Exception):
    """A secrecy alert's mail failed, or another delivery is sending it now: the task tries
    again (services.secrecy)."""
