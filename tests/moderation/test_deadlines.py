"""The response deadline is read from the staff's response-policy table, seeded with the
guideline's times (Rimliga svarstider)."""

import datetime
from zoneinfo import ZoneInfo

from channels.models import Platform
from moderation import deadlines
from moderation.models import ResponsePolicy
from moderation.workflow import ItemKind

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _policy(platform: str) -> tuple[str, float]:
    policy = ResponsePolicy.objects.get(platform=platform)
    return policy.unit, float(policy.amount)


def test_seeded_policies_follow_the_guideline(channel):
    assert _policy(Platform.X) == ("hours", 6)
    assert _policy(Platform.FACEBOOK) == ("days", 1)
    assert _policy(Platform.BLOG) == ("days", 1)
    assert _policy("") == ("days", 1)


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
