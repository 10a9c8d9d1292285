"""The ingest API under database faults, on PostgreSQL: an outage is a JSON 503 with
Retry-After, and two batches with the same new ids in opposite orders both succeed."""

import functools
import threading
import time

import psycopg2
import pytest
from django.db import connection, transaction
from django.test import Client

from moderation.models import Item
from moderation.services import ingest
from tests.moderation.conftest import item_data
from tests.moderation.test_api import URL, _post

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _other_connection():
    settings = connection.settings_dict
    return psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"],
        password=settings["PASSWORD"],
    )


def test_a_database_outage_is_answered_503_in_json_with_retry_after(client, channel):
    _token, secret = ingest.create_ingest_token(channel, label="Koppling")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    # The server ends this process's session, as a restart or failover of the database does.
    other = _other_connection()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        other.commit()
    finally:
        other.close()

    try:
        response = _post(client, {"items": [item_data()]}, secret)
    finally:
        # The test client leaves the broken connection open; the next query reconnects.
        connection.close()

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "errors": [
            {
                "index": None,
                "field": None,
                "message": "Databasen kan inte svara just nu. Försök igen om 30 sekunder.",
            }
        ]
    }


def _in_thread(call, outcomes: list, index: int) -> threading.Thread:
    def run() -> None:
        try:
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_until_waiting(count: int) -> None:
    """Until `count` sessions wait for a lock (each batch stopped at a key another holds)."""
    for _poll in range(600):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0] >= count:
                return
        time.sleep(0.05)
    raise AssertionError("the batches never met")


def test_two_batches_with_the_same_ids_in_opposite_orders_do_not_deadlock(channel):
    ids = [f"fb-{n:03}" for n in range(ingest.MAX_BATCH)]
    middle = ids[len(ids) // 2]
    held, release = threading.Event(), threading.Event()

    def hold_the_middle_id():
        # A third batch holds the middle id uncommitted: unordered, each batch has inserted
        # its half when it stops there, and when the middle is free they meet head-on.
        with transaction.atomic():
            ingest.ingest_items(channel, [item_data(external_id=middle)])
            held.set()
            release.wait(timeout=60)
            transaction.set_rollback(True)

    outcomes: list = [None, None, None]
    holder = _in_thread(hold_the_middle_id, outcomes, 2)
    assert held.wait(timeout=30)
    batches = [
        [item_data(external_id=i) for i in ids],
        [item_data(external_id=i) for i in reversed(ids)],
    ]
    threads = [
        _in_thread(functools.partial(ingest.ingest_items, channel, batch), outcomes, n)
        for n, batch in enumerate(batches)
    ]
    _wait_until_waiting(2)
    release.set()
    for thread in [holder, *threads]:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in [holder, *threads])
    assert [type(outcome) for outcome in outcomes[:2]] == [list, list], outcomes
    created = [sum(was_created for _item, was_created in outcome) for outcome in outcomes[:2]]
    assert sorted(created) == [0, ingest.MAX_BATCH]
    assert Item.objects.filter(channel=channel).count() == ingest.MAX_BATCH


def test_a_batch_aborted_by_a_deadlock_is_tried_once_more(channel):
    """Another transaction holds the batch's last id and then asks for its first: PostgreSQL
    aborts the batch, which waited first; the view runs it again and answers 200."""
    _token, secret = ingest.create_ingest_token(channel, label="Koppling")
    ids = [f"fb-{n:03}" for n in range(ingest.MAX_BATCH)]
    held, go = threading.Event(), threading.Event()

    def hold_the_last_then_ask_for_the_first():
        with transaction.atomic():
            ingest.ingest_items(channel, [item_data(external_id=ids[-1])])
            held.set()
            go.wait(timeout=60)
            ingest.ingest_items(channel, [item_data(external_id=ids[0])])

    outcomes: list = [None, None]
    other = _in_thread(hold_the_last_then_ask_for_the_first, outcomes, 1)
    assert held.wait(timeout=30)
    batch = {"items": [item_data(external_id=i) for i in ids]}
    view = _in_thread(functools.partial(_post, Client(), batch, secret), outcomes, 0)
    _wait_until_waiting(1)
    go.set()
    for thread in (other, view):
        thread.join(timeout=60)

    response = outcomes[0]
    assert response.status_code == 200, response.content
    answered = response.json()["items"]
    assert [a["external_id"] for a in answered if not a["created"]] == [ids[0], ids[-1]]
    assert Item.objects.filter(channel=channel).count() == ingest.MAX_BATCH


def test_the_contract_names_the_503(client):
    responses = client.get("/api/v1/openapi.json").json()["paths"]["/ingest"]["post"]["responses"]

    assert "Retry-After" in responses["503"]["headers"]
    assert URL == "/api/v1/ingest"
