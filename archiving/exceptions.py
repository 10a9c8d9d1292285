"""Archiving's domain errors; each carries the Swedish message a person is shown."""

from django.utils.translation import gettext_lazy as _

from atvida_social.organisation.exceptions import DomainError


class ArchiveRecordImmutable(DomainError):
    default_message = _("Det som har arkiverats kan inte ändras eller tas bort.")


class ArchiveFileMismatch(DomainError):
    default_message = _(
        "Den godkända planens fil stämmer inte med kontrollsumman från godkännandet och "
        "arkiveras inte."
    )
