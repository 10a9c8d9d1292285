"""On PostgreSQL a legal hold placed while the purge runs either waits for it or protects the
item from it: the purge locks the due items, then asks the protections afresh."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from archiving.culling import services as culling
from tests.culling.test_purge import LATER, TEXT_REMOVED, _removed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _blocked_by(pid: int) -> bool:
    """Whether a statement of another connection waits for a lock held by backend `pid`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted AND %s = ANY("
            "pg_blocking_pids(pid)))",
            [pid],
        )
        return cursor.fetchone()[0]


def test_a_hold_placed_while_the_purge_waits_keeps_the_text(channel, dora, ingrid, decision):
    item = _removed(channel, dora)
    outcome: dict = {}

    def purge() -> None:
        try:
            outcome["record"] = culling.purge_removed_texts(now=timezone.now() + LATER)
        except Exception as error:  # reported below, in the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    with transaction.atomic():
        culling.place_legal_hold(item, by=ingrid, reason="Begärd som bevis")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        thread = threading.Thread(target=purge)
        thread.start()
        deadline = time.monotonic() + 30
        # The purge waits for the item's row, which the hold's transaction has locked.
        while not _blocked_by(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _blocked_by(pid)
    thread.join(timeout=30)

    assert "error" not in outcome, outcome.get("error")
    assert outcome["record"] is None
    item.refresh_from_db()
    assert item.text == TEXT_REMOVED
    assert item.text_purged_at is None
