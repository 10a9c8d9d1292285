"""What a snapshot's part holds, as a PDF/A and as JSON, and the PDF/A of a register version.

One part ("del N av M") is rendered at a time, from the items its row names and nothing else:
the items are read in chunks, with their parents, decisions and rule matches in a few queries
per chunk. The PDF and the JSON are made from the same records, so that they say the same.
An item removed for a breach (or hidden by a rule, awaiting review) is shown as removed with
its category, never with its text or links: the archive is kept for ever and is read by
others than Informationsenheten (Gallring; Sekretess).
"""

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from activityplans.selectors import current_plan
from atvida_social.organisation.pdf import (
    PDF_VARIANT,
    GuardedURLFetcher,
    font_face_css,
    render_document,
)
from channels.models import RegisterVersion
from moderation.categories import Category
from moderation.models import Item
from moderation.selectors import held_by_rule, text_visible_to, thread_for_page
from moderation.workflow import AUTOMATIC, DecisionKind

from .models import SnapshotReason, SnapshotRun, SnapshotVolume

FORMAT = "atvida-social/ogonblicksbild/1"
# Items read per query while a part is rendered: few queries, little memory.
CHUNK = 500


# --- Labels ------------------------------------------------------------------------------


def local(moment) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i") if moment else ""


def period_label(start, end) -> str:
    """ "2026-01-01 – 2026-06-30" for whole days; with the time when a bound is not midnight."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    at_midnight = all(m.hour == m.minute == m.second == m.microsecond == 0 for m in (start, end))
    if at_midnight:
        last_day = end - timedelta(days=1)
        return f"{start:%Y-%m-%d} – {last_day:%Y-%m-%d}"
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def file_stem(run: SnapshotRun) -> str:
    channel = run.channel
    start = timezone.localtime(run.period_start)
    end = timezone.localtime(run.period_end)
    name = slugify(f"{channel.get_platform_display()} {channel.account_name}")[:60] or "kanal"
    return f"ogonblicksbild-{name}-{start:%Y%m%d}-{end:%Y%m%d}"


def volume_filename(run: SnapshotRun, number: int, total: int, extension: str) -> str:
    return f"{file_stem(run)}-del-{number:02d}-av-{total:02d}.{extension}"


# --- Records -----------------------------------------------------------------------------


def is_withheld(item: Item) -> bool:
    """Removed for a breach, or hidden by a rule and not yet judged by a person (forwarding
    is no judgement: `held_by_rule`): no text in the archive."""
    return held_by_rule(item) or not text_visible_to(item, None)


def _category_label(value: str) -> str:
    try:
        return str(Category(value).label)
    except ValueError:
        return value


def _decision_record(decision) -> dict:
    automatic = decision.kind in AUTOMATIC
    return {
        "kind": decision.kind,
        "kind_label": str(decision.get_kind_display()),
        "at": decision.at,
        "at_label": local(decision.at),
        "by": _("Regel (automatiskt)") if automatic else person(decision.actor),
        "from_status": decision.from_status,
        "to_status": decision.to_status,
        "reason": decision.reason,
        "category": decision.category,
        "category_label": _category_label(decision.category) if decision.category else "",
        "rule_name": decision.rule_name,
        "reply_text": decision.reply_text,
        "forwarded_to": person(decision.forwarded_to),
        "diarienummer": decision.diarienummer,
        "police_report": decision.police_report,
    }


def _withheld_label(item: Item, decisions: list) -> str:
    if held_by_rule(item):
        hiding = next((d for d in reversed(decisions) if d["category"]), None)
        category = hiding["category_label"] if hiding else ""
        return _("Dolt i väntan på granskning: %(category)s") % {"category": category}
    return _("Borttaget: %(category)s") % {"category": _category_label(item.removed_category)}


def item_record(item: Item, *, shown: set[int]) -> dict:
    """One item as the archive shows it; `shown` holds the ids of the part's items, so that a
    reply whose parent is in another part or period says what it answers."""
    withheld = is_withheld(item)
    decisions = [_decision_record(d) for d in item.decisions.all()]
    parent = item.parent
    return {
        "external_id": item.external_id,
        "kind": item.kind,
        "kind_label": str(item.get_kind_display()),
        "author": item.author,
        "received_at": item.received_at,
        "received_at_label": local(item.received_at),
        "url": "" if withheld else item.url,
        "in_reply_to": parent.external_id if parent else None,
        "in_reply_to_received_at": parent.received_at if parent else None,
        "in_reply_to_label": local(parent.received_at) if parent else "",
        "parent_shown_here": bool(parent and parent.pk in shown),
        "status": item.status,
        "status_label": str(item.get_status_display()),
        "withheld": withheld,
        "withheld_label": _withheld_label(item, decisions) if withheld else "",
        "removed_category": item.removed_category,
        "text": None if withheld else item.text,
        "links": [] if withheld else list(item.links or []),
        "diarienummer": item.diarienummer,
        "decisions": decisions,
        "matches": [
            {
                "rule_name": match.rule_name,
                "category": match.category,
                "category_label": _category_label(match.category),
                "action": match.action,
                "test_mode": match.test_mode,
            }
            for match in item.matches.all()
        ],
    }


def volume_items(item_ids: list[int]) -> Iterator[Item]:
    """The part's items in its order, read CHUNK at a time with what each needs."""
    for start in range(0, len(item_ids), CHUNK):
        chunk = item_ids[start : start + CHUNK]
        loaded = (
            Item.objects.filter(pk__in=chunk)
            .select_related("parent")
            .prefetch_related("decisions__actor", "decisions__forwarded_to", "matches")
            .in_bulk()
        )
        for pk in chunk:
            if pk in loaded:
                yield loaded[pk]


