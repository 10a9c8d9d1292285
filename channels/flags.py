"""Follow-up flags on the staff channel list, registered by the apps above channels.

Channels knows nothing of activity plans (dependencies point upwards only), yet its list
shows, and filters on, facts that a higher app holds, such as "no current plan". Each app
registers a `ChannelFlag` in its AppConfig.ready(); the list annotates each flag's condition
onto its single query, so the number of queries does not grow with the number of rows.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet


@dataclass(frozen=True)
class ChannelFlag:
    """`key` is the value in the list's query string; `condition()` a boolean expression
    over a Channel row (a Q or an Exists), evaluated when the list is built."""

    key: str
    label: str
    condition: Callable[[], Q]

    @property
    def attname(self) -> str:
        return "flag_" + self.key.replace("-", "_")


_FLAGS: dict[str, ChannelFlag] = {}


def register_channel_flag(flag: ChannelFlag) -> None:
    """Add (or replace, by key) a flag; call from an AppConfig.ready()."""
    _FLAGS[flag.key] = flag


def channel_flags() -> list[ChannelFlag]:
    return list(_FLAGS.values())


def annotate_flags(channels: QuerySet) -> QuerySet:
    flags = channel_flags()
    if not flags:
        return channels
    return channels.annotate(
        **{
            flag.attname: ExpressionWrapper(flag.condition(), output_field=BooleanField())
            for flag in flags
        }
    )


def filter_by_flag(channels: QuerySet, key: str) -> QuerySet:
    """Only the channels raising the flag `key`; the queryset must come from annotate_flags."""
    flag = _FLAGS.get(key)
    return channels.filter(**{flag.attname: True}) if flag else channels


def raised_flags(channel) -> list[ChannelFlag]:
    return [flag for flag in channel_flags() if getattr(channel, flag.attname, False)]
