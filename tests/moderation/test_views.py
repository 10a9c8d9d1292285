"""The queue, an item's page, decisions through the browser and the rules pages."""

import datetime

import pytest
from django.urls import reverse

from moderation import services
from moderation.models import Item
from moderation.workflow import ItemStatus
from tests.factories import ChannelFactory
from tests.moderation.conftest import item_data

pytestmark = pytest.mark.django_db


def _register(channel, **overrides):
    return services.register_item(channel, item_data(**overrides))[0]


def test_the_queue_lists_what_needs_handling_due_first(client, channel, dora):
    later = _register(channel, external_id="sen", received_at="2026-03-30T10:00:00+02:00")
    earlier = _register(channel, external_id="tidig")
    _register(channel, external_id="eget", kind="post")
    client.force_login(dora)

    page = client.get(reverse("moderation:item-list")).content.decode()

    assert page.index(f"/moderering/{earlier.pk}/") < page.index(f"/moderering/{later.pk}/")
    assert "2 inlägg väntar" in page


def test_another_units_staff_do_not_see_the_queue_or_the_item(client, channel, carol):
    item = _register(channel)
    client.force_login(carol)

    page = client.get(reverse("moderation:item-list")).content.decode()

    assert f"/moderering/{item.pk}/" not in page
    assert client.get(reverse("moderation:item-detail", args=[item.pk])).status_code == 404


def test_the_queue_filters_by_response_time_state(client, channel, dora, time_machine):
    time_machine.move_to(datetime.datetime.fromisoformat("2026-03-30T17:00:00+02:00"))
    late = _register(channel, external_id="sen")
    fresh = _register(channel, external_id="ny", received_at="2026-03-30T15:00:00+02:00")
    client.force_login(dora)

    page = client.get(reverse("moderation:item-list"), {"sla": "late"}).content.decode()

    assert f"/moderering/{late.pk}/" in page
    assert f"/moderering/{fresh.pk}/" not in page


def test_the_queue_does_a_constant_number_of_queries(
    client, channel, dora, django_assert_max_num_queries
):
    for number in range(30):
        _register(channel, external_id=f"fb-{number}", text=f"Fråga nummer {number}, idiot")
    client.force_login(dora)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("moderation:item-list"))

    assert response.content.decode().count('name="items"') == 30


def test_an_operator_answers_an_item_in_the_browser(client, channel, dora):
    item = _register(channel)
    client.force_login(dora)

    response = client.post(
        reverse("moderation:item-decide", args=[item.pk]),
        {"kind": "answer", "reply_text": "Klockan 10–14."},
        follow=True,
    )

    item.refresh_from_db()
    assert item.status == ItemStatus.ANSWERED
    assert "Beslutet är registrerat." in response.content.decode()


def test_a_missing_category_is_told_in_swedish_and_nothing_changes(client, channel, dora):
    item = _register(channel)
    client.force_login(dora)

    response = client.post(
        reverse("moderation:item-decide", args=[item.pk]), {"kind": "remove"}, follow=True
    )

    item.refresh_from_db()
    assert item.status == ItemStatus.NEW
    assert "Ange vilken kategori" in response.content.decode()


def test_a_unit_member_not_named_in_the_plan_may_read_but_not_decide(client, channel, library):
    from atvida_social.organisation.roles import Role
    from tests.factories import UserFactory

    colleague = UserFactory(unit=library, roles=[Role.DAILY_OPERATOR])
    item = _register(channel)
    client.force_login(colleague)

    read = client.get(reverse("moderation:item-detail", args=[item.pk]))
    decide = client.post(reverse("moderation:item-decide", args=[item.pk]), {"kind": "keep"})

    assert (read.status_code, decide.status_code) == (200, 403)
    assert Item.objects.get(pk=item.pk).status == ItemStatus.NEW


