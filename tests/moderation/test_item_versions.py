"""An edit on the platform (the same external id with another text, by any way in) is a new
version of the item: classified again, the earlier text kept in its history, seen by whoever
may read the text, and a settled item that now matches a rule is looked at again."""

import datetime

import pytest
from django.db import connection, transaction
from django.urls import reverse

from archiving.culling import services as culling
from moderation import services
from moderation.models import Item, ItemVersion, Rule, WebhookDelivery
from moderation.services import ingest
from moderation.workflow import ItemStatus
from tests.moderation.conftest import item_data
from tests.moderation.test_api import _post
from tests.moderation.test_webhook import comment, payload

pytestmark = pytest.mark.django_db

FIRST = "När öppnar biblioteket på lördag?"
THREAT = "Någon borde riv biblioteket nu."


@pytest.fixture
def decision(ingrid):
    """The dokumenthanteringsplan's decision the purge rests on."""
    return culling.record_disposition_decision(
        by=ingrid,
        reference="KS 2026/17 § 4",
        description="Texter borttagna för överträdelse gallras efter sin tid.",
        adopted_on=datetime.date(2026, 1, 20),
    )


@pytest.fixture
def hiding_rule():
    return Rule.objects.create(
        name="Hot", kind="word", pattern="riv biblioteket", category="brott", action="hide"
    )


@pytest.fixture
def flagging_rule():
    return Rule.objects.create(
        name="Reklam", kind="word", pattern="gratis lotter", category="reklam", action="flag"
    )


def _register(channel, **overrides) -> tuple[Item, bool]:
    return services.register_item(channel, item_data(**overrides))


def test_an_edit_keeps_the_earlier_text_and_classifies_the_new_one(channel, hiding_rule):
    item, _created = _register(channel, text=FIRST)

    edited, created = _register(channel, text=THREAT)

    assert (edited.pk, created, edited.edited) == (item.pk, False, True)
    edited.refresh_from_db()
    assert edited.text == THREAT
    assert edited.edited_at is not None
    assert edited.status == ItemStatus.HIDDEN
    assert edited.decisions.get().kind == "auto_hide"
    assert list(edited.matches.values_list("rule_name", flat=True)) == ["Hot"]
    (version,) = edited.versions.all()
    assert (version.text, version.received_at) == (FIRST, item.received_at)
    assert version.replaced_at == edited.edited_at


def test_the_same_text_again_is_no_edit(channel):
    _item, _created = _register(channel, text=FIRST)

    again, created = _register(channel, text=FIRST)

    assert (created, getattr(again, "edited", False)) == (False, False)
    assert not ItemVersion.objects.exists()


def test_each_edit_keeps_the_text_it_replaced_newest_first(channel):
    _register(channel, text=FIRST)
    _register(channel, text="Andra texten")

    item, _created = _register(channel, text="Tredje texten")

    assert item.text == "Tredje texten"
    assert list(item.versions.values_list("text", flat=True)) == ["Andra texten", FIRST]


def test_a_settled_item_whose_new_text_matches_a_rule_is_opened_again(channel, dora, flagging_rule):
    item, _created = _register(channel, kind="comment", text=FIRST)
    services.decide_item(item, by=dora, kind="keep")
    item.refresh_from_db()
    settled_at, first_due = item.settled_at, item.due_at

    _register(channel, kind="comment", text="Gratis lotter för alla som delar!")

    item.refresh_from_db()
    assert item.status == ItemStatus.NEW
    reopening = item.decisions.order_by("-pk").first()
    assert (reopening.kind, reopening.from_status, reopening.to_status) == (
        "reopen",
        ItemStatus.KEPT,
        ItemStatus.NEW,
    )
    assert (reopening.actor, reopening.rule_name) == (None, "Reklam")
    assert item.due_at > first_due
    assert item.due_at > item.edited_at
    assert item.settled_at == settled_at


