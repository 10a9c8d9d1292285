"""The JSON API (`POST /api/v1/ingest`), its OpenAPI description and the webhook Meta's
platforms call. Machines are answered in JSON: every refusal the views foresee (size, token,
rate, shape, validation) is a JSON error, never an HTML page.

A database that cannot answer (an outage, a lost connection, a deadlock met twice) is a 503
with Retry-After, in JSON on the ingest API: the client sends the batch again, and the external
ids make that safe.

The contract (README, "Ways in for items") must be kept exactly: connectors rely on it."""

import functools
import hmac
import json
import logging
import re

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.models import prefetch_related_objects
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from atvida_social.organisation.encryption import DecryptionError

from . import ratelimit
from .exceptions import ChannelNotActive
from .models import WebhookSubscription
from .services import ingest
from .services.ingest import MAX_BATCH, BatchError
from .workflow import ItemKind, ItemStatus

logger = logging.getLogger(__name__)

# A full batch of ordinary comments (a few kB each) fits many times over, and so does the
# largest single item (64 kB of text, every character \u-escaped: 6 × 64 kB ≈ 384 kB); a
# batch of 500 maximal texts (over 32 MB) does not, and the client splits it. The limit
# bounds what one request makes the server read and parse into memory.
DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024
# Meta's deliveries are small JSON documents; anything larger is not from the platform.
WEBHOOK_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_RATE_LIMIT = 120  # requests per token and window
DEFAULT_RATE_WINDOW = 60  # seconds
# Seconds a client is asked to wait when the database cannot answer.
DATABASE_RETRY_AFTER = 30
# PostgreSQL's SQLSTATE for deadlock_detected.
DEADLOCK_DETECTED = "40P01"
# An answer lists this many errors and counts the rest: a body of a million unknown fields
# must not make an answer several times its size.
MAX_ERRORS_LISTED = 100
MAX_ID = 2**63 - 1  # a larger id in the URL matches nothing, and the database refuses it
_CHALLENGE = re.compile(r"[A-Za-z0-9_.\-]{1,200}")


