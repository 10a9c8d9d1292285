"""Forwarding to another official or unit ("vidarebefordra"): they see the item and may
handle it while it is forwarded; the response clock keeps running."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.roles import Role
from moderation import selectors, services
from moderation.models import Decision, Item
from moderation.workflow import ItemStatus
from tests.factories import UnitFactory, UserFactory
from tests.moderation.conftest import item_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def technical(db):
    return UnitFactory(name="Tekniska kontoret")


@pytest.fixture
def tove(technical):
    """Staff at Tekniska kontoret: no part in the library's channel."""
    return UserFactory(username="tove", unit=technical, roles=[Role.DAILY_OPERATOR])


def _register(channel, **overrides):
    return services.register_item(channel, item_data(**overrides))[0]


def test_an_item_forwarded_to_a_unit_reaches_its_staff_and_the_clock_keeps_running(
    channel, dora, tove, technical, carol
):
    item = _register(channel, text="Gatlyktan utanför biblioteket är trasig.")

    decision = services.decide_item(
        item, by=dora, kind="forward", forwarded_to_unit=technical, reason="Gäller belysning."
    )

    item.refresh_from_db()
    assert (item.status, item.forwarded_unit, item.assigned_to) == (
        ItemStatus.FORWARDED,
        technical,
        None,
    )
    assert item.settled_at is None
    assert decision.forwarded_to_unit == technical
    assert list(selectors.queue(tove)) == [item]
    assert list(selectors.queue(carol)) == []
    assert selectors.may_handle(tove, item)
    assert not selectors.may_handle(carol, item)


def test_the_unit_it_was_forwarded_to_answers_and_then_no_longer_holds_it(
    channel, dora, tove, technical
):
    item = _register(channel)
    services.decide_item(item, by=dora, kind="forward", forwarded_to_unit=technical)

    services.decide_item(item, by=tove, kind="answer", reply_text="Vi lagar den i veckan.")

    item.refresh_from_db()
    assert item.status == ItemStatus.ANSWERED
    assert item.settled_at is not None
    assert list(selectors.queue(tove)) == []
    with pytest.raises(PermissionDeniedError):
        services.decide_item(item, by=tove, kind="trivial")


def test_an_official_in_another_unit_gets_the_item_forwarded_to_them(channel, dora, tove, carol):
    item = _register(channel)

    services.decide_item(item, by=dora, kind="forward", forwarded_to=tove)

    assert selectors.item_for_viewer(tove, item.pk) == item
    services.decide_item(item, by=tove, kind="answer", reply_text="Svar från tekniska.")
    with pytest.raises(PermissionDeniedError):
        services.decide_item(item, by=carol, kind="keep")


@pytest.mark.parametrize(
    ("fields", "field"),
    [({}, "forwarded_to"), ({"both": True}, "forwarded_to_unit")],
)
def test_forwarding_names_a_person_or_a_unit_not_none_and_not_both(
    channel, dora, tove, technical, fields, field
):
    item = _register(channel)
    if fields:
        fields = {"forwarded_to": tove, "forwarded_to_unit": technical}

    with pytest.raises(ValidationError) as error:
        services.decide_item(item, by=dora, kind="forward", **fields)

    assert field in error.value.message_dict
    assert not Decision.objects.filter(item=item).exists()


def test_forwarding_to_a_unit_through_the_page(client, channel, dora, tove, technical):
    item = _register(channel)
    client.force_login(dora)

    response = client.post(
        reverse("moderation:item-decide", args=[item.pk]),
        {"kind": "forward", "forwarded_to_unit": technical.pk},
        follow=True,
    )

    assert "Beslutet är registrerat." in response.content.decode()
    client.force_login(tove)
    page = client.get(reverse("moderation:item-detail", args=[item.pk])).content.decode()
    assert "till Tekniska kontoret" in page
    assert "Registrera beslutet" in page
    assert f"/moderering/{item.pk}/" in client.get(reverse("moderation:item-list")).content.decode()


# --- A text a rule hid stays hidden while forwarded --------------------------------------

PERSONNUMMER_TEXT = "Mitt personnummer är 811228-9874."


@pytest.mark.parametrize(
    ("text", "decisions", "held"),
    [
        (PERSONNUMMER_TEXT, [], True),
        (PERSONNUMMER_TEXT, ["forward"], True),
        (PERSONNUMMER_TEXT, ["forward", "forward"], True),
        (PERSONNUMMER_TEXT, ["forward", "keep"], False),
        (PERSONNUMMER_TEXT, ["forward", "answer"], False),
        (PERSONNUMMER_TEXT, ["keep"], False),
        ("Gatlyktan är trasig.", [], False),
        ("Gatlyktan är trasig.", ["forward"], False),
        # A person's hiding holds the text as a rule's does.
        ("Gatlyktan är trasig.", ["hide"], True),
        ("Gatlyktan är trasig.", ["hide", "forward"], True),
        ("Gatlyktan är trasig.", ["hide", "forward", "keep"], False),
    ],
)
def test_a_text_a_rule_hid_is_held_until_a_person_judges_it_forwarding_is_no_judgement(
    channel, dora, tove, text, decisions, held
):
    # A comment: a question may not be kept unanswered (test_duties), which is beside the point.
    item = _register(channel, text=text, kind="comment")
    fields = {
        "forward": {"forwarded_to": tove},
        "keep": {},
        "hide": {},
        "answer": {"reply_text": "Vi har tagit bort numret."},
    }
    for kind in decisions:
        services.decide_item(item, by=dora, kind=kind, **fields[kind])
    item = Item.objects.get(pk=item.pk)

    assert selectors.held_by_rule(item) is held
    in_sql = Item.objects.with_held_by_rule().get(pk=item.pk).held_by_rule
    assert in_sql is held


def test_the_official_it_was_forwarded_to_is_told_the_text_stays_hidden(
    client, channel, dora, tove
):
    item = _register(channel, text=PERSONNUMMER_TEXT)
    services.decide_item(item, by=dora, kind="forward", forwarded_to=tove)
    client.force_login(tove)

    page = client.get(reverse("moderation:item-detail", args=[item.pk])).content.decode()

    assert "Texten är dold i väntan på granskning" in page


def test_the_official_it_was_forwarded_to_sees_the_thread_but_opens_only_that_item(
    client, channel, dora, tove
):
    question = _register(channel, external_id="fb-1", author="Anna Andersson")
    reply = _register(channel, external_id="fb-2", kind="comment", parent="fb-1", author="Bo Berg")
    answer = _register(channel, external_id="fb-3", kind="comment", parent="fb-2", author="Cia Ek")
    services.decide_item(reply, by=dora, kind="forward", forwarded_to=tove)
    client.force_login(tove)

    page = client.get(reverse("moderation:item-detail", args=[reply.pk])).content.decode()

    thread = page[page.index('id="traden"') : page.index('id="historik"')]
    assert thread.count("<li ") == 3
    for other in (question, answer):
        assert f"/moderering/{other.pk}/" not in thread
    assert "Anna Andersson" not in thread
    assert "Cia Ek" not in thread
    assert "Bo Berg" in thread