def volume_entries(volume: SnapshotVolume) -> list[tuple[int, dict]]:
    """(item id, record) for each of the part's items that still exists, in its order."""
    shown = set(volume.item_ids)
    return [(item.pk, item_record(item, shown=shown)) for item in volume_items(volume.item_ids)]


def volume_records(volume: SnapshotVolume) -> list[dict]:
    return [record for _pk, record in volume_entries(volume)]


def text_sha256(text: str) -> str:
    """The SHA-256 of a text's UTF-8 bytes, as `models.TextSHA256` computes it in SQL."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def captured_text(record: dict) -> tuple[bool, str]:
    """What a record puts in the archive of its item's text: (withheld, SHA-256 of the text
    as written), the hash empty when the text was withheld."""
    if record["withheld"]:
        return True, ""
    return False, text_sha256(record["text"])


# --- The register entry and the plan -----------------------------------------------------


REGISTER_LABELS = {
    "platform_label": _lazy("Socialt medium"),
    "account_name": _lazy("Kontots namn"),
    "url": _lazy("Webbadress"),
    "administration": _lazy("Förvaltning"),
    "unit": _lazy("Verksamhet"),
}


def register_entry(channel, *, before) -> dict | None:
    """The channel's row in the latest register version published before `before` that lists
    it, with the version's number and date."""
    versions = (
        RegisterVersion.objects.filter(published_at__lt=before)
        .order_by("-number")
        .only("number", "published_at", "content")
    )
    for version in versions.iterator(chunk_size=20):
        for row in version.content.get("channels", []):
            if row.get("id") == channel.pk:
                return {
                    "version": version.number,
                    "published_at": version.published_at,
                    "published_at_label": local(version.published_at),
                    "entry": row,
                    "rows": [
                        {"label": str(label), "value": row.get(key, "")}
                        for key, label in REGISTER_LABELS.items()
                    ],
                }
    return None


PLAN_FIELDS = (
    "purpose",
    "audience",
    "goals",
    "measurable_goals",
    "office_hours_only",
    "monitoring",
    "publishing_frequency",
    "hours_per_week",
    "graphic_profile",
    "confidentiality_measures",
    "who_writes_and_archives",
    "other",
)


