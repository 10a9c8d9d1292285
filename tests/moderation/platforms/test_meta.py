"""What the Graph connectors share: times, texts cut on a character, the usage headers."""

import datetime
import json

import pytest

from moderation.platforms import meta


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-27T15:30:00+0000", datetime.datetime(2026, 3, 27, 15, 30, tzinfo=datetime.UTC)),
        ("2026-03-27T15:30:00Z", datetime.datetime(2026, 3, 27, 15, 30, tzinfo=datetime.UTC)),
        (1774625400, datetime.datetime(2026, 3, 27, 15, 30, tzinfo=datetime.UTC)),
        ("2026-03-27T15:30:00", None),
        ("igår", None),
        (True, None),
        (None, None),
        (10**20, None),
    ],
)
def test_parse_time_reads_graphs_forms_and_refuses_the_rest(value, expected):
    assert meta.parse_time(value) == expected


def test_cut_text_keeps_whole_characters():
    assert meta.cut_text("a😀b", 3) == "a"
    assert meta.cut_text("a😀b", 5) == "a😀"
    assert meta.cut_text(None, 5) == ""


def test_read_usage_takes_the_highest_share_of_both_headers_and_the_wait():
    headers = {
        "x-app-usage": json.dumps({"call_count": 12, "total_cputime": 3, "total_time": 5}),
        "x-business-use-case-usage": json.dumps(
            {
                "104523998765432": [
                    {
                        "type": "pages",
                        "call_count": 95,
                        "total_cputime": 10,
                        "total_time": 20,
                        "estimated_time_to_regain_access": 7,
                    }
                ]
            }
        ),
    }

    assert meta.read_usage(headers) == {"usage_percent": 95, "regain_minutes": 7}


def test_read_usage_ignores_a_broken_header():
    assert meta.read_usage({"x-app-usage": "{not json"}) == {
        "usage_percent": 0,
        "regain_minutes": None,
    }
    assert meta.read_usage({}) == {}
