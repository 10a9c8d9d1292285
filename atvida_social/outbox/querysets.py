from django.db import models


class OutboxMessageQuerySet(models.QuerySet):
    def pending(self):
        """Recorded but not yet accepted by the broker (or, in-process, not yet run to the end)."""
        return self.filter(sent_at__isnull=True)
