from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.exceptions import DomainError


class VersionImmutable(DomainError):
    default_message = _("En publicerad version kan inte ändras eller tas bort.")


class NothingToPublish(DomainError):
    default_message = _("Inget har ändrats sedan den senaste publiceringen.")


class StalePreview(DomainError):
    default_message = _(
        "Registret har publicerats av någon annan sedan du öppnade förhandsgranskningen. "
        "Granska ändringarna igen innan du publicerar."
    )


class ActivationNeedsPlan(DomainError):
    # Roller och ansvar: a unit reports a channel by drawing up an activity plan.
    field = "exception_reason"
    default_message = _(
        "En kanal blir aktiv i registret genom en godkänd aktivitetsplan. För en kanal som "
        "fanns innan verktyget togs i bruk registrerar informationsenheten ett undantag med "
        "skäl."
    )


class ExceptionReasonMissing(DomainError):
    field = "exception_reason"
    default_message = _("Ange skälet till att kanalen förs in i registret utan aktivitetsplan.")
