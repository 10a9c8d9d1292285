from atvida_social.organisation.querysets import UnitScopedQuerySet

from .workflow import OPEN


class ItemQuerySet(UnitScopedQuerySet):
    unit_lookup = "channel__unit"

    def open(self):
        return self.filter(status__in=OPEN)
