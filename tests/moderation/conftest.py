import datetime

import pytest

# Friday 27 March 2026, 16:30 Stockholm time (CET, +01:00).
FRIDAY_AFTERNOON = "2026-03-27T16:30:00+01:00"


def item_data(**overrides) -> dict:
    data = {
        "external_id": "fb-1",
        "kind": "question",
        "author": "Anna Andersson",
        "text": "När öppnar biblioteket på lördag?",
        "received_at": FRIDAY_AFTERNOON,
        "url": "https://www.facebook.com/bibblan-moderering/posts/1",
        "parent": None,
    }
    return data | overrides


@pytest.fixture
def now():
    return datetime.datetime.fromisoformat("2026-03-30T09:00:00+02:00")
