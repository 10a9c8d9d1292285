"""Object scoping: the one rule of who sees what, used by every app.

A unit's staff see and change only their own unit's objects; Informationsenheten (and a
superuser) sees everything; an anonymous visitor sees nothing here: public pages read
published content through their own selectors. A model opts in by using a queryset that
inherits `UnitScopedQuerySet` and naming the path from its rows to the owning unit.
"""

from django.db import models

from .roles import is_information_unit


class UnitScopedQuerySet(models.QuerySet):
    # Lookup path from a row to its owning Unit's primary key, e.g. "channel__unit".
    unit_lookup = "unit"

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if is_information_unit(user):
            return self
        if user.unit_id is None:
            return self.none()
        return self.filter(**{self.unit_lookup: user.unit_id})

    def editable_by(self, user):
        # Same rule as seeing: staff change only their unit's objects (Roller och ansvar).
        return self.visible_to(user)


class UnitQuerySet(UnitScopedQuerySet):
    unit_lookup = "pk"
