from atvida_social.organisation.append_only import AppendOnlyQuerySet
from atvida_social.organisation.querysets import UnitScopedQuerySet

from .exceptions import VersionImmutable


class ChannelQuerySet(UnitScopedQuerySet):
    unit_lookup = "unit"

    def published(self):
        """The channels the public register lists: those in use (Roller och ansvar)."""
        return self.filter(status="aktiv")


class RegisterVersionQuerySet(AppendOnlyQuerySet):
    immutable_error = VersionImmutable

    def latest_published(self):
        return self.order_by("-number").first()
