from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """An error with a Swedish message that a view shows to the user as it is."""

    default_message = _("Åtgärden kunde inte utföras.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class AuditLogImmutable(DomainError):
    default_message = _("Granskningsloggen kan inte ändras eller raderas.")


class PermissionDeniedError(DomainError):
    default_message = _("Du har inte behörighet att göra detta.")


class IncorrectPassword(DomainError):
    default_message = _("Lösenordet stämmer inte.")


class LockedOut(DomainError):
    """Too many wrong passwords for this username from this address (django-axes)."""

    default_message = _(
        "För många felaktiga lösenord. Ditt konto är tillfälligt spärrat, både för inloggning "
        "och för åtgärder som kräver lösenord. Försök igen senare, eller kontakta "
        "informationsenheten."
    )

    @classmethod
    def for_minutes(cls, minutes: int) -> "LockedOut":
        return cls(
            _(
                "För många felaktiga lösenord. Ditt konto är tillfälligt spärrat, både för "
                "inloggning och för åtgärder som kräver lösenord. Vänta %(minutes)s minuter "
                "utan nya försök, eller kontakta informationsenheten."
            )
            % {"minutes": minutes}
        )