def max_body_bytes() -> int:
    return getattr(settings, "INGEST_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)


def _errors(status: int, errors, *, headers=None) -> JsonResponse:
    """The errors in order, the first MAX_ERRORS_LISTED of them, and how many more there are."""
    errors = list(errors)
    body: dict = {
        "errors": [
            {"index": index, "field": field, "message": str(message)}
            for index, field, message in errors[:MAX_ERRORS_LISTED]
        ]
    }
    if len(errors) > MAX_ERRORS_LISTED:
        body["more_errors"] = len(errors) - MAX_ERRORS_LISTED
    return JsonResponse(
        body, status=status, headers=headers, json_dumps_params={"ensure_ascii": False}
    )


def _error(status: int, message: str, *, headers=None) -> JsonResponse:
    return _errors(status, [(None, None, message)], headers=headers)


def _bearer(request) -> str:
    scheme, _sep, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


def _content_length(request) -> int | None:
    raw = request.META.get("CONTENT_LENGTH") or "0"
    try:
        length = int(raw)
    except ValueError:
        return None
    return length if length >= 0 else None


def _read_body(request, limit: int) -> bytes | None:
    """The raw body, or None past the limit; read from the stream, so that Django's form
    limit (DATA_UPLOAD_MAX_MEMORY_SIZE) does not apply to JSON."""
    length = _content_length(request)
    if length is not None and length > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body


def _rate_limited(token) -> int | None:
    """Seconds until the token's fixed window ends when it is past its limit, else None."""
    return ratelimit.hit(
        f"ingest-rate:{token.pk}",
        limit=getattr(settings, "INGEST_RATE_LIMIT", DEFAULT_RATE_LIMIT),
        window=getattr(settings, "INGEST_RATE_WINDOW", DEFAULT_RATE_WINDOW),
    )


def _as_item(item, created: bool) -> dict:
    return {
        "external_id": item.external_id,
        "id": item.pk,
        "created": created,
        "edited": getattr(item, "edited", False),
        "status": item.status,
        "due_at": timezone.localtime(item.due_at).isoformat() if item.due_at else None,
        "flags": ingest.flags_of(item) if item.pk else [],
    }


def _database_unavailable(*, as_json: bool):
    """503 with Retry-After: in JSON for the API, empty for Meta's webhook, which retries."""
    headers = {"Retry-After": str(DATABASE_RETRY_AFTER)}
    if not as_json:
        return HttpResponse(status=503, headers=headers)
    return _error(
        503,
        _("Databasen kan inte svara just nu. Försök igen om %(seconds)s sekunder.")
        % {"seconds": DATABASE_RETRY_AFTER},
        headers=headers,
    )


def _database_faults_answered(*, as_json: bool):
    """A database fault in the view is a 503 with Retry-After, not Django's HTML 500 page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except (OperationalError, InterfaceError):
                logger.exception("The database could not answer %s.", request.path)
                return _database_unavailable(as_json=as_json)

        return wrapper

    return decorator


def _is_deadlock(error: OperationalError) -> bool:
    return getattr(error.__cause__, "pgcode", None) == DEADLOCK_DETECTED


def _ingest_retrying_a_deadlock(channel, items: list):
    """`ingest_items`, once more if PostgreSQL broke a deadlock by aborting this batch: the
    whole batch was rolled back, so the second attempt starts clean."""
    try:
        return ingest.ingest_items(channel, items)
    except OperationalError as error:
        if not _is_deadlock(error):
            raise
        logger.warning("An ingest batch met a deadlock and is tried once more.")
        return ingest.ingest_items(channel, items)


@csrf_exempt
@_database_faults_answered(as_json=True)
def ingest_view(request):
    """POST /api/v1/ingest: a batch of 1 to 500 items for the token's channel."""
    if request.method != "POST":
        return _error(405, _("Endast POST är tillåtet."), headers={"Allow": "POST"})
    token = ingest.token_for_secret(_bearer(request))
    if token is None:
        return _error(
            401,
            _("Ange en giltig API-nyckel: Authorization: Bearer <nyckel>."),
            headers={"WWW-Authenticate": 'Bearer realm="atvida"'},
        )
    try:
        ingest.ensure_channel_takes_items(token.channel)
    except ChannelNotActive as error:
        return _error(403, str(error.message))
    retry_after = _rate_limited(token)
    if retry_after is not None:
        return _error(
            429,
            _("För många anrop. Försök igen om %(seconds)s sekunder.") % {"seconds": retry_after},
            headers={"Retry-After": str(retry_after)},
        )
    if _content_length(request) is None:
        return _error(400, _("Ogiltig Content-Length."))
    limit = max_body_bytes()
    body = _read_body(request, limit)
    if body is None:
        return _error(
            413,
            _("Anropet är för stort: högst %(mb)s MB. Dela upp inläggen på flera anrop.")
            % {"mb": round(limit / 1024 / 1024, 1)},
        )
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _error(400, _("Innehållet är inte giltig JSON i UTF-8."))
    if not isinstance(payload, dict) or set(payload) != {"items"}:
        return _errors(400, [(None, "items", _("Skicka ett JSON-objekt med bara fältet items."))])
    items = payload["items"]
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH:
        return _errors(
            400,
            [
                (
                    None,
                    "items",
                    _("items ska vara en lista med 1–%(max)s inlägg.") % {"max": MAX_BATCH},
                )
            ],
        )
    try:
        results = _ingest_retrying_a_deadlock(token.channel, items)
    except BatchError as error:
        return _errors(400, error.errors)
    ingest.mark_token_used(token)
    # An item culled before has no row (and no matches): it was not stored again.
    prefetch_related_objects([item for item, _created in results if item.pk], "matches")
    return JsonResponse(
        {"items": [_as_item(item, created) for item, created in results]},
        json_dumps_params={"ensure_ascii": False},
    )


def openapi_view(request):
    """GET /api/v1/openapi.json: the contract, as OpenAPI 3.1."""
    if request.method not in ("GET", "HEAD"):
        return _error(405, _("Endast GET är tillåtet."), headers={"Allow": "GET"})
    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@_database_faults_answered(as_json=False)
def webhook_view(request, channel_id: int):
    """Meta's webhook: the GET handshake, and signed POST deliveries kept in the inbox."""
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    try:
        subscription = (
            WebhookSubscription.objects.select_related("channel")
            .filter(channel_id=channel_id)
            .first()
            if channel_id <= MAX_ID
            else None
        )
    except DecryptionError:
        logger.exception("The webhook secrets of channel %s cannot be decrypted.", channel_id)
        return HttpResponse(status=503)
    if request.method == "GET":
        return _handshake(request, subscription)
    if _content_length(request) is None:
        return HttpResponse(status=400)
    body = _read_body(request, WEBHOOK_MAX_BODY_BYTES)
    if body is None:
        return HttpResponse(status=413)
    header = request.headers.get("X-Hub-Signature-256", "")
    if subscription is None or not ingest.signature_is_valid(subscription, body, header):
        return HttpResponse(status=403)
    try:
        ingest.receive_webhook_delivery(subscription.channel, body)
    except ingest.DeliveryRefused as refused:
        return _error(refused.status, refused.message)
    return HttpResponse("EVENT_RECEIVED", content_type="text/plain")


def _handshake(request, subscription):
    mode = request.GET.get("hub.mode", "")
    given = request.GET.get("hub.verify_token", "")
    challenge = request.GET.get("hub.challenge", "")
    if (
        subscription is not None
        and mode == "subscribe"
        and hmac.compare_digest(
            subscription.verify_token.encode(), given.encode("utf-8", "replace")
        )
        and _CHALLENGE.fullmatch(challenge)
    ):
        return HttpResponse(challenge, content_type="text/plain")
    return HttpResponse(status=403)


# --- OpenAPI ----------------------------------------------------------------------------

_ERROR = {
    "type": "object",
    "required": ["errors"],
    "additionalProperties": False,
    "properties": {
        "errors": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_ERRORS_LISTED,
            "description": f"The first {MAX_ERRORS_LISTED} errors, in the order of the batch.",
            "items": {
                "type": "object",
                "required": ["index", "field", "message"],
                "additionalProperties": False,
                "properties": {
                    "index": {
                        "type": ["integer", "null"],
                        "description": "The item's place in the batch, from 0; null for "
                        "the request as a whole.",
                    },
                    "field": {"type": ["string", "null"]},
                    "message": {"type": "string", "description": "In Swedish."},
                },
            },
        },
        "more_errors": {
            "type": "integer",
            "minimum": 1,
            "description": f"How many errors there are beyond the {MAX_ERRORS_LISTED} "
            "listed; absent when all are listed.",
        },
    },
}


