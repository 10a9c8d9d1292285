"""Every write in moderation, one module per area; each module's docstring says what it
covers:

- `items`        registering what arrives (classification, deadline, automatic hiding,
                 audit entry) and keeping the rules;
- `decisions`    decisions on items, assignment;
- `ingest`       the machine ways in: API tokens, batches, file import, the webhook's inbox;
- `supervision`  channel reviews, absences and substitutes, warning mails;
- `reports`      citizens' reports of offensive content;
- `statistics`   the response-time statistics and the facts about each item they count,
                 which culling leaves;
- `culling`      moderation's part of culling (gallring): which items are part of a case or
                 reported to the police, erasing the items archiving has decided to cull
                 (and remembering them), purging the removed texts archiving allows.

Who may do what, and what each person sees, is `moderation.selectors`; when something is
due is `moderation.deadlines`.
"""

from .decisions import assign_item, decide_item, decide_items
from .ingest import (
    create_ingest_token,
    ingest_items,
    process_pending_deliveries,
    process_webhook_delivery,
    receive_webhook_delivery,
    revoke_ingest_token,
    save_webhook_subscription,
)
from .items import clean_item_data, register_item, register_items, save_rule
from .reports import submit_report
from .statistics import refresh_statistics
from .supervision import (
    end_absence,
    mark_channel_reviewed,
    register_absence,
    send_supervision_warnings,
)

__all__ = [
    "assign_item",
    "clean_item_data",
    "create_ingest_token",
    "decide_item",
    "decide_items",
    "end_absence",
    "ingest_items",
    "mark_channel_reviewed",
    "process_pending_deliveries",
    "process_webhook_delivery",
    "receive_webhook_delivery",
    "refresh_statistics",
    "register_absence",
    "register_item",
    "register_items",
    "revoke_ingest_token",
    "save_rule",
    "save_webhook_subscription",
    "send_supervision_warnings",
    "submit_report",
]
