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
