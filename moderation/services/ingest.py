"""The machine ways in (Hur hanteras inkomna synpunkter): batches from the JSON API and from
file import, API tokens, and the webhook's inbox. Every item goes through
`items.clean_item_data` and `items.register_items`, as every other way in does."""

import datetime
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError
from channels.models import ChannelStatus

from .. import selectors
from ..exceptions import ChannelNotActive
from ..models import IngestToken, Item, WebhookDelivery, WebhookSubscription
from ..platforms.facebook import mapping as facebook_mapping
from .culling import culled_external_ids
from .items import clean_item_data, mark_deleted_on_platform, register_items

MAX_BATCH = 500
# Items stored per round trip; a file import reports its progress after each.
PROGRESS_STEP = 500
# The fields of one item in the API contract; anything else is refused, not ignored.
ITEM_FIELDS = ("external_id", "kind", "author", "text", "received_at", "url", "parent")
REQUIRED_FIELDS = ("external_id", "kind", "received_at")

logger = logging.getLogger(__name__)


class BatchError(Exception):
    """A batch refused as a whole: [(index, field, message)], nothing of it stored."""

    def __init__(self, errors: list[tuple[int | None, str | None, str]]):
        super().__init__(errors)
        self.errors = errors


# --- Tokens -----------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def create_ingest_token(channel, *, by=None, label: str = "") -> tuple[IngestToken, str]:
    """A new token for one channel; the secret is returned once and only its hash is kept.
    `by` is None for the operator's management command."""
    if by is not None and not selectors.may_manage_ways_in(by):
        raise PermissionDeniedError
    ensure_channel_takes_items(channel)
    secret = secrets.token_urlsafe(32)
    token = IngestToken(channel=channel, token_hash=hash_token(secret), label=label.strip())
    token.created_by = by if getattr(by, "is_authenticated", False) else None
    token.full_clean(exclude=["token_hash", "created_by"])
    token.save()
    record_audit("ingest_token_created", by=by, obj=token, details={"label": token.label})
    return token, secret


@transaction.atomic
def revoke_ingest_token(token: IngestToken, *, by) -> IngestToken:
    """Informationsenheten revokes a token: it opens nothing from this moment on."""
    if not selectors.may_manage_ways_in(by):
        raise PermissionDeniedError
    locked = IngestToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        record_audit("ingest_token_revoked", by=by, obj=locked)
    return locked


@transaction.atomic
def revoke_channel_tokens(channel, *, by) -> int:
    """Closing a channel revokes every live token of it, each with its audit entry: a closed
    channel takes no items, and reopening it asks for a new token. Returns how many."""
    if by is not None and not selectors.may_manage_ways_in(by):
        raise PermissionDeniedError
    live = list(
        IngestToken.objects.select_for_update()
        .filter(channel=channel, revoked_at__isnull=True)
        .order_by("pk")
    )
    now = timezone.now()
    IngestToken.objects.filter(pk__in=[token.pk for token in live]).update(revoked_at=now)
    for token in live:
        token.revoked_at = now
        record_audit("ingest_token_revoked", by=by, obj=token, details={"reason": "channel_closed"})
    return len(live)


def ensure_channel_takes_items(channel) -> None:
    """Raises ChannelNotActive, in Swedish, unless the channel is active: a token is made for,
    and takes items into, an active channel only."""
    if channel.status == ChannelStatus.ACTIVE:
        return
    raise ChannelNotActive(
        _(
            "Kanalen %(channel)s är %(status)s och inte aktiv. API-nycklar tar bara emot "
            "inlägg till aktiva kanaler."
        )
        % {"channel": channel, "status": ChannelStatus(channel.status).label.lower()}
    )


def token_for_secret(secret: str) -> IngestToken | None:
    """The live token with this secret, or None (missing, wrong or revoked)."""
    if not secret:
        return None
    digest = hash_token(secret)
    token = IngestToken.objects.select_related("channel").filter(token_hash=digest).first()
    # The lookup is by the hash of the secret, so timing tells nothing of a stored token;
    # the comparison is constant-time all the same.
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if token.revoked_at is not None:
        return None
    return token


def mark_token_used(token: IngestToken) -> None:
    IngestToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


# --- Batches ----------------------------------------------------------------------------