def test_a_settled_item_whose_new_text_matches_nothing_stays_settled(channel, dora):
    item, _created = _register(channel, kind="comment", text=FIRST)
    services.decide_item(item, by=dora, kind="keep")

    _register(channel, kind="comment", text="Tack, nu hittade jag öppettiderna.")

    item.refresh_from_db()
    assert item.status == ItemStatus.KEPT
    assert item.versions.count() == 1
    assert item.decisions.count() == 1


def test_the_api_answers_an_edit_as_not_created_and_edited(client, channel, hiding_rule):
    _token, secret = ingest.create_ingest_token(channel, label="Koppling")
    _post(client, {"items": [item_data(text=FIRST)]}, secret)

    response = _post(
        client, {"items": [item_data(text=THREAT), item_data(external_id="fb-2")]}, secret
    )

    answered = response.json()["items"]
    assert [(a["created"], a["edited"]) for a in answered] == [(False, True), (True, False)]
    assert answered[0]["status"] == "dold"
    assert answered[0]["flags"] == [{"category": "brott", "rule": "Hot", "action": "hide"}]


def test_an_edited_comment_from_the_webhook_is_a_new_version(channel, hiding_rule):
    ingest.save_webhook_subscription(channel, app_secret="hemlighet")
    for body in (payload(comment(message=FIRST)), payload(comment(message=THREAT, verb="edited"))):
        delivery, _created = ingest.receive_webhook_delivery(channel, body)
        ingest.process_webhook_delivery(delivery.pk)

    item = Item.objects.get(external_id="c-1")
    assert item.text == THREAT
    assert item.status == ItemStatus.HIDDEN
    assert list(item.versions.values_list("text", flat=True)) == [FIRST]
    assert not WebhookDelivery.objects.exclude(comment_errors=[]).exists()


def test_the_earlier_texts_are_on_the_item_page_for_those_who_may_read_the_text(
    client, channel, alice, dora, ingrid
):
    item, _created = _register(channel, text="Förolämpande text")
    _register(channel, text="Ännu grövre förolämpande text")
    url = reverse("moderation:item-detail", args=[item.pk])
    client.force_login(alice)
    assert "Tidigare versioner" in client.get(url).content.decode()

    services.decide_item(item, by=dora, kind="remove", category="fortal")

    page_for_alice = client.get(url).content.decode()
    client.force_login(ingrid)
    page_for_ingrid = client.get(url).content.decode()
    assert "Förolämpande text" not in page_for_alice
    assert "Tidigare versioner" not in page_for_alice
    assert "Förolämpande text" in page_for_ingrid


def test_the_purge_of_a_removed_text_purges_its_earlier_versions_too(decision, channel, dora, now):
    item, _created = _register(channel, text="Förolämpande text")
    _register(channel, text="Ännu grövre förolämpande text")
    services.decide_item(item, by=dora, kind="remove", category="fortal", now=now)

    culling.purge_removed_texts(now=now + datetime.timedelta(days=30))

    assert not ItemVersion.objects.filter(item=item).exists()


def test_a_purged_text_is_not_restored_by_the_same_id_sent_again(decision, channel, dora, now):
    item, _created = _register(channel, text="Förolämpande text")
    services.decide_item(item, by=dora, kind="remove", category="fortal", now=now)
    culling.purge_removed_texts(now=now + datetime.timedelta(days=30))

    _register(channel, text="Förolämpande text")

    item.refresh_from_db()
    assert item.text == ""
    assert not item.versions.exists()


@pytest.mark.each_database
def test_culling_an_edited_item_takes_its_earlier_texts_too(channel, dora):
    from moderation.services.culling import erase_items

    item, _created = _register(channel, kind="comment", text=FIRST)
    _register(channel, kind="comment", text="Tack, nu hittade jag öppettiderna.")
    services.decide_item(item, by=dora, kind="trivial")

    with transaction.atomic():
        erase_items([item.pk], parents=set())
        # The foreign keys are checked at commit on PostgreSQL: check them here.
        connection.check_constraints()

    assert not Item.objects.filter(pk=item.pk).exists()
    assert not ItemVersion.objects.exists()
