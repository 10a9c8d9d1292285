"""What moderation does when the register below it changes (channels' signals, sent inside
the register's transaction: a failure here rolls the change back)."""


def on_channel_closed(sender, channel, by=None, **kwargs):
    """A closed channel takes no more items: its API tokens are revoked with it."""
    from .services import ingest

    ingest.revoke_channel_tokens(channel, by=by)


def connect() -> None:
    from channels.signals import channel_closed

    channel_closed.connect(on_channel_closed, dispatch_uid="moderation-channel-closed")
