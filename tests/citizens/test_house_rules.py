"""The house rules: one text per category of the guideline, shown on the public page and
copied by the unit to paste on the platform ("informera om syftet … vilka typer av
kommentarer som inte får förekomma")."""

import pytest
from django.test import Client

from moderation.categories import Category
from moderation.citizens import HOUSE_RULES
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def test_every_category_of_the_guideline_has_a_house_rule():
    assert [rule.category for rule in HOUSE_RULES] == list(Category)
    assert all(rule.title and rule.explanation for rule in HOUSE_RULES)


def _staff(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_unit_copies_the_house_rules_with_purpose_and_report_link(published, dora, settings):
    settings.SITE_URL = "https://sociala.atvidaberg.se"

    response = _staff(dora).get(f"/moderering/kanaler/{published.pk}/ordningsregler/")

    assert response.status_code == 200
    text = response.context["text"]
    assert "Sprida information och skapa dialog." in text
    assert "Varje vardag kl. 8 och 15." in text
    for rule in HOUSE_RULES:
        assert f"- {rule.title}: {rule.explanation}" in text
    assert f"https://sociala.atvidaberg.se/sociala-medier/anmal?kanal={published.pk}" in text
    assert f"https://sociala.atvidaberg.se/sociala-medier/kanal/{published.pk}" in text
    page = response.content.decode()
    assert "readonly>Välkommen till" in page
    assert "data-copy-target" in page


def test_unpublished_channel_links_to_the_form_without_a_preselected_channel(
    published, alice, library
):
    planned = ChannelFactory(unit=library, status="planerad")

    response = _staff(alice).get(f"/moderering/kanaler/{planned.pk}/ordningsregler/")

    assert "?kanal=" not in response.context["text"]
    assert "har ingen offentlig sida" in response.content.decode()


def test_another_units_staff_do_not_see_the_channels_house_rules(published, carol):
    response = _staff(carol).get(f"/moderering/kanaler/{published.pk}/ordningsregler/")

    assert response.status_code == 404


def test_staff_channel_page_links_to_the_house_rules(published, alice):
    page = _staff(alice).get(f"/kanaler/{published.pk}/").content.decode()

    assert f'href="/moderering/kanaler/{published.pk}/ordningsregler/"' in page
