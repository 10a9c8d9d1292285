"""A known year of items whose statistics are worked out by hand in the tests.

Working hours 08:00-17:00 Europe/Stockholm. Biblioteket's Facebook page answers within one
working day (9 h), Centralskolan's X account within 6 working hours. Easter 2026: Good Friday
3 April, Easter Monday 6 April.

Each item: channel, kind, received → settled; working time; in time?
1. Facebook question, Mon 2 Mar 09:00 → answered Mon 2 Mar 11:30; 2.5 h = 9000 s; yes.
2. Facebook comment, Fri 6 Mar 16:00 → removed (fortal) Mon 9 Mar 09:00; Fri 1 h + Mon 1 h
   = 7200 s; yes (due Mon 16:00).
3. Facebook message, Thu 12 Mar 10:00 → answered Mon 16 Mar 10:00; 7 + 9 + 2 h = 64800 s;
   no (due Fri 13 Mar 10:00).
4. Facebook post (the municipality's own), Thu 5 Mar 12:00: no deadline.
5. Facebook comment, Thu 2 Apr 15:00 → kept Tue 7 Apr 09:00; Thu 2 h + Tue 1 h = 10800 s,
   Easter skipped; yes (due Tue 7 Apr 15:00).
6. Facebook question, Mon 13 Apr 10:00, still open on 1 May; no (due Tue 14 Apr 10:00).
7. X question, Tue 3 Mar 16:00 → answered Wed 4 Mar 12:00; 1 + 4 h = 18000 s; yes (due
   Wed 13:00).
8. X comment, Wed 4 Mar 08:00 → removed (hets) Wed 4 Mar 08:30; 1800 s; yes.
"""

import datetime

import pytest

from moderation import services
from tests.factories import ChannelFactory

# The moment the statistics are computed at: item 6's deadline has passed.
REFRESHED_AT = datetime.datetime.fromisoformat("2026-05-01T12:00:00+02:00")

ITEMS = [
    # (channel, external id, kind, received, decision, settled, decision fields)
    ("fb", "1", "question", "2026-03-02T09:00+01:00", "answer", "2026-03-02T11:30+01:00", {}),
    ("fb", "2", "comment", "2026-03-06T16:00+01:00", "remove", "2026-03-09T09:00+01:00",
        {"category": "fortal"}),
    # A direct message is registered (Hur hanteras inkomna synpunkter).
    ("fb", "3", "message", "2026-03-12T10:00+01:00", "register", "2026-03-16T10:00+01:00",
        {"diarienummer": "KFN 2026/3"}),
    ("fb", "4", "post", "2026-03-05T12:00+01:00", None, None, {}),
    ("fb", "5", "comment", "2026-04-02T15:00+02:00", "keep", "2026-04-07T09:00+02:00", {}),
    ("fb", "6", "question", "2026-04-13T10:00+02:00", None, None, {}),
    ("x", "7", "question", "2026-03-03T16:00+01:00", "answer", "2026-03-04T12:00+01:00", {}),
    ("x", "8", "comment", "2026-03-04T08:00+01:00", "remove", "2026-03-04T08:30+01:00",
        {"category": "hets"}),
]  # fmt: skip


@pytest.fixture
def school_channel(school):
    return ChannelFactory(
        unit=school, platform="x", account_name="Centralskolan", url="https://x.com/centralskolan"
    )


@pytest.fixture
def known_items(channel, school_channel, ingrid):
    """The eight items of the table above, registered and decided through the services."""
    channels = {"fb": channel, "x": school_channel}
    items = {}
    for where, external_id, kind, received, decision, settled, fields in ITEMS:
        item, _created = services.register_item(
            channels[where],
            {
                "external_id": external_id,
                "kind": kind,
                "author": "Anna Andersson",
                "text": "När öppnar ni på lördag?",
                "received_at": received,
            },
        )
        if decision:
            reply = {"reply_text": "Klockan tio."} if decision == "answer" else {}
            services.decide_item(
                item,
                by=ingrid,
                kind=decision,
                now=datetime.datetime.fromisoformat(settled),
                **reply,
                **fields,
            )
            item.refresh_from_db()
        items[external_id] = item
    return items
