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
