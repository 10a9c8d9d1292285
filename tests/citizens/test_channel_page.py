"""The public page of a channel in the published register: purpose, watching, response
times, house rules and how to report (Det här bör verksamheten tänka på)."""

import datetime

import pytest
import time_machine

from activityplans.models import ActivityPlan, MonitoringFrequency
from activityplans.selectors import current_plan
from channels import services as channel_services
from channels.models import ChannelStatus
from moderation.citizens import HOUSE_RULES, RULES_INTRO, WHAT_COMMENTS_ARE_FOR, WHAT_HAPPENS
from moderation.models import ResponsePolicy
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def test_page_tells_purpose_watching_response_time_rules_and_how_to_report(client, published):
    page = client.get(f"/sociala-medier/kanal/{published.pk}").content.decode()

    assert "Sprida information och skapa dialog." in page  # the current plan's purpose
    assert "Kanalen bevakas minst en gång i veckan." in page  # the plan's review interval
    assert "Varje vardag kl. 8 och 15." in page  # its monitoring answer
    assert "bara under kontorstid" in page
    assert "Vi svarar normalt inom en arbetsdag och alltid inom fem dagar." in page
    assert "vardagar 08:00–17:00, utom helgdagar, julafton" in page
    assert str(WHAT_COMMENTS_ARE_FOR) in page
    assert str(RULES_INTRO) in page
    for rule in HOUSE_RULES:
        assert str(rule.title) in page
        assert str(rule.explanation) in page
    assert str(WHAT_HAPPENS) in page
    assert f'href="/sociala-medier/anmal?kanal={published.pk}"' in page


def test_watching_follows_the_current_plans_review_interval(client, published):
    plan = current_plan(published)
    plan.monitoring_frequency = MonitoringFrequency.WORKING_DAYS
    plan.monitoring_from, plan.monitoring_until = datetime.time(8), datetime.time(16)
    ActivityPlan.objects.filter(pk=plan.pk).update(
        monitoring_frequency=plan.monitoring_frequency,
        monitoring_from=plan.monitoring_from,
        monitoring_until=plan.monitoring_until,
    )

    page = client.get(f"/sociala-medier/kanal/{published.pk}").content.decode()

    assert "Kanalen bevakas varje arbetsdag 8–16." in page
    assert "minst en gång i veckan" not in page


def test_response_time_follows_the_platforms_policy(client, published):
    ResponsePolicy.objects.filter(platform="facebook").update(amount=6, unit="hours")

    page = client.get(f"/sociala-medier/kanal/{published.pk}").content.decode()

    assert "Vi svarar normalt inom 6 arbetstimmar" in page


def test_register_links_each_channel_to_its_page(client, published):
    page = client.get("/sociala-medier").content.decode()

    assert f'href="/sociala-medier/kanal/{published.pk}"' in page


def test_unknown_channel_has_no_page(client, published):
    assert client.get("/sociala-medier/kanal/0").status_code == 404
    assert client.get("/sociala-medier/kanal/99999999999999999999").status_code == 404


def test_channel_not_yet_published_has_no_page(client, published, library):
    unpublished = ChannelFactory(unit=library)

    assert client.get(f"/sociala-medier/kanal/{unpublished.pk}").status_code == 404


def test_channel_closed_since_publication_has_no_page(client, published):
    published.status = ChannelStatus.CLOSED
    published.ended_on = published.started_on
    published.save()

    assert client.get(f"/sociala-medier/kanal/{published.pk}").status_code == 404


# Frozen: the latest version's number stays cached for 5 s, which a loaded machine can outlast.
@time_machine.travel(datetime.datetime(2026, 3, 30, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_page_answers_in_a_constant_number_of_queries(
    client, published, library, ingrid, django_assert_num_queries
):
    """The channel, its current plan and the response times; the register's ids are read
    once per published version."""
    client.get(f"/sociala-medier/kanal/{published.pk}")
    with django_assert_num_queries(3):
        client.get(f"/sociala-medier/kanal/{published.pk}")
    for number in range(30):
        ChannelFactory(unit=library, url=f"https://www.facebook.com/fler-{number}")
    channel_services.publish_register(by=ingrid)
    client.get(f"/sociala-medier/kanal/{published.pk}")

    with django_assert_num_queries(3):
        response = client.get(f"/sociala-medier/kanal/{published.pk}")

    assert response.status_code == 200
