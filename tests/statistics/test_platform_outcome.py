"""Decided is not done (issue 19): the statistics count the decisions that asked something
of the platform, how many the platform carried out and how many it did not, each item once,
from its fact, so that a month's figures outlive culling like the others."""

import csv
import io

import pytest
from django.utils import timezone

from moderation.models import Item, MonthlyStatistics
from moderation.platforms.simulator.state import Fault
from moderation.services import decide_item, platform_actions, pulls, statistics
from moderation.workflow import DecisionKind
from tests.moderation.platforms import blog


@pytest.fixture
def connected(simulator, library, alice, bob, dora):
    channel = blog.blog_channel(library, alice, bob, dora)
    post = blog.open_blog(simulator)
    return blog.connect(channel), post


def _pulled(simulator, connection, post, texts):
    written = [blog.comment(simulator, post, text) for text in texts]
    pulls.pull_connection(connection.pk)
    return [Item.objects.get(channel=connection.channel, external_id=w.id) for w in written]


def _figures(channel) -> tuple[int, int, int]:
    now = timezone.localtime()
    statistics.refresh_statistics(now.year)
    row = MonthlyStatistics.objects.get(year=now.year, month=now.month, channel=channel)
    return row.platform_asked, row.platform_done, row.platform_failed


def _carry_out(item):
    for action in item.platform_actions.all():
        platform_actions.carry_out_platform_action(action.pk)


def test_the_statistics_tell_decided_from_done_on_the_platform(simulator, connected, dora):
    connection, post = connected
    done, failing, waiting, kept = _pulled(
        simulator,
        connection,
        post,
        ["Köp billiga klockor här!", "Köp billiga väskor här!", "Reklam igen.", "Tack!"],
    )
    for item in (done, failing, waiting):
        decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")
    decide_item(kept, by=dora, kind=DecisionKind.KEEP)  # nothing to do on the platform
    _carry_out(done)
    simulator.inject(Fault("wordpress", "server_error", times=5))
    for _attempt in range(platform_actions.MAX_ATTEMPTS):
        _carry_out(failing)

    assert _figures(connection.channel) == (3, 1, 1)


def test_a_failure_tried_again_and_done_counts_as_done(simulator, connected, dora, ingrid):
    connection, post = connected
    [item] = _pulled(simulator, connection, post, ["Köp billiga klockor här!"])
    decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")
    simulator.inject(Fault("wordpress", "server_error", times=5))
    for _attempt in range(platform_actions.MAX_ATTEMPTS):
        _carry_out(item)
    assert _figures(connection.channel) == (1, 0, 1)

    platform_actions.retry_platform_action(item.platform_actions.get(), by=dora)
    assert _figures(connection.channel) == (1, 0, 0)
    _carry_out(item)

    assert _figures(connection.channel) == (1, 1, 0)


def test_the_csv_shows_the_platform_columns(client, simulator, connected, dora, ingrid):
    connection, post = connected
    [item] = _pulled(simulator, connection, post, ["Köp billiga klockor här!"])
    decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")
    _carry_out(item)
    year = timezone.localtime().year
    statistics.refresh_statistics(year)
    client.force_login(ingrid)

    response = client.get("/moderering/statistik.csv", {"year": year})
    text = response.content.decode()
    header, whole_year, *_months = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    columns = dict(zip(header, whole_year, strict=True))

    assert columns["Beslut att utföra på plattformen"] == "1"
    assert columns["Utförda på plattformen"] == "1"
    assert columns["Ej utförda på plattformen"] == "0"


def test_what_the_platform_cannot_do_counts_as_not_done(simulator, connected, dora):
    """A blog has no direct messages: a rule's hiding of one asks the platform, which
    cannot."""
    from moderation.services.ingest import ingest_items

    connection, _post = connected
    [(message, _created)] = ingest_items(
        connection.channel,
        [
            {
                "external_id": "brev-1",
                "kind": "message",
                "author": "Anna Andersson",
                "text": "Min granne heter Olle, personnummer 811218-9876, och är sjuk.",
                "received_at": timezone.now().isoformat(),
            }
        ],
    )
    _carry_out(message)

    assert message.platform_actions.get().state == "ej_mojlig"
    assert _figures(connection.channel) == (1, 0, 1)


def test_the_migration_gives_earlier_decisions_their_outcome(simulator, connected, dora):
    """Actions asked for before the facts kept their outcome get it from the migration."""
    import importlib

    from django.apps import apps

    from moderation.models import ItemFact

    fill = importlib.import_module(
        "moderation.migrations.0021_statistics_platform_outcome"
    ).fill_platform_outcomes
    connection, post = connected
    done, failing, kept = _pulled(
        simulator, connection, post, ["Köp klockor!", "Köp väskor!", "Tack!"]
    )
    for item in (done, failing):
        decide_item(item, by=dora, kind=DecisionKind.REMOVE, category="reklam")
    decide_item(kept, by=dora, kind=DecisionKind.KEEP)
    _carry_out(done)
    simulator.inject(Fault("wordpress", "server_error", times=5))
    for _attempt in range(platform_actions.MAX_ATTEMPTS):
        _carry_out(failing)
    # As the facts were before they kept it.
    ItemFact.objects.update(platform_asked_at=None, platform_done_at=None, platform_failed=False)
    assert _figures(connection.channel) == (0, 0, 0)

    fill(apps, None)

    assert _figures(connection.channel) == (2, 1, 1)
