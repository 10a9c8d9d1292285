"""The activity plan of Bilaga 2 (Aktivitetsplan för sociala medier), its workflow events,
the signatures that cover an exact version of its content, and the account's login.

One module per area; every model and what other modules use is imported here, so that
`from activityplans.models import ActivityPlan` works as for a single module.
"""

from .history import HistoryQuerySet, PlanEvent, Signature
from .monitoring import WEEKDAYS, MonitoringFrequency, describe_monitoring
from .plans import (
    ANSWER_MAX_LENGTH,
    CONFIRMATIONS,
    REQUIRED_ANSWERS,
    ActivityPlan,
    GraphicProfile,
    answer_field,
    approved_pdf_path,
)
from .signed_content import SIGNED_FIELDS, UNSIGNED_FIELDS, UNSTRUCTURED_MONITORING

# isort: split
# Last, so that the models register in the order plan, events, signatures, login (the
# order of their content types and permissions in a new database).
from .credentials import Credential
from .notifications import PlanNotification

__all__ = [
    "ANSWER_MAX_LENGTH",
    "CONFIRMATIONS",
    "REQUIRED_ANSWERS",
    "SIGNED_FIELDS",
    "UNSIGNED_FIELDS",
    "UNSTRUCTURED_MONITORING",
    "WEEKDAYS",
    "ActivityPlan",
    "Credential",
    "GraphicProfile",
    "HistoryQuerySet",
    "MonitoringFrequency",
    "PlanEvent",
    "PlanNotification",
    "Signature",
    "answer_field",
    "approved_pdf_path",
    "describe_monitoring",
]
