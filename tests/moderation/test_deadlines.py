"""The response deadline is read from the staff's response-policy table, seeded with the
guideline's times (Rimliga svarstider)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from channels.models import Platform
from moderation import deadlines
from moderation.models import ResponsePolicy
from moderation.workflow import ItemKind
from tests.factories import ChannelFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _local(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


def _run_seeding_migration() -> None:
    """The migration that seeds the policies, as `migrate` runs it: loaded from the migration
    graph and applied to the project state before it (the session's set-up seeds the rows by
    calling its function directly, which would hide a migration that no longer runs it)."""
    loader = MigrationLoader(connection)
    key = ("moderation", "0003_starter_rules_and_policies")
    state = loader.project_state(key, at_end=False)
    loader.get_migration(*key).apply(state, connection.schema_editor(atomic=False))


@pytest.mark.each_database
def test_the_migration_seeds_the_guidelines_response_times(db):
    """Rimliga svarstider: X six working hours, Facebook and blogs one working day, any other
    platform (the default row) one working day, read back from the rows the migration made."""
    ResponsePolicy.objects.all().delete()

    _run_seeding_migration()

    rows = {(p.platform, p.unit, p.amount) for p in ResponsePolicy.objects.all()}
    assert rows == {
        (Platform.X, "hours", Decimal(6)),
        (Platform.FACEBOOK, "days", Decimal(1)),
        (Platform.BLOG, "days", Decimal(1)),
        ("", "days", Decimal(1)),
    }


@pytest.mark.parametrize(
    ("platform", "received", "due"),
    [
        # X: six working hours. Monday 10:00 → Monday 16:00; Friday 15:00 → Monday 12:00.
        (Platform.X, "2026-03-02 10:00", "2026-03-02 16:00"),
        (Platform.X, "2026-03-06 15:00", "2026-03-09 12:00"),
        # Facebook and blogs: one working day. Friday 15:00 → Monday 15:00.
        (Platform.FACEBOOK, "2026-03-06 15:00", "2026-03-09 15:00"),
        (Platform.BLOG, "2026-03-06 15:00", "2026-03-09 15:00"),
        # Any other platform: the default row, one working day.
        (Platform.YOUTUBE, "2026-03-02 10:00", "2026-03-03 10:00"),
    ],
)
def test_deadlines_from_the_seeded_rows_follow_the_guideline(platform, received, due, library):
    ResponsePolicy.objects.all().delete()
    _run_seeding_migration()
    channel = ChannelFactory.build(unit=library, platform=platform)

    deadline = deadlines.deadline_for(channel, ItemKind.QUESTION, _local(received))

    assert deadline == _local(due)


def test_citizen_reports_get_the_default_policy(channel):
    ResponsePolicy.objects.filter(platform=Platform.FACEBOOK).update(amount=6, unit="hours")
    assert deadlines.policy_for(channel, ItemKind.REPORT).platform == ""
    assert deadlines.policy_for(channel, ItemKind.COMMENT).platform == Platform.FACEBOOK


def test_deadline_follows_the_edited_policy_row(channel):
    received = datetime.datetime(2026, 3, 6, 15, tzinfo=STOCKHOLM)
    ResponsePolicy.objects.filter(platform=Platform.FACEBOOK).update(amount=6, unit="hours")
    due = deadlines.deadline_for(channel, ItemKind.COMMENT, received)
    assert due.astimezone(STOCKHOLM) == datetime.datetime(2026, 3, 9, 12, tzinfo=STOCKHOLM)


def test_without_any_policy_row_the_deadline_is_one_working_day(channel):
    ResponsePolicy.objects.all().delete()
    received = datetime.datetime(2026, 3, 6, 15, tzinfo=STOCKHOLM)
    due = deadlines.deadline_for(channel, ItemKind.COMMENT, received)
    assert due.astimezone(STOCKHOLM) == datetime.datetime(2026, 3, 9, 15, tzinfo=STOCKHOLM)


def test_the_municipalitys_own_posts_have_no_deadline(channel):
    received = datetime.datetime(2026, 3, 6, 15, tzinfo=STOCKHOLM)
    assert deadlines.deadline_for(channel, ItemKind.POST, received) is None


def test_the_admin_keeps_the_default_row_and_lets_a_platform_row_go(channel, client):
    from django.urls import reverse

    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    default = ResponsePolicy.objects.get(platform="")
    facebook = ResponsePolicy.objects.get(platform=Platform.FACEBOOK)

    def delete_page(policy):
        url = reverse("admin:moderation_responsepolicy_delete", args=[policy.pk])
        return client.get(url).status_code

    assert (delete_page(default), delete_page(facebook)) == (403, 200)