def _shape_errors(index: int, data) -> list[tuple[int | None, str | None, str]]:
    """The contract's types, before the item's own rules: a JSON object with known fields,
    strings, and parent a string or null."""
    if not isinstance(data, dict):
        return [(index, None, _("Varje inlägg ska vara ett JSON-objekt."))]
    errors = [
        (index, _printable(name)[:100], _("Okänt fält."))
        for name in data
        if name not in ITEM_FIELDS
    ]
    for name in REQUIRED_FIELDS:
        if data.get(name) in (None, ""):
            errors.append((index, name, _("Fältet måste anges.")))
    for name in ITEM_FIELDS:
        value = data.get(name)
        if value is None and name not in REQUIRED_FIELDS:
            continue
        if value is not None and not isinstance(value, str):
            errors.append((index, name, _("Fältet ska vara en sträng.")))
        elif value is not None and _printable(value) != value:
            # JSON may carry a lone surrogate (\udcff), which no database can store.
            errors.append((index, name, _("Fältet innehåller ogiltiga tecken.")))
    return errors


def _printable(value) -> str:
    return str(value).encode("utf-8", "replace").decode("utf-8")


def validate_batch(channel, items: list, *, unthread_orphans: bool = False) -> list[dict]:
    """Every item checked as `register_item` will check it, and each parent found among the
    channel's items or earlier in the batch; raises BatchError listing every fault. With
    `unthread_orphans`, a parent found nowhere is no fault: the item stands outside any thread
    (the pull's choice: a platform's listing may name a parent the tool never received)."""
    errors: list[tuple[int | None, str | None, str]] = []
    cleaned: list[dict] = []
    earlier: set[str] = set()
    wanted_parents = set()
    for index, data in enumerate(items):
        shape = _shape_errors(index, data)
        if shape:
            errors.extend(shape)
            cleaned.append({})
            continue
        try:
            item = clean_item_data(channel, data)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.extend((index, field, message) for message in messages)
            cleaned.append({})
            continue
        cleaned.append(item)
        if item["parent"] and item["parent"] not in earlier:
            wanted_parents.add(item["parent"])
        earlier.add(item["external_id"])
    stored = set(
        Item.objects.filter(channel=channel, external_id__in=wanted_parents).values_list(
            "external_id", flat=True
        )
    )
    # A parent that was culled is no fault: the reply is stored outside any thread.
    stored |= culled_external_ids(channel, wanted_parents - stored)
    seen: set[str] = set()
    for index, item in enumerate(cleaned):
        if not item:
            continue
        parent = item["parent"]
        if parent and parent not in seen and parent not in stored and unthread_orphans:
            item["parent"] = None
        elif parent and parent not in seen and parent not in stored:
            errors.append(
                (
                    index,
                    "parent",
                    _("Det finns inget inlägg med det id:t i kanalen eller tidigare i anropet."),
                )
            )
        seen.add(item["external_id"])
    if errors:
        raise BatchError(errors)
    return cleaned


def validate_what_can_be(
    channel, rows: list, *, unthread_orphans: bool = False
) -> tuple[list[int], list[dict], list[tuple[int, str | None, str]]]:
    """Validate the rows as one batch, leaving out each row that fails and validating the rest
    again, so that one bad row never costs its siblings (a reply whose parent failed then
    fails too, or with `unthread_orphans` stands outside any thread). Returns the places in
    `rows` kept, their cleaned data (for `store_validated`), and the failures as (place,
    field, message). Raises BatchError for a fault of the batch as a whole."""
    places = list(range(len(rows)))
    failures: list[tuple[int, str | None, str]] = []
    while places:
        try:
            cleaned = validate_batch(
                channel, [rows[place] for place in places], unthread_orphans=unthread_orphans
            )
        except BatchError as error:
            failed = {index for index, _field, _message in error.errors if index is not None}
            if not failed:
                raise
            failures.extend(
                (places[index], field, message)
                for index, field, message in error.errors
                if index is not None
            )
            places = [place for index, place in enumerate(places) if index not in failed]
            continue
        return places, cleaned, failures
    return [], [], failures


def ingest_items(
    channel,
    items: list,
    *,
    by=None,
    progress: Callable[[int, int], None] | None = None,
    step: int = PROGRESS_STEP,
) -> list[tuple[Item, bool]]:
    """Store a batch all or nothing: validated as a whole first, then registered in one
    transaction, in the order given (a reply may follow its parent in the same batch)."""
    return store_validated(
        channel, validate_batch(channel, items), by=by, progress=progress, step=step
    )


