"""Every write to an activity plan and its credentials."""

from .credentials import (
    expiring_credentials,
    notify_expiring_credentials,
    reveal_credential,
    save_credential,
)
from .plans import (
    approve_plan,
    decide_graphic_profile,
    people_problems,
    plan_rule_errors,
    reject_plan,
    return_plan,
    save_plan,
    sign_plan,
    start_review,
    start_revision,
    submit_plan,
    withdraw_plan,
)
from .reminders import remind_overdue_handovers

__all__ = [
    "approve_plan",
    "decide_graphic_profile",
    "expiring_credentials",
    "notify_expiring_credentials",
    "people_problems",
    "plan_rule_errors",
    "reject_plan",
    "remind_overdue_handovers",
    "return_plan",
    "reveal_credential",
    "save_credential",
    "save_plan",
    "sign_plan",
    "start_review",
    "start_revision",
    "submit_plan",
    "withdraw_plan",
]