def plan_record(channel) -> dict | None:
    plan = current_plan(channel)
    if plan is None:
        return None
    fields = []
    for name in PLAN_FIELDS:
        field = plan._meta.get_field(name)
        value = getattr(plan, name)
        if field.choices:
            value = getattr(plan, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = _("Ja") if value else _("Nej")
        fields.append({"name": name, "label": str(field.verbose_name), "value": str(value or "")})
    return {
        "revision": plan.revision,
        "unit": str(plan.unit),
        "manager": person(plan.manager),
        "administrators": [person(user) for user in plan.administrators.all()],
        "daily_operators": [person(user) for user in plan.daily_operators.all()],
        "approved_pdf_sha256": plan.approved_pdf_sha256,
        "fields": fields,
    }


# --- Writing a part ----------------------------------------------------------------------


def _read_at_label(value) -> str:
    try:
        moment = datetime.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    return local(moment) if moment is not None and moment.tzinfo is not None else ""


def profile_record(profile: dict) -> dict:
    """The run's profile on the platform (`SnapshotRun.profile`) for the cover and the JSON:
    as last read and its versions, each with a Swedish time of reading; {"read": False} when
    it was not read from the platform."""
    if not isinstance(profile, dict) or not profile.get("read"):
        return {"read": False, "versions": []}

    def labelled(entry: dict) -> dict:
        return {
            "name": str(entry.get("name") or ""),
            "description": str(entry.get("description") or ""),
            "url": str(entry.get("url") or ""),
            "read_at": entry.get("read_at") or "",
            "read_at_label": _read_at_label(entry.get("read_at")),
        }

    versions = profile.get("versions") if isinstance(profile.get("versions"), list) else []
    return {
        "read": True,
        **labelled(profile),
        "versions": [labelled(entry) for entry in versions if isinstance(entry, dict)],
    }


def volume_header(run: SnapshotRun, volume: SnapshotVolume, *, generated_at) -> dict:
    channel = run.channel
    first = volume.number == 1
    return {
        "format": FORMAT,
        "municipality": settings.MUNICIPALITY_NAME,
        "administration": channel.unit.administration.name,
        "unit": channel.unit.name,
        "channel": {
            "id": channel.pk,
            "platform": channel.platform,
            "platform_label": channel.get_platform_display(),
            "account_name": channel.account_name,
            "url": channel.url,
            "status": channel.status,
        },
        "period_start": run.period_start,
        "period_end": run.period_end,
        "period_label": period_label(run.period_start, run.period_end),
        "reason": run.reason,
        "reason_label": str(SnapshotReason(run.reason).label),
        "note": run.note,
        "requested_by": person(run.requested_by),
        "generated_at": generated_at,
        "generated_at_label": local(generated_at),
        "volume": volume.number,
        "volumes": run.volumes_total,
        "items_in_snapshot": run.items_total,
        "items_in_volume": volume.items,
        # The profile as last read, on every part's first page (its versions in part 1).
        "profile": profile_record(run.profile),
        # The register entry and the plan once, in the first part.
        "register": register_entry(channel, before=run.period_end) if first else None,
        "activity_plan": plan_record(channel) if first else None,
    }


def render_volume_pdf(header: dict, records: list[dict], target, *, fetcher=None) -> int:
    """Write the part as PDF/A to `target` (a binary file); returns its number of pages."""
    html = render_to_string(
        "archiving/pdf/snapshot_volume.html",
        {
            "font_face_css": font_face_css(),
            "h": header,
            "items": records,
        },
    )
    document = render_document(html, fetcher=fetcher or GuardedURLFetcher())
    pages = len(document.pages)
    document.write_pdf(target, pdf_variant=PDF_VARIANT)
    return pages


def write_json(header: dict, records: Iterable[dict], target) -> None:
    """Write the part as JSON to `target` (a text file), one item at a time."""
    encoder = DjangoJSONEncoder(ensure_ascii=False, indent=None)
    target.write("{")
    for key, value in header.items():
        target.write(f"{json.dumps(key)}: {encoder.encode(value)}, ")
    target.write('"items": [')
    for index, record in enumerate(records):
        if index:
            target.write(",\n")
        target.write(encoder.encode(record))
    target.write("]}\n")


def register_version_pdf(version: RegisterVersion) -> tuple[bytes, int]:
    """A published register version as PDF/A: its channels, party links and changes."""
    from channels.register import PARTY_LINK_DISCLAIMER

    html = render_to_string(
        "archiving/pdf/register_version.html",
        {
            "font_face_css": font_face_css(),
            "municipality_name": settings.MUNICIPALITY_NAME,
            "version": version,
            "published_at_label": local(version.published_at),
            "published_by": person(version.published_by),
            "channels": version.content.get("channels", []),
            "party_links": version.content.get("party_links", []),
            "changes": version.change_summary.get("channels", {}),
            "disclaimer": PARTY_LINK_DISCLAIMER,
            "generated_at_label": local(timezone.now()),
        },
    )
    document = render_document(html)
    return document.write_pdf(pdf_variant=PDF_VARIANT), len(document.pages)


# --- The diarium's copy of an item -------------------------------------------------------


# Replies the diarium's copy shows at most; the rest are counted.
DIARIUM_MAX_ITEMS = 300


def diarium_thread(item: Item) -> tuple[list[Item], int]:
    """(the items the diarium's copy shows of the registered item's thread, how many the
    thread holds): the whole thread from its root at every depth (`thread_for_page`), cut to
    DIARIUM_MAX_ITEMS around the item, in reading order, each with its `depth` and what its
    record needs."""
    entries, total = thread_for_page(item, limit=DIARIUM_MAX_ITEMS)
    loaded = (
        Item.objects.filter(pk__in=[entry.item.pk for entry in entries])
        .select_related("parent", "channel")
        .prefetch_related("decisions__actor", "decisions__forwarded_to", "matches")
        .in_bulk()
    )
    thread = []
    for entry in entries:
        shown = loaded[entry.item.pk]
        shown.depth = entry.depth
        thread.append(shown)
    return thread, total


def diarium_filename(decision) -> str:
    number = slugify(decision.diarienummer.replace("/", "-"))[:60] or "utan-nummer"
    return f"diarieexemplar-{number}-{decision.item_id}-{decision.pk}.pdf"


def diarium_copy_pdf(decision, *, thread: list[Item] | None = None) -> tuple[bytes, int]:
    """The diarium's copy of the item a decision registered or marked secret, as PDF/A: its
    metadata (channel, platform id, received, author as stored), its text, its thread and
    every decision on it, who took it, when and why.

    The registered item's own text is in the copy even when it was marked secret: the copy
    is the case's document, and who may download it is `selectors.may_download_diarium_copy`.
    Another item of the thread shows as the archive shows it (`is_withheld`)."""
    item = decision.item
    channel = item.channel
    thread, total = diarium_thread(item) if thread is None else (thread, len(thread))
    shown = {other.pk for other in thread}
    records = []
    for other in thread:
        record = item_record(other, shown=shown)
        record["is_subject"] = other.pk == item.pk
        record["depth"] = min(getattr(other, "depth", 0), 12)
        if record["is_subject"]:
            record.update(
                withheld=False, text=other.text, links=list(other.links or []), url=other.url
            )
            record["text_purged"] = other.text_purged_at is not None
        records.append(record)
    generated_at = timezone.now()
    html = render_to_string(
        "archiving/pdf/diarium_copy.html",
        {
            "font_face_css": font_face_css(),
            "municipality": settings.MUNICIPALITY_NAME,
            "administration": channel.unit.administration.name,
            "unit": channel.unit.name,
            "channel": channel,
            "item": item,
            "decision": _decision_record(decision),
            "is_secret": decision.kind == DecisionKind.SECRECY,
            "subject": next(record for record in records if record["is_subject"]),
            "thread": records,
            "items_left_out": total - len(thread),
            "generated_at_label": local(generated_at),
        },
    )
    document = render_document(html)
    return document.write_pdf(pdf_variant=PDF_VARIANT), len(document.pages)