def store_validated(
    channel,
    cleaned: list[dict],
    *,
    by=None,
    progress: Callable[[int, int], None] | None = None,
    step: int = PROGRESS_STEP,
) -> list[tuple[Item, bool]]:
    """Register a batch `validate_batch` cleaned, in one transaction, in its order."""
    results = []
    try:
        with transaction.atomic():
            for start in range(0, len(cleaned), step):
                chunk = cleaned[start : start + step]
                results.extend(register_items(channel, chunk, by=by))
                if progress is not None:
                    progress(len(results), len(cleaned))
    except ValidationError as error:
        # Another way in changed the channel between validation and storing.
        raise BatchError(
            [(None, field, m) for field, ms in error.message_dict.items() for m in ms]
        ) from error
    return results


def flags_of(item: Item) -> list[dict]:
    """The item's acting matches (not test mode), as the API reports them: each rule or
    detector once, however often it matched."""
    flags = {
        (match.category, match.rule_name, match.action): None
        for match in item.matches.all()
        if not match.test_mode
    }
    return [
        {"category": category, "rule": rule, "action": action} for category, rule, action in flags
    ]


# --- The webhook ------------------------------------------------------------------------


def expected_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signature_is_valid(subscription: WebhookSubscription, body: bytes, header: str) -> bool:
    """X-Hub-Signature-256 is HMAC-SHA256 of the raw body with the app secret."""
    expected = expected_signature(subscription.app_secret, body)
    return hmac.compare_digest(expected.encode(), (header or "").strip().encode("utf-8", "replace"))


@transaction.atomic
def save_webhook_subscription(channel, *, by=None, app_secret: str) -> WebhookSubscription:
    """Keep the channel's app secret and make a new verify token for the handshake."""
    if by is not None and not selectors.may_manage_ways_in(by):
        raise PermissionDeniedError
    if not app_secret.strip():
        raise ValidationError({"app_secret": [_("Ange appens hemlighet.")]})
    subscription, _created = WebhookSubscription.objects.update_or_create(
        channel=channel,
        defaults={"app_secret": app_secret.strip(), "verify_token": secrets.token_urlsafe(24)},
    )
    record_audit("webhook_subscription_saved", by=by, obj=subscription)
    return subscription


# The first retry after a minute, then twice as long each time, at most six hours apart.
RETRY_FIRST_DELAY = datetime.timedelta(minutes=1)
RETRY_MAX_DELAY = datetime.timedelta(hours=6)


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long after its attempt number `attempts` (from 1) a failed delivery is due again."""
    return min(RETRY_FIRST_DELAY * 2 ** max(attempts - 1, 0), RETRY_MAX_DELAY)


# Meta's deliveries nest five levels deep (entry, changes, value, from); far deeper is not
# from the platform, and each level costs the parser a stack frame.
WEBHOOK_MAX_DEPTH = 32


class DeliveryRefused(Exception):
    """A delivery refused before it is stored: too deeply nested, or more comments than a
    batch may hold. `status` is the HTTP answer (400 or 413), the message Swedish."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


def _depth(value) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (a scalar is 0), without
    recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def check_delivery_body(body: bytes) -> None:
    """Raises DeliveryRefused for a body nested deeper than WEBHOOK_MAX_DEPTH or carrying
    more than MAX_BATCH comments (the API's cap on a batch). A body that is not JSON, or not
    in Meta's shape, passes: it is kept, and its processing records why it made no items."""
    try:
        payload = json.loads(bytes(body).decode("utf-8"))
    except RecursionError:
        payload = None
        depth = WEBHOOK_MAX_DEPTH + 1
    except ValueError:  # not UTF-8 or not JSON
        return
    else:
        depth = _depth(payload)
    if depth > WEBHOOK_MAX_DEPTH:
        raise DeliveryRefused(
            _("Leveransen är för djupt nästlad: högst %(depth)s nivåer.")
            % {"depth": WEBHOOK_MAX_DEPTH},
            status=400,
        )
    try:
        comments = len(_comments_in(payload))
    except PayloadError:
        return
    if comments > MAX_BATCH:
        raise DeliveryRefused(
            _("Leveransen har %(count)s kommentarer; högst %(max)s tas emot per leverans.")
            % {"count": comments, "max": MAX_BATCH},
            status=413,
        )


