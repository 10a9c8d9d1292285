"""The ingest API's contract, the API tokens and their staff page."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from atvida_social.organisation.models import AuditLogEntry
from channels import services as channel_services
from channels.models import Channel
from moderation.exceptions import ChannelNotActive
from moderation.models import IngestToken, Item, Rule
from moderation.services import ingest
from tests.factories import ChannelFactory
from tests.moderation.conftest import item_data

pytestmark = pytest.mark.django_db

URL = "/api/v1/ingest"


@pytest.fixture
def token(channel):
    _token, secret = ingest.create_ingest_token(channel, label="Koppling")
    return secret


def _post(client, body, secret=None, **extra):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.generic(
        "POST", URL, data, content_type="application/json", headers=headers, **extra
    )


# --- 200 --------------------------------------------------------------------------------


def test_a_batch_is_stored_and_answered_in_the_order_sent(client, channel, token):
    batch = [item_data(external_id=f"fb-{n}", text=f"Fråga nummer {n}") for n in (3, 1, 2)]

    response = _post(client, {"items": batch}, token)

    assert response.status_code == 200
    answered = response.json()["items"]
    assert [a["external_id"] for a in answered] == ["fb-3", "fb-1", "fb-2"]
    assert all(a["created"] for a in answered)
    stored = {i.external_id: i.pk for i in Item.objects.filter(channel=channel)}
    assert [a["id"] for a in answered] == [stored["fb-3"], stored["fb-1"], stored["fb-2"]]


def test_due_at_is_given_with_its_offset_on_the_working_day_calendar(client, channel, token):
    response = _post(client, {"items": [item_data()]}, token)

    answered = response.json()["items"][0]
    # Friday 16:30 with one working day (Facebook): 16:30 on Monday, summer time (+02:00).
    assert answered["due_at"] == "2026-03-30T16:30:00+02:00"
    assert answered["status"] == "ny"


def test_a_post_by_the_municipality_has_no_due_at(client, channel, token):
    response = _post(client, {"items": [item_data(kind="post")]}, token)

    assert response.json()["items"][0]["due_at"] is None


def test_flags_list_the_acting_matches_but_not_test_mode_rules(client, channel, token):
    Rule.objects.create(
        name="Prov: dumbom", kind="word", pattern="dumbom", category="fortal", test_mode=True
    )
    text = "Du är en idiot och en dumbom."

    response = _post(client, {"items": [item_data(text=text)]}, token)

    assert response.json()["items"][0]["flags"] == [
        {"category": "fortal", "rule": "Förolämpning: idiot", "action": "flag"}
    ]


def test_an_item_hidden_by_a_rule_says_so(client, channel, token):
    response = _post(client, {"items": [item_data(text="Bränn ner skolan!")]}, token)

    answered = response.json()["items"][0]
    assert answered["status"] == "dold"
    assert {"category": "brott", "rule": "Uppmaning till brott: bränn ner", "action": "hide"} in (
        answered["flags"]
    )


def test_an_external_id_sent_again_answers_the_stored_item_without_duplicating(
    client, channel, token
):
    first = _post(client, {"items": [item_data(text="Du är en idiot")]}, token).json()

    # The same text: a replay (another text is an edit, tests/moderation/test_item_versions.py).
    again = _post(
        client, {"items": [item_data(text="Du är en idiot"), item_data(external_id="fb-2")]}, token
    ).json()

    assert again["items"][0] == {**first["items"][0], "created": False}
    assert again["items"][1]["created"] is True
    assert Item.objects.filter(channel=channel).count() == 2
    assert Item.objects.get(external_id="fb-1").text == "Du är en idiot"


def test_a_reply_may_refer_to_an_item_earlier_in_the_same_batch(client, channel, token):
    batch = [
        item_data(external_id="post-1", kind="post", text="Vi har öppet på lördag."),
        item_data(external_id="svar-1", kind="comment", parent="post-1"),
    ]

    response = _post(client, {"items": batch}, token)

    assert response.status_code == 200
    reply = Item.objects.get(external_id="svar-1")
    assert reply.parent == Item.objects.get(external_id="post-1")


def test_a_token_stores_into_its_own_channel_only(client, channel, token):
    other = ChannelFactory(unit=channel.unit)

    _post(client, {"items": [item_data()]}, token)

    assert Item.objects.get(external_id="fb-1").channel == channel
    assert not Item.objects.filter(channel=other).exists()


def test_a_successful_call_marks_the_token_used(client, channel, token):
    _post(client, {"items": [item_data()]}, token)

    assert IngestToken.objects.get().last_used_at is not None


# --- 400: all or nothing ----------------------------------------------------------------


def test_one_bad_item_stores_nothing_of_the_batch(client, channel, token):
    batch = [item_data(external_id="bra-1"), item_data(external_id="dalig", received_at="igår")]

    response = _post(client, {"items": batch}, token)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "index": 1,
            "field": "received_at",
            "message": "Ange tidpunkten i ISO 8601 med tidszon, t.ex. 2026-03-27T16:30:00+01:00.",
        }
    ]
    assert not Item.objects.exists()


def test_a_parent_neither_stored_nor_earlier_in_the_batch_is_refused(client, channel, token):
    batch = [
        item_data(external_id="svar-1", parent="post-1"),
        item_data(external_id="post-1", kind="post"),
    ]

    response = _post(client, {"items": batch}, token)

    assert response.status_code == 400
    assert [(e["index"], e["field"]) for e in response.json()["errors"]] == [(0, "parent")]
    assert not Item.objects.exists()


def test_a_parent_stored_earlier_is_found(client, channel, token):
    _post(client, {"items": [item_data(external_id="post-1", kind="post")]}, token)

    response = _post(client, {"items": [item_data(external_id="s", parent="post-1")]}, token)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "index", "field"),
    [
        ("{not json", None, None),
        (b"\xff\xfe", None, None),
        ("[]", None, "items"),
        ('"items"', None, "items"),
        ({"items": []}, None, "items"),
        ({"items": [item_data(external_id=f"x{n}") for n in range(501)]}, None, "items"),
        ({"items": {"0": item_data()}}, None, "items"),
        ({"items": [item_data()], "extra": 1}, None, "items"),
        ({"items": ["fb-1"]}, 0, None),
        ({"items": [item_data(colour="blue")]}, 0, "colour"),
        ({"items": [item_data(external_id=17)]}, 0, "external_id"),
        ({"items": [item_data(text=["a"])]}, 0, "text"),
        ({"items": [item_data(parent=3)]}, 0, "parent"),
        ({"items": [item_data(kind="spam")]}, 0, "kind"),
        ({"items": [item_data(external_id="")]}, 0, "external_id"),
        ({"items": [{k: v for k, v in item_data().items() if k != "kind"}]}, 0, "kind"),
        ({"items": [item_data(received_at="2026-03-27T16:30:00")]}, 0, "received_at"),
        ({"items": [item_data(received_at="2099-01-01T00:00:00+01:00")]}, 0, "received_at"),
        ({"items": [item_data(received_at="0001-01-01T00:00:00+01:00")]}, 0, "received_at"),
        ({"items": [item_data(received_at="0001-01-01T00:00:00-05:00")]}, 0, "received_at"),
        ({"items": [item_data(received_at="1999-12-31T23:59:59+00:00")]}, 0, "received_at"),
        ({"items": [item_data(text="x" * (64 * 1024 + 1))]}, 0, "text"),
        ({"items": [item_data(text="a\x00b")]}, 0, "text"),
        ({"items": [item_data(url="inte en adress")]}, 0, "url"),
        ({"items": [item_data(author="a\nb")]}, 0, "author"),
        (
            json.dumps({"items": [item_data(external_id="X")]}).replace('"X"', '"\\udcff"'),
            0,
            "external_id",
        ),
    ],
)
def test_bad_input_answers_400_in_json_and_stores_nothing(client, token, body, index, field):
    response = _post(client, body, token)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    assert (errors[0]["index"], errors[0]["field"]) == (index, field)
    assert errors[0]["message"]
    assert not Item.objects.exists()


def test_a_received_at_in_year_one_is_a_swedish_400_not_a_500(client, token):
    response = _post(client, {"items": [item_data(received_at="0001-01-01T00:00:00+01:00")]}, token)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "index": 0,
            "field": "received_at",
            "message": "Tidpunkten ligger för långt tillbaka: tidigast 2000-01-01.",
        }
    ]


def test_a_received_at_from_the_first_moment_of_2000_is_taken(client, token):
    response = _post(client, {"items": [item_data(received_at="2000-01-01T00:00:00Z")]}, token)

    assert response.status_code == 200
    assert Item.objects.get().received_at.year == 2000


@pytest.mark.parametrize("value", [17, 1.5, True, ["a"], {"a": 1}])
def test_a_field_that_is_not_a_string_is_refused_as_such(client, token, value):
    response = _post(client, {"items": [item_data(external_id=value)]}, token)

    assert response.json()["errors"] == [
        {"index": 0, "field": "external_id", "message": "Fältet ska vara en sträng."}
    ]


def test_an_error_answer_lists_100_errors_and_counts_the_rest(client, token):
    # Every unknown field is an error: a body of 20,000 makes 20,000 of them.
    item = item_data() | {f"f{n}": 1 for n in range(20_000)}

    response = _post(client, {"items": [item]}, token)

    assert response.status_code == 400
    answer = response.json()
    assert len(answer["errors"]) == 100
    assert answer["errors"][0] == {"index": 0, "field": "f0", "message": "Okänt fält."}
    assert answer["more_errors"] == 20_000 - 100
    assert len(response.content) < 10_000


def test_an_error_answer_within_the_limit_has_no_count(client, token):
    item = item_data() | {f"f{n}": 1 for n in range(100)}

    answer = _post(client, {"items": [item]}, token).json()

    assert len(answer["errors"]) == 100
    assert "more_errors" not in answer


def test_every_fault_of_a_batch_is_reported_with_its_index(client, token):
    batch = [item_data(external_id="a", kind="spam"), item_data(external_id="b", text=5)]

    errors = _post(client, {"items": batch}, token).json()["errors"]

    assert [(e["index"], e["field"]) for e in errors] == [(0, "kind"), (1, "text")]


# --- 401 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer fel-nyckel", "Basic YWxpY2U6aGVtbGlndA==", "Token {token}"],
)
def test_a_missing_or_wrong_token_answers_401(client, channel, token, authorization):
    headers = {} if authorization is None else {"Authorization": authorization.format(token=token)}

    response = client.post(
        URL,
        json.dumps({"items": [item_data()]}),
        content_type="application/json",
        **{"headers": headers},
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Item.objects.exists()


def test_a_revoked_token_answers_401(client, channel, token, ingrid):
    ingest.revoke_ingest_token(IngestToken.objects.get(), by=ingrid)

    response = _post(client, {"items": [item_data()]}, token)

    assert response.status_code == 401
    assert not Item.objects.exists()


def test_a_planned_channels_token_takes_nothing_with_a_swedish_403(client, channel, token, ingrid):
    channel.status = "planerad"
    channel_services.save_channel(channel, by=ingrid, changed=["status"])

    response = _post(client, {"items": [item_data()]}, token)

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    [error] = response.json()["errors"]
    assert "är planerad och inte aktiv" in error["message"]
    assert not Item.objects.exists()


def test_a_closed_channels_token_left_live_takes_nothing(client, channel, token):
    # A channel closed before closing revoked tokens (no service ran): only the status says so.
    Channel.objects.filter(pk=channel.pk).update(
        status="avslutad", ended_on=datetime.date(2026, 1, 31)
    )

    response = _post(client, {"items": [item_data()]}, token)

    assert response.status_code == 403
    assert "är avslutad och inte aktiv" in response.json()["errors"][0]["message"]
    assert not Item.objects.exists()


def test_closing_a_channel_revokes_its_tokens_with_an_audit_entry(client, channel, token, ingrid):
    other_channel_token = ingest.create_ingest_token(ChannelFactory(), label="Annan")[0]
    channel.status = "avslutad"
    channel.ended_on = datetime.date(2026, 3, 1)

    channel_services.save_channel(channel, by=ingrid, changed=["status", "ended_on"])

    stored = IngestToken.objects.get(channel=channel)
    assert stored.revoked_at is not None
    other_channel_token.refresh_from_db()
    assert other_channel_token.revoked_at is None
    entry = AuditLogEntry.objects.get(action="ingest_token_revoked", object_id=str(stored.pk))
    assert (entry.actor, entry.details) == (ingrid, {"reason": "channel_closed"})
    assert _post(client, {"items": [item_data()]}, token).status_code == 401


@pytest.mark.parametrize("status", ["planerad", "avslutad"])
def test_no_token_is_created_for_a_channel_that_is_not_active(ingrid, status):
    channel = ChannelFactory(status=status, ended_on=datetime.date(2026, 1, 31))

    with pytest.raises(ChannelNotActive, match=f"är {status} och inte aktiv"):
        ingest.create_ingest_token(channel, by=ingrid)

    assert not IngestToken.objects.exists()


def test_ingest_token_refuses_a_closed_channel_in_swedish():
    channel = ChannelFactory(status="avslutad", ended_on=datetime.date(2026, 1, 31))

    with pytest.raises(CommandError, match="är avslutad och inte aktiv"):
        call_command("ingest_token", str(channel.pk), stdout=StringIO())

    assert not IngestToken.objects.exists()


def test_a_token_is_stored_only_as_its_hash(channel, token):
    stored = IngestToken.objects.get()

    assert stored.token_hash == ingest.hash_token(token)
    assert token not in json.dumps(list(IngestToken.objects.values()), default=str)


# --- 405, 413, 429 ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_only_post_is_allowed(client, token, method):
    response = client.generic(method, URL, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "errors" in response.json()


def test_a_body_over_the_limit_answers_413_and_stores_nothing(client, token, settings):
    settings.INGEST_MAX_BODY_BYTES = 2000
    body = json.dumps({"items": [item_data(text="å" * 1000)]})

    response = _post(client, body, token)

    assert response.status_code == 413
    assert response.json()["errors"][0]["message"].startswith("Anropet är för stort")
    assert not Item.objects.exists()


def test_a_body_larger_than_djangos_form_limit_is_still_read(client, token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = _post(client, {"items": [item_data(text="å" * 1000)]}, token)

    assert response.status_code == 200


def test_past_the_rate_limit_answers_429_with_retry_after(client, token, settings):
    settings.INGEST_RATE_LIMIT = 2
    settings.INGEST_RATE_WINDOW = 60
    for n in range(2):
        assert _post(client, {"items": [item_data(external_id=f"r{n}")]}, token).status_code == 200

    response = _post(client, {"items": [item_data(external_id="r3")]}, token)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert not Item.objects.filter(external_id="r3").exists()


def test_the_rate_limit_is_per_token(client, channel, token, settings):
    settings.INGEST_RATE_LIMIT = 1
    _token, other = ingest.create_ingest_token(channel)
    _post(client, {"items": [item_data(external_id="a")]}, token)

    response = _post(client, {"items": [item_data(external_id="b")]}, other)

    assert response.status_code == 200


# --- The OpenAPI description ------------------------------------------------------------


class SchemaMismatch(AssertionError):
    pass


def _resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        node = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "boolean": bool,
    "null": type(None),
}


def _check(value, schema: dict, document: dict, where: str = "$") -> None:
    """The parts of JSON Schema the description uses: type, required, properties,
    additionalProperties, items, enum, min/maxItems, maxLength and format date-time."""
    schema = _resolve(schema, document)
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        is_bool = isinstance(value, bool)
        if not any(isinstance(value, _TYPES[t]) and (t == "boolean" or not is_bool) for t in types):
            raise SchemaMismatch(f"{where}: {value!r} is not {types}")
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaMismatch(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", len(value)):
            raise SchemaMismatch(f"{where}: longer than {schema['maxLength']}")
        if schema.get("format") == "date-time":
            parsed = datetime.datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                raise SchemaMismatch(f"{where}: {value} has no offset")
    if isinstance(value, dict):
        missing = set(schema.get("required", [])) - set(value)
        if missing:
            raise SchemaMismatch(f"{where}: missing {missing}")
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is False and set(value) - set(properties):
            raise SchemaMismatch(f"{where}: extra {set(value) - set(properties)}")
        for name, item in value.items():
            if name in properties:
                _check(item, properties[name], document, f"{where}.{name}")
    if isinstance(value, list):
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
            raise SchemaMismatch(f"{where}: {len(value)} items")
        for n, item in enumerate(value):
            _check(item, schema.get("items", {}), document, f"{where}[{n}]")


def _check_response(response, document: dict) -> None:
    operation = document["paths"]["/ingest"]["post"]
    described = operation["responses"][str(response.status_code)]
    for header in described.get("headers", {}):
        assert response.has_header(header), header
    _check(response.json(), described["content"]["application/json"]["schema"], document)


def test_the_openapi_description_is_served(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]["/ingest"]["post"]["responses"]) >= {
        "200",
        "400",
        "401",
        "413",
        "429",
    }


def test_real_answers_match_the_openapi_description(client, channel, token, settings):
    document = client.get("/api/v1/openapi.json").json()
    request_schema = document["paths"]["/ingest"]["post"]["requestBody"]["content"]
    request_schema = request_schema["application/json"]["schema"]
    good = {
        "items": [
            item_data(text="Du är en idiot, se https://example.com"),
            item_data(external_id="p", kind="post"),
        ]
    }
    _check(good, request_schema, document)
    with pytest.raises(SchemaMismatch):
        _check({"items": [item_data(colour="blue")]}, request_schema, document)

    answers = [
        _post(client, good, token),
        _post(client, good, token),  # created: false
        _post(client, {"items": [item_data(kind="spam")]}, token),
        _post(client, {"items": [item_data() | {f"f{n}": 1 for n in range(101)}]}, token),
        _post(client, "{", token),
        _post(client, {"items": [item_data()]}, "fel"),
    ]
    settings.INGEST_MAX_BODY_BYTES = 10
    answers.append(_post(client, good, token))
    settings.INGEST_RATE_LIMIT = 1
    answers.append(_post(client, good, token))

    assert [a.status_code for a in answers] == [200, 200, 400, 400, 400, 401, 413, 429]
    for answer in answers:
        _check_response(answer, document)


def test_the_openapi_check_catches_an_answer_outside_the_description(client, channel, token):
    document = client.get("/api/v1/openapi.json").json()
    response = _post(client, {"items": [item_data()]}, token)
    document["components"]["schemas"]["ItemOut"]["properties"].pop("flags")

    with pytest.raises(SchemaMismatch):
        _check_response(response, document)


# --- The management command and the staff page ------------------------------------------


def test_ingest_token_prints_a_working_token_as_its_last_word(client, channel):
    out = StringIO()

    call_command("ingest_token", str(channel.pk), "--label", "Skript", stdout=out)

    secret = out.getvalue().split()[-1]
    assert _post(client, {"items": [item_data()]}, secret).status_code == 200
    assert IngestToken.objects.get().label == "Skript"


def test_ingest_token_refuses_an_unknown_channel():
    with pytest.raises(CommandError, match="Det finns ingen kanal med id 999"):
        call_command("ingest_token", "999", stdout=StringIO())


def test_the_token_page_lists_tokens_without_their_secret(client, channel, token, ingrid):
    client.force_login(ingrid)

    page = client.get(reverse("moderation:token-list")).content.decode()

    assert "Koppling" in page
    assert str(channel) in page
    assert token not in page
    assert IngestToken.objects.get().token_hash not in page


def test_revoking_asks_for_confirmation_first(client, channel, token, ingrid):
    stored = IngestToken.objects.get()
    client.force_login(ingrid)

    page = client.get(reverse("moderation:token-revoke", args=[stored.pk]))

    assert "Återkalla nyckeln" in page.content.decode()
    stored.refresh_from_db()
    assert stored.revoked_at is None


def test_informationsenheten_revokes_a_token_with_a_post(client, channel, token, ingrid):
    stored = IngestToken.objects.get()
    client.force_login(ingrid)

    response = client.post(reverse("moderation:token-revoke", args=[stored.pk]))

    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.revoked_at is not None
    assert _post(client, {"items": [item_data()]}, token).status_code == 401


@pytest.mark.parametrize(
    ("who", "list_status", "revoke_status"),
    [("anonymous", 302, 302), ("alice", 403, 403), ("dora", 403, 403), ("ingrid", 200, 302)],
)
def test_only_informationsenheten_reaches_the_token_pages(
    client, channel, token, request, who, list_status, revoke_status
):
    stored = IngestToken.objects.get()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    listed = client.get(reverse("moderation:token-list"))
    revoked = client.post(reverse("moderation:token-revoke", args=[stored.pk]))

    assert (listed.status_code, revoked.status_code) == (list_status, revoke_status)
    stored.refresh_from_db()
    assert (stored.revoked_at is not None) == (who == "ingrid")
    if revoke_status == 302 and who == "anonymous":
        assert "/logga-in/" in revoked["Location"]


def test_a_unit_operator_may_not_revoke_through_the_service(channel, token, dora):
    from atvida_social.organisation.exceptions import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        ingest.revoke_ingest_token(IngestToken.objects.get(), by=dora)


@pytest.mark.parametrize(
    ("who", "revoked"),
    [("alice", None), ("bob", None), ("dora", None), ("arne", None), ("ingrid", 1)],
)
def test_only_informationsenheten_revokes_a_channels_tokens_through_the_service(
    request, channel, token, who, revoked
):
    from atvida_social.organisation.exceptions import PermissionDeniedError

    user = request.getfixturevalue(who)
    if revoked is None:
        with pytest.raises(PermissionDeniedError):
            ingest.revoke_channel_tokens(channel, by=user)
    else:
        assert ingest.revoke_channel_tokens(channel, by=user) == revoked

    assert (IngestToken.objects.get().revoked_at is not None) == (revoked is not None)


# --- A batch stores what register_item stores -------------------------------------------


def _stored(item: Item) -> dict:
    from atvida_social.organisation.models import AuditLogEntry

    audit = AuditLogEntry.objects.get(action="item_registered", object_id=str(item.pk))
    return {
        "fields": {
            name: getattr(item, name)
            for name in ("kind", "author", "text", "links", "url", "received_at", "status")
        }
        | {"due_at": item.due_at, "warn_at": item.warn_at},
        "matches": list(
            item.matches.values_list("rule_name", "category", "action", "test_mode", "start", "end")
        ),
        "decisions": list(
            item.decisions.values_list("kind", "from_status", "to_status", "category", "rule_name")
        ),
        "audit": (audit.object_repr, audit.details, audit.actor_id),
    }


@pytest.mark.parametrize(
    "text",
    [
        "När öppnar biblioteket?",
        "Du är en idiot, läs https://gratis.example/vinn",
        "Bränn ner skolan! Mitt personnummer är 811228-9874.",
    ],
)
def test_a_batch_stores_each_item_as_register_item_does(channel, text):
    from moderation import services

    one, _created = services.register_item(channel, item_data(external_id="ett", text=text))
    ((batched, _created),) = ingest.ingest_items(channel, [item_data(external_id="två", text=text)])

    expected, got = _stored(one), _stored(batched)
    assert got["audit"][0] == expected["audit"][0].replace("ett", "två")
    assert {k: v for k, v in got.items() if k != "audit"} == {
        k: v for k, v in expected.items() if k != "audit"
    }
    assert got["audit"][1:] == expected["audit"][1:]


def test_an_external_id_twice_in_one_batch_is_stored_once(client, channel, token):
    answered = _post(
        client, {"items": [item_data(), item_data(text="Samma id igen")]}, token
    ).json()["items"]

    assert [a["created"] for a in answered] == [True, False]
    assert answered[0]["id"] == answered[1]["id"]
    assert Item.objects.get().text == item_data()["text"]
