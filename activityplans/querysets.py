from django.db.models import Q

from atvida_social.organisation.querysets import UnitScopedQuerySet


class ActivityPlanQuerySet(UnitScopedQuerySet):
    unit_lookup = "unit"

    def involving(self, user):
        """Plans where the user is author, manager, administrator or daily operator."""
        return self.filter(
            Q(prepared_by=user) | Q(manager=user) | Q(administrators=user) | Q(daily_operators=user)
        ).distinct()
