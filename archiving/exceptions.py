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


class SnapshotRunNotFailed(DomainError):
    default_message = _(
        "Bara en ögonblicksbild som har misslyckats kan försökas igen; den här är klar eller "
        "pågår redan."
    )


# --- Culling (gallring) ---


class CullingRecordImmutable(DomainError):
    default_message = _("Gallringsloggen kan inte ändras eller raderas.")


class DispositionDecisionImmutable(DomainError):
    default_message = _("Ett beslut om gallring kan inte ändras i efterhand; lägg till ett nytt.")


class CullingNotConfigured(DomainError):
    default_message = _(
        "Gallring kan inte göras förrän beslutet i dokumenthanteringsplanen som gallringen "
        "vilar på är angivet (referens, beskrivning och datum då det antogs). Be "
        "systemförvaltaren ange det med manage.py disposition_decision."
    )


class CullingNotAllowed(DomainError):
    default_message = _("Gallringen kan inte göras nu.")
