"""Moderation's models, one module per area; every model is importable from here, as the
migrations and the other apps import them (`from moderation.models import Item`)."""

from .culled import CulledItem
from .decisions import Decision, DecisionQuerySet
from .ingest import IngestToken, WebhookDelivery, WebhookSubscription
from .items import TEXT_MAX_BYTES, Item, ItemVersion
from .platforms import (
    ConnectionState,
    PlatformAction,
    PlatformActionKind,
    PlatformActionState,
    PlatformConnection,
    ProfileVersion,
    PullCursor,
)
from .policies import ResponsePolicy
from .rules import DomainEntry, Rule, RuleMatch
from .statistics import ItemFact, MonthlyStatistics
from .supervision import Absence, ChannelReview, ChannelReviewQuerySet, SupervisionNotice

__all__ = [
    "TEXT_MAX_BYTES",
    "Absence",
    "ChannelReview",
    "ChannelReviewQuerySet",
    "ConnectionState",
    "CulledItem",
    "Decision",
    "DecisionQuerySet",
    "DomainEntry",
    "IngestToken",
    "Item",
    "ItemFact",
    "ItemVersion",
    "MonthlyStatistics",
    "PlatformAction",
    "PlatformActionKind",
    "PlatformActionState",
    "PlatformConnection",
    "ProfileVersion",
    "PullCursor",
    "ResponsePolicy",
    "Rule",
    "RuleMatch",
    "SupervisionNotice",
    "WebhookDelivery",
    "WebhookSubscription",
]
