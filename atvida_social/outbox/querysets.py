from django.db import models


class OutboxMessageQuerySet(models.QuerySet):
    def pending(self):
        """Recorded but not yet accepted by the broker (or, in-process, not yet run to the end)."""
        return self.filter(sent_at__isnull=True)

    def unfinished(self):
        """Handed to the broker, not yet completed by a worker, and not given up."""
        return self.filter(
            sent_at__isnull=False, completed_at__isnull=True, given_up_at__isnull=True
        )

    def given_up(self):
        """Handed over again as often as allowed and still not completed: for a person."""
        return self.filter(given_up_at__isnull=False, completed_at__isnull=True)