def test_several_items_get_the_same_decision_at_once(client, channel, dora):
    items = [_register(channel, kind="comment", external_id=f"fb-{n}") for n in range(3)]
    client.force_login(dora)

    client.post(
        reverse("moderation:bulk-decide"),
        {"items": [i.pk for i in items], "kind": "trivial"},
    )

    assert {i.status for i in Item.objects.all()} == {ItemStatus.TRIVIAL}


def test_a_removed_text_is_not_shown_to_the_operator(client, channel, dora, ingrid):
    item = _register(channel, text="Hemlig förolämpning")
    services.decide_item(item, by=dora, kind="remove", category="fortal")
    client.force_login(dora)
    operator_page = client.get(reverse("moderation:item-detail", args=[item.pk])).content.decode()
    client.force_login(ingrid)
    info_page = client.get(reverse("moderation:item-detail", args=[item.pk])).content.decode()

    assert "Hemlig förolämpning" not in operator_page
    assert "Hemlig förolämpning" in info_page


def test_staff_register_an_item_by_hand(client, channel, dora):
    client.force_login(dora)

    response = client.post(
        reverse("moderation:item-create"),
        {
            "channel": channel.pk,
            "kind": "message",
            "external_id": "dm-7",
            "author": "Bo",
            "text": "Hej! Min son har fått fel bok.",
            "received_at": "2026-03-27T16:30",
        },
    )

    item = Item.objects.get(external_id="dm-7")
    assert response.status_code == 302
    assert item.due_at is not None


@pytest.mark.parametrize("received_at", ["0001-01-01T00:00", "1999-12-31T23:59"])
def test_hand_registration_before_2000_is_a_form_error_not_a_500(
    client, channel, dora, received_at
):
    client.force_login(dora)

    response = client.post(
        reverse("moderation:item-create"),
        {
            "channel": channel.pk,
            "kind": "message",
            "external_id": "dm-7",
            "text": "Hej!",
            "received_at": received_at,
        },
    )

    assert response.status_code == 200
    assert "Tidpunkten ligger för långt tillbaka: tidigast 2000-01-01." in response.content.decode()
    assert not Item.objects.exists()


def test_the_rules_pages_are_for_informationsenheten(client, alice, ingrid):
    client.force_login(alice)
    refused = client.get(reverse("moderation:rule-list")).status_code
    client.force_login(ingrid)
    allowed = client.get(reverse("moderation:rule-list"), {"text": "Du är en idiot"})

    assert (refused, allowed.status_code) == (403, 200)
    assert "Förolämpning: idiot" in allowed.content.decode()


def test_a_bad_regex_is_answered_beside_the_field(client, ingrid):
    client.force_login(ingrid)

    response = client.post(
        reverse("moderation:rule-create"),
        {
            "name": "Trasig",
            "kind": "regex",
            "pattern": "(",
            "category": "fortal",
            "action": "flag",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "Formuläret innehåller fel" in response.content.decode()


def test_items_of_a_channel_without_a_current_plan_are_decided_by_informationsenheten_only(
    client, library, alice, ingrid
):
    orphan = ChannelFactory(unit=library, url="https://www.facebook.com/utan-plan")
    item = _register(orphan)
    client.force_login(alice)

    refused = client.post(reverse("moderation:item-decide", args=[item.pk]), {"kind": "keep"})
    client.force_login(ingrid)
    allowed = client.post(reverse("moderation:item-decide", args=[item.pk]), {"kind": "keep"})

    assert (refused.status_code, allowed.status_code) == (403, 302)


def test_an_item_is_assigned_to_one_of_the_channels_moderators(client, channel, dora, alice, carol):
    item = _register(channel)
    client.force_login(dora)
    url = reverse("moderation:item-assign", args=[item.pk])

    client.post(url, {"assigned_to": carol.pk})
    refused = Item.objects.get(pk=item.pk).assigned_to
    client.post(url, {"assigned_to": alice.pk})

    assert refused is None
    assert Item.objects.get(pk=item.pk).assigned_to == alice
