"""What the signers of a plan sign: its fields, normalised so that the content hash
changes only when the content does."""

from decimal import Decimal

from django.db import models

from .monitoring import MonitoringFrequency

# What the signers sign, in Bilaga 2's order; the plan form shows the same list (less the
# author, whom the system records). A test fails when a field is in neither list.
SIGNED_FIELDS = (
    "platform",
    "url",
    "account_name",
    "unit",
    "purpose",
    "audience",
    "goals",
    "measurable_goals",
    "administrators",
    "daily_operators",
    "office_hours_only",
    "monitoring",
    "monitoring_frequency",
    "monitoring_times_per_week",
    "monitoring_weekdays",
    "monitoring_from",
    "monitoring_until",
    "publishing_frequency",
    "hours_per_week",
    "other",
    "graphic_profile",
    "graphic_profile_deviation",
    "confidentiality_measures",
    "how_it_strengthens",
    "how_goals_are_measured",
    "how_audience_is_reached",
    "why_this_channel",
    "who_writes_and_archives",
    "consulted_information_unit",
    "guidelines_followed",
    "manager",
    "prepared_by",
    "prepared_on",
)
# The structured monitoring of a plan that has none, normalised: left out of the hash.
UNSTRUCTURED_MONITORING = {
    "monitoring_frequency": MonitoringFrequency.WEEKLY.value,
    "monitoring_times_per_week": None,
    "monitoring_weekdays": None,
    "monitoring_from": None,
    "monitoring_until": None,
}
# Workflow state and what the system derives; never part of what is signed.
UNSIGNED_FIELDS = frozenset(
    {
        "id",
        "status",
        "channel",
        "revision",
        "supersedes",
        "graphic_profile_approved",
        "graphic_profile_decided_hash",
        "approved_pdf",
        "approved_pdf_sha256",
        "created_at",
        "status_changed_at",
    }
)


def normalised(field, value):
    """One spelling per value, so that saving an unchanged plan never voids a signature."""
    if value is None or value == "":
        return None
    if isinstance(field, models.DecimalField):
        step = Decimal(1).scaleb(-field.decimal_places)
        return format(Decimal(str(value)).quantize(step), "f")
    if isinstance(field, models.BooleanField):
        return bool(value)
    if isinstance(field, models.ForeignKey):
        return int(value)
    if isinstance(field, models.DateField):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip() or None
    return str(value)