def _error_response(description: str, headers: dict | None = None) -> dict:
    response = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
    }
    if headers:
        response["headers"] = headers
    return response


def openapi_document() -> dict:
    limit = max_body_bytes()
    item_in = {
        "type": "object",
        "required": list(ingest.REQUIRED_FIELDS),
        "additionalProperties": False,
        "properties": {
            "external_id": {"type": "string", "maxLength": 200},
            "kind": {
                "type": "string",
                "enum": list(ItemKind.values),
            },
            "author": {"type": ["string", "null"], "maxLength": 200},
            "text": {"type": ["string", "null"], "description": "At most 64 kB in UTF-8."},
            "received_at": {
                "type": "string",
                "format": "date-time",
                "description": "ISO 8601 with an offset, e.g. 2026-03-27T16:30:00+01:00; "
                "not before 2000-01-01T00:00:00Z nor more than five minutes ahead.",
            },
            "url": {"type": ["string", "null"], "format": "uri", "maxLength": 1000},
            "parent": {
                "type": ["string", "null"],
                "description": "The parent's external_id: stored already, or earlier in "
                "the same batch.",
            },
        },
    }
    item_out = {
        "type": "object",
        "required": ["external_id", "id", "created", "edited", "status", "due_at", "flags"],
        "additionalProperties": False,
        "properties": {
            "external_id": {"type": "string"},
            "id": {
                "type": ["integer", "null"],
                "description": f"null when the item was culled before (status "
                f"{ItemStatus.CULLED.value!r}): it is not stored again.",
            },
            "created": {
                "type": "boolean",
                "description": "false when the external id was stored already: the "
                "stored item is answered and nothing is duplicated; false too when the item "
                "was culled (gallrad) before: it is not stored again.",
            },
            "status": {
                "type": "string",
                "description": f"The item's status; {ItemStatus.CULLED.value!r} for an item "
                "culled before, which is not stored again.",
            },
            "edited": {
                "type": "boolean",
                "description": "true when the external id was stored with another text: "
                "an edit on the platform. The new text replaced it and was checked against "
                "the rules again; the earlier text is kept in the item's history.",
            },
            "due_at": {"type": ["string", "null"], "format": "date-time"},
            "flags": {
                "type": "array",
                "description": "The rules and built-in detectors that matched the text (test-mode "
                "rules left out), each once however often it matched.",
                "items": {
                    "type": "object",
                    "required": ["category", "rule", "action"],
                    "additionalProperties": False,
                    "properties": {
                        "category": {"type": "string"},
                        "rule": {"type": "string"},
                        "action": {"type": "string", "enum": ["flag", "hide"]},
                    },
                },
            },
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Atvida Social – inkommande inlägg",
            "version": "1.0.0",
            "description": "Items from the municipality's social-media channels, checked "
            "against the prohibited-content rules and given a response deadline.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/ingest": {
                "post": {
                    "operationId": "ingest",
                    "summary": "Register a batch of items for the token's channel.",
                    "description": "All or nothing: a batch with any fault stores nothing. "
                    "Idempotent per external_id and channel.",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/IngestRequest"}
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "Every item, in the order sent.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/IngestResponse"}
                                }
                            },
                        },
                        "400": _error_response("Bad input; nothing of the batch is stored."),
                        "401": _error_response(
                            "A missing, wrong or revoked token.",
                            {"WWW-Authenticate": {"schema": {"type": "string"}}},
                        ),
                        "403": _error_response(
                            "The token's channel is not active (planned, or closed without "
                            "its tokens revoked): nothing is stored."
                        ),
                        "405": _error_response("Only POST."),
                        "413": _error_response(f"A body over {limit} bytes."),
                        "429": _error_response(
                            "Past the token's rate limit.",
                            {"Retry-After": {"schema": {"type": "integer"}}},
                        ),
                        "503": _error_response(
                            "The database cannot answer (an outage, or a deadlock met "
                            "twice). Send the batch again later: what was stored already "
                            "answers created false.",
                            {"Retry-After": {"schema": {"type": "integer"}}},
                        ),
                    },
                }
            }
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "IngestRequest": {
                    "type": "object",
                    "required": ["items"],
                    "additionalProperties": False,
                    "properties": {
                        "items": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": MAX_BATCH,
                            "items": {"$ref": "#/components/schemas/ItemIn"},
                        }
                    },
                },
                "ItemIn": item_in,
                "IngestResponse": {
                    "type": "object",
                    "required": ["items"],
                    "additionalProperties": False,
                    "properties": {
                        "items": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/ItemOut"},
                        }
                    },
                },
                "ItemOut": item_out,
                "Errors": _ERROR,
            },
        },
    }
