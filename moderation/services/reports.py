"""Citizens' reports of offensive content (Det här bör verksamheten tänka på: "uppmana
besökare att rapportera kränkande innehåll"): checked here, whoever calls, and stored as a
report item in the moderation queue through `items.register_item`, so that it is
classified and given its deadline like every other item.

Nothing is kept of the visitor but what the form asks for: the address is used, hashed, for
the rate limit only and is left out of the audit entry.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import current_ip
from channels.selectors import published_channels

from .. import ratelimit
from ..citizens import HOUSE_RULES, OTHER_REASON, reason_title
from ..models import Item
from ..workflow import ItemKind
from .items import register_item

REASONS = frozenset({str(rule.category) for rule in HOUSE_RULES} | {OTHER_REASON})
CONTENT_URL_MAX = 1000
OTHER_REASON_MAX = 200
NAME_MAX = 70
EMAIL_MAX = 120  # "name <e-mail>" fits the item's 200-character sender
MESSAGE_MAX = 2000
# The reference: no 0/O or 1/I/L to misread on the phone; 32^10 values, not enumerable.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_RECEIPT_SALT = "moderation.reports.receipt"
RECEIPT_MAX_AGE = 24 * 60 * 60
# The form field that people never see and bots fill in: such a report is answered like any
# other and nothing is stored.
HONEYPOT_FIELD = "webbplats"

DEFAULT_RATE_LIMIT = 10  # reports per address and window
DEFAULT_RATE_WINDOW = 60 * 60  # seconds


class RateLimited(Exception):
    """Too many reports from one address: try again after `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def _text(data: dict, name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def _check_text(errors, name: str, value: str, *, limit: int, single_line: bool) -> None:
    if "\x00" in value:
        errors[name] = [_("Fältet innehåller otillåtna tecken.")]
    elif len(value) > limit:
        errors[name] = [_("Skriv högst %(limit)d tecken.") % {"limit": limit}]
    elif single_line and any(mark in value for mark in "\r\n\u2028\u2029"):
        errors[name] = [_("Skriv på en rad.")]


def clean_report(data: dict) -> dict:
    """Validate a report as every caller must; raises ValidationError({field: [Swedish]}).
    `channel` is a channel id; only the published register's channels are accepted."""
    errors: dict[str, list[str]] = {}
    channel = None
    channel_id = data.get("channel")
    channel_id = getattr(channel_id, "pk", channel_id)
    if isinstance(channel_id, str) and channel_id.strip().isdigit():
        channel_id = int(channel_id.strip())
    if isinstance(channel_id, int) and not isinstance(channel_id, bool):
        channel = published_channels().filter(pk=channel_id).first()
    if channel is None:
        errors["channel"] = [_("Välj en av kommunens kanaler i listan.")]

    content_url = _text(data, "content_url")
    if not content_url:
        errors["content_url"] = [_("Ange adressen till inlägget eller kommentaren.")]
    else:
        _check_text(errors, "content_url", content_url, limit=CONTENT_URL_MAX, single_line=True)
        if "content_url" not in errors:
            try:
                URLValidator(schemes=["http", "https"])(content_url)
            except ValidationError:
                errors["content_url"] = [
                    _("Ange en fullständig webbadress som börjar med https://.")
                ]

    reason = _text(data, "reason")
    other_reason = _text(data, "other_reason")
    if reason not in REASONS:
        errors["reason"] = [_("Välj varför du anmäler innehållet.")]
    if reason == OTHER_REASON:
        if not other_reason:
            errors["other_reason"] = [_("Beskriv kort vad som är fel när du väljer Annat.")]
        else:
            _check_text(
                errors, "other_reason", other_reason, limit=OTHER_REASON_MAX, single_line=True
            )
    else:
        other_reason = ""

    name = _text(data, "name")
    _check_text(errors, "name", name, limit=NAME_MAX, single_line=True)
    email = _text(data, "email")
    _check_text(errors, "email", email, limit=EMAIL_MAX, single_line=True)
    if email and "email" not in errors:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors["email"] = [_("Ange en giltig e-postadress, till exempel namn@exempel.se.")]
    message = _text(data, "message")
    _check_text(errors, "message", message, limit=MESSAGE_MAX, single_line=False)

    if errors:
        raise ValidationError(errors)
    return {
        "channel": channel,
        "content_url": content_url,
        "reason": reason,
        "other_reason": other_reason,
        "name": name,
        "email": email,
        "message": message,
    }


def new_reference() -> str:
    """ "ANM-XXXXX-XXXXX": random, so that one reference tells nothing of any other."""
    code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(10))
    return f"ANM-{code[:5]}-{code[5:]}"


def _report_text(cleaned: dict) -> str:
    reason = reason_title(cleaned["reason"])
    if cleaned["other_reason"]:
        reason = f"{reason}: {cleaned['other_reason']}"
    text = _("Anmälan från besökare. Skäl: %(reason)s") % {"reason": reason}
    if cleaned["message"]:
        text += "\n\n" + cleaned["message"]
    return text


def _sender(cleaned: dict) -> str:
    if cleaned["email"]:
        return f"{cleaned['name']} <{cleaned['email']}>".strip()
    return cleaned["name"]


@transaction.atomic
def submit_report(data: dict, *, now=None) -> Item:
    """A visitor's report becomes a report item in the channel's queue, with its deadline
    and classification; all of it or nothing. The item's id on the platform is the
    reference the visitor gets."""
    cleaned = clean_report(data)
    now = now or timezone.now()
    # The audit entry is the service's; the visitor's address is not kept in it.
    token = current_ip.set(None)
    try:
        for _attempt in range(5):
            item, created = register_item(
                cleaned["channel"],
                {
                    "external_id": new_reference(),
                    "kind": ItemKind.REPORT,
                    "author": _sender(cleaned),
                    "text": _report_text(cleaned),
                    "url": cleaned["content_url"],
                    "received_at": now,
                },
            )
            if created:
                return item
    finally:
        current_ip.reset(token)
    raise RuntimeError("No free report reference after five attempts.")  # pragma: no cover


# --- The rate limit ------------------------------------------------------------------------


def rate_window() -> int:
    return getattr(settings, "CITIZEN_REPORT_RATE_WINDOW", DEFAULT_RATE_WINDOW)


def check_rate(ip: str | None) -> None:
    """Count one report attempt from the address; raise RateLimited past the limit of
    CITIZEN_REPORT_RATE_LIMIT per CITIZEN_REPORT_RATE_WINDOW seconds. The address is kept
    only as a keyed hash, and only for the window."""
    who = salted_hmac("citizen-report-rate", ip or "-").hexdigest()[:32]
    retry_after = ratelimit.hit(
        f"citizen-report-rate:{who}",
        limit=getattr(settings, "CITIZEN_REPORT_RATE_LIMIT", DEFAULT_RATE_LIMIT),
        window=rate_window(),
    )
    if retry_after is not None:
        raise RateLimited(retry_after)


# --- The receipt ---------------------------------------------------------------------------


def receipt_token(reference: str) -> str:
    """What the receipt's address carries: the reference, signed, so that nobody reaches a
    receipt but the one who sent the report, and the page needs no lookup."""
    return signing.dumps(reference, salt=_RECEIPT_SALT, compress=False)


def reference_from_token(token: str) -> str | None:
    try:
        reference = signing.loads(token, salt=_RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return reference if isinstance(reference, str) else None
