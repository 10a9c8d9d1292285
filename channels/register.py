"""The register's content as plain data, and the difference between two contents.

Pure functions over dicts, so that a published version's frozen copy and the live register
are compared the same way.
"""

from django.utils.translation import gettext_lazy as _

# Politiska partier: beside the party links the register states that the municipality neither
# owns nor answers for the linked material; the page, the JSON and the CSV all carry it.
PARTY_LINK_DISCLAIMER = _(
    "Kommunen äger inte och ansvarar inte för innehållet på de länkade sidorna. Länkarna går "
    "till partiernas egna kanaler."
)

CHANNEL_FIELDS = ("platform", "platform_label", "account_name", "url", "administration", "unit")
PARTY_LINK_FIELDS = ("party", "platform", "platform_label", "url")


def _diff_rows(old: list[dict], new: list[dict], fields: tuple[str, ...]) -> dict:
    before = {row["id"]: row for row in old}
    after = {row["id"]: row for row in new}
    changed = []
    for key in sorted(before.keys() & after.keys()):
        fields_changed = [f for f in fields if before[key].get(f) != after[key].get(f)]
        if fields_changed:
            changed.append({"before": before[key], "after": after[key], "fields": fields_changed})
    return {
        "added": [after[key] for key in sorted(after.keys() - before.keys())],
        "removed": [before[key] for key in sorted(before.keys() - after.keys())],
        "changed": changed,
    }


def diff_contents(old: dict | None, new: dict) -> dict:
    old = old or {"channels": [], "party_links": []}
    return {
        "channels": _diff_rows(old["channels"], new["channels"], CHANNEL_FIELDS),
        "party_links": _diff_rows(old["party_links"], new["party_links"], PARTY_LINK_FIELDS),
    }


def is_empty(diff: dict) -> bool:
    return not any(rows for part in diff.values() for rows in part.values())


def summarise(diff: dict) -> dict:
    """Counts per kind of change, for the version list."""
    return {
        part: {kind: len(rows) for kind, rows in changes.items()} for part, changes in diff.items()
    }
