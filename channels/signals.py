"""What the register tells the apps above it, without knowing them (they connect receivers in
their AppConfig.ready()). Sent inside the action's transaction: a receiver's writes commit or
roll back with it."""

from django.dispatch import Signal

# A register version was published: `version`, the RegisterVersion.
register_published = Signal()
# A channel was closed (status "avslutad"): `channel`, the Channel; `by`, who closed it.
channel_closed = Signal()
