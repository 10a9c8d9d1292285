"""What the plans tell the apps above them, without knowing them (they connect receivers in
their AppConfig.ready()). Sent inside the action's transaction."""

from django.dispatch import Signal

# A plan was approved and its PDF stored: `plan`, the ActivityPlan.
plan_approved = Signal()
