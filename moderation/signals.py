"""What moderation tells the apps above it, without knowing them (they connect receivers in
their AppConfig.ready()). Sent inside the action's transaction: a receiver's writes commit or
roll back with it."""

from django.dispatch import Signal

# An item was registered in the diarium, by registering it or by marking it secret
# ("registreras i förvaltningens diarium"): `item`, the Item, and `decision`, the Decision.
item_registered = Signal()