def receive_webhook_delivery(channel, body: bytes) -> tuple[WebhookDelivery, bool]:
    """Keep a signed delivery in the inbox and ask for its processing, in one transaction:
    it is answered 200 only once it is stored. A replay (the same body for the channel) is
    recognised by its SHA-256 and answered with the stored delivery (created False); its
    processing, if still pending, is the retry job's. A body too deeply nested or with too
    many comments is refused first (DeliveryRefused) and nothing is stored."""
    from atvida_social.outbox.services import enqueue

    from ..tasks import process_webhook_delivery

    check_delivery_body(body)
    digest = hashlib.sha256(body).hexdigest()
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                channel=channel, body=body, body_sha256=digest, next_attempt_at=timezone.now()
            )
            enqueue(process_webhook_delivery, delivery.pk)
    except IntegrityError:
        # The same body stored before, or at this moment by a concurrent request.
        return WebhookDelivery.objects.get(channel=channel, body_sha256=digest), False
    return delivery, True


class PayloadError(Exception):
    """A delivery that cannot become items however often it is tried."""


def _comments_in(payload) -> list[dict]:
    """Every comment change of a delivery in its order: added, edited and removed."""
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise PayloadError(_("Leveransen saknar entry."))
    values = []
    for entry in payload["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if isinstance(value, dict) and value.get("item") == "comment":
                values.append(value)
    return values


def _removal_of(value: dict) -> tuple[str, datetime.datetime]:
    """A removal's comment id and the time of the change; raises PayloadError in Swedish."""
    try:
        removed = facebook_mapping.item_from_webhook_value(value)
    except facebook_mapping.MappingError as error:
        raise PayloadError(str(error)) from error
    if not removed.external_id:
        raise PayloadError(_("Kommentaren saknar comment_id."))
    return removed.external_id, removed.deleted_at


def _item_from_comment(channel, value: dict, batch_ids: set[str]) -> dict:
    """The comment as the pull maps it (facebook/mapping.py); threaded under its parent only
    if that is stored or earlier in the delivery."""
    try:
        item = facebook_mapping.item_from_webhook_value(value).as_item_data()
    except facebook_mapping.MappingError as error:
        raise PayloadError(str(error)) from error
    parent = item["parent"]
    if parent and not (
        parent in batch_ids or Item.objects.filter(channel=channel, external_id=parent).exists()
    ):
        item["parent"] = None
    return item


def _comment_id(value: dict) -> str:
    return _printable(value.get("comment_id") or "")[:200]


def _items_of_delivery(
    channel, values: list[dict]
) -> tuple[list[dict], dict[str, datetime.datetime], list[dict]]:
    """The comments that can become items, the removals ({comment id: when}), and an error
    for each change that cannot be used ({"index", "id", "message"}); a reply whose parent
    comment failed fails with it."""
    items: list[tuple[int, dict]] = []
    removals: dict[str, datetime.datetime] = {}
    errors: dict[int, dict] = {}
    batch_ids: set[str] = set()
    for index, value in enumerate(values):
        try:
            if value.get("verb") == "remove":
                comment_id, at = _removal_of(value)
                removals.setdefault(comment_id, at)
                continue
            item = _item_from_comment(channel, value, batch_ids)
        except PayloadError as error:
            errors[index] = {"index": index, "id": _comment_id(value), "message": str(error)}
            continue
        items.append((index, item))
        batch_ids.add(item["external_id"])
    places, _cleaned, failures = validate_what_can_be(channel, [item for _index, item in items])
    for place, field, message in failures:
        index = items[place][0]
        errors.setdefault(
            index,
            {
                "index": index,
                "id": _comment_id(values[index]),
                "message": f"{field}: {message}" if field else str(message),
            },
        )
    items = [items[place] for place in places]
    return (
        [item for _index, item in items],
        removals,
        [errors[index] for index in sorted(errors)],
    )


def _due(now) -> Q:
    # A delivery stored before retries were scheduled has no next attempt: due at once.
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def _claim_attempt(delivery_id: int, *, now, due_only: bool) -> bool:
    """Count an attempt, committed before the work starts, and set when the next one is due:
    an attempt that dies with its worker is retried after the back-off like one that failed."""
    with transaction.atomic():
        pending = WebhookDelivery.objects.select_for_update(skip_locked=True).filter(
            pk=delivery_id, processed_at__isnull=True, given_up_at__isnull=True
        )
        if due_only:
            pending = pending.filter(_due(now))
        delivery = pending.first()
        if delivery is None:
            return False
        delivery.attempts += 1
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    return True


def process_webhook_delivery(delivery_id: int, *, due_only: bool = False, now=None) -> int:
    """Turn a stored delivery into items, once: a second call (a task delivered twice, the
    retry job) finds it processed or locked and does nothing. Each comment is registered (a
    removal marks the stored comment deleted on the platform, `items.mark_deleted_on_platform`)
    or has its error recorded without its siblings'; a payload that can never become items keeps
    its error for a human. Any other failure is recorded and retried after the back-off
    (`retry_delay`), up to `WebhookDelivery.MAX_ATTEMPTS` attempts. Returns the items created."""
    now = now or timezone.now()
    if not _claim_attempt(delivery_id, now=now, due_only=due_only):
        return 0
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("channel")
            .filter(pk=delivery_id, processed_at__isnull=True, given_up_at__isnull=True)
            .first()
        )
        if delivery is None:
            return 0
        created = 0
        delivery.error = ""
        delivery.comment_errors = []
        try:
            with transaction.atomic():
                try:
                    # A delivery kept before the checks at receipt may be too deep or long.
                    check_delivery_body(delivery.body)
                except DeliveryRefused as refused:
                    raise PayloadError(refused.message) from refused
                payload = json.loads(bytes(delivery.body).decode("utf-8"))
                items, removals, delivery.comment_errors = _items_of_delivery(
                    delivery.channel, _comments_in(payload)
                )
                results = ingest_items(delivery.channel, items) if items else []
                created = sum(1 for _item, was_created in results if was_created)
                # A comment its author removed keeps its text, marked as the pull marks it.
                mark_deleted_on_platform(delivery.channel, removals)
        except (ValueError, PayloadError) as error:  # JSONDecodeError and UnicodeError too
            delivery.error = str(error)[:2000]
            delivery.comment_errors = []
        except BatchError as error:
            # Validated a moment ago: the channel changed under it. Worth another attempt.
            return _record_failure(delivery, now=now, error=_batch_message(error))
        except Exception as error:
            logger.exception(
                "Webhook delivery %s failed on attempt %s.", delivery.pk, delivery.attempts
            )
            return _record_failure(
                delivery,
                now=now,
                error=_("Tillfälligt fel: %(error)s") % {"error": type(error).__name__},
            )
        delivery.processed_at = timezone.now()
        delivery.next_attempt_at = None
        delivery.save(update_fields=["processed_at", "next_attempt_at", "error", "comment_errors"])
    return created


