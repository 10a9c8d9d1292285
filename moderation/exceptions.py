from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.exceptions import DomainError


class DecisionImmutable(DomainError):
    default_message = _("Ett fattat beslut kan inte ändras eller tas bort.")


class DecisionNotAllowed(DomainError):
    default_message = _("Beslutet kan inte fattas i inläggets nuvarande läge.")


class ChannelNotActive(DomainError):
    """Ingest tokens serve active channels only: a planned channel is not yet used, a closed
    one no longer (Roller och ansvar)."""

    default_message = _(
        "Kanalen är inte aktiv. API-nycklar tar bara emot inlägg till aktiva kanaler."
    )


class ReviewImmutable(DomainError):
    default_message = _("En registrerad tillsyn kan inte ändras eller tas bort.")


class SecrecyAlertNotSent(Exception):
    """A secrecy alert's mail failed, or another delivery is sending it now: the task tries
    again (services.secrecy)."""


class BrokenConnectionMailNotSent(Exception):
    """The mail about a broken connection failed: the task tries again (services.pulls)."""
