from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.exceptions import DomainError


class VersionImmutable(DomainError):
    default_message = _("En publicerad version kan inte ändras eller tas bort.")


class NothingToPublish(DomainError):
    default_message = _("Inget har ändrats sedan den senaste publiceringen.")