def _batch_message(error: BatchError) -> str:
    return "; ".join(f"{index}: {field}: {message}" for index, field, message in error.errors)


def _record_failure(delivery: WebhookDelivery, *, now, error: str) -> int:
    """A failed attempt keeps its error; past the last attempt the delivery is given up."""
    delivery.error = error[:2000]
    delivery.comment_errors = []
    fields = ["error", "comment_errors"]
    if delivery.attempts >= WebhookDelivery.MAX_ATTEMPTS:
        delivery.given_up_at = now
        delivery.next_attempt_at = None
        fields += ["given_up_at", "next_attempt_at"]
    delivery.save(update_fields=fields)
    return 0


def process_pending_deliveries(*, due_only: bool = False, now=None) -> tuple[int, int]:
    """Every delivery not processed nor given up, oldest first: (deliveries, items created).
    The scheduled job takes only those due (`due_only`); `manage.py process_webhooks` all."""
    now = now or timezone.now()
    pending = WebhookDelivery.objects.filter(processed_at__isnull=True, given_up_at__isnull=True)
    if due_only:
        pending = pending.filter(_due(now))
    deliveries = items = 0
    for pk in pending.values_list("pk", flat=True):
        try:
            items += process_webhook_delivery(pk, due_only=due_only, now=now)
        except Exception as error:
            # One delivery's fault (a lost connection, a lock not granted) never keeps the
            # deliveries after it waiting: its error is kept, and its back-off retries it.
            logger.exception("Webhook delivery %s could not be processed.", pk)
            _record_escaped_failure(pk, error)
        deliveries += 1
    return deliveries, items


def _record_escaped_failure(delivery_id: int, error: Exception) -> None:
    """Keep on the delivery an error that escaped its processing, if the database lets."""
    message = _("Tillfälligt fel: %(error)s") % {"error": type(error).__name__}
    try:
        WebhookDelivery.objects.filter(pk=delivery_id, processed_at__isnull=True).update(
            error=message[:2000]
        )
    except Exception:
        logger.exception("The error of webhook delivery %s could not be kept.", delivery_id)
