"""The report form /sociala-medier/anmal: a visitor's report of offensive content becomes a
report item in the channel's queue (Det här bör verksamheten tänka på: "uppmana besökare att
rapportera kränkande innehåll")."""

import base64
import datetime
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from atvida_social.organisation.models import AuditLogEntry
from channels import services as channel_services
from channels.models import ChannelStatus
from moderation.citizens import WHAT_HAPPENS
from moderation.models import Item
from moderation.services import reports
from moderation.workflow import ItemKind, ItemStatus
from tests.factories import ChannelFactory

from .conftest import report_data

pytestmark = pytest.mark.django_db

URL = "/sociala-medier/anmal"


def _receipt_reference(client, response) -> str:
    page = client.get(response["Location"]).content.decode()
    return re.search(r"ANM-[0-9A-Z]{5}-[0-9A-Z]{5}", page).group(0)


@time_machine.travel(datetime.datetime(2026, 3, 27, 16, 30, tzinfo=datetime.UTC), tick=False)
def test_report_becomes_a_report_item_in_the_queue_with_its_deadline(client, published):
    response = client.post(URL, report_data(published))

    assert response.status_code == 302
    assert response["Location"].startswith("/sociala-medier/anmal/kvitto/")
    item = Item.objects.get()
    assert item.channel == published
    assert item.kind == ItemKind.REPORT
    assert item.status == ItemStatus.NEW
    assert item.url == "https://www.facebook.com/bibblan-moderering/posts/1?comment_id=7"
    assert item.author == "Stina Svensson <stina@example.se>"
    assert "Förtal, personangrepp och förolämpningar" in item.text
    assert "Kommentaren hänger ut en anställd." in item.text
    # Friday 17:30 Stockholm time: one working day runs to Monday at 17:00.
    assert item.due_at == datetime.datetime(2026, 3, 30, 15, 0, tzinfo=datetime.UTC)
    assert item.warn_at is not None
    assert item.external_id == _receipt_reference(client, response)


def test_operator_of_the_channel_finds_the_report_in_the_queue(client, published, dora):
    client.post(URL, report_data(published))
    operator = Client()
    operator.force_login(dora)

    page = operator.get("/moderering/?kind=report").content.decode()

    assert "Anmälan från medborgare" in page
    assert Item.objects.get().external_id in page


def test_receipt_shows_only_the_reference_and_what_happens_next(client, published):
    response = client.post(URL, report_data(published))

    page = client.get(response["Location"]).content.decode()

    assert "Tack för din anmälan" in page
    assert "Vad händer nu?" in page
    assert Item.objects.get().external_id in page
    assert published.account_name not in page
    assert "stina@example.se" not in page
    assert "hänger ut" not in page


def test_receipt_address_cannot_be_made_up(client, published):
    response = client.post(URL, report_data(published))
    token = response["Location"].rsplit("/", 1)[1]
    reference = Item.objects.get().external_id
    _payload, timestamp, signature = token.split(":")
    other = base64.urlsafe_b64encode(b'"ANM-22222-22222"').decode().rstrip("=")
    made_up = f"{other}:{timestamp}:{signature}"

    assert client.get(f"/sociala-medier/anmal/kvitto/{made_up}").status_code == 404
    assert client.get(f"/sociala-medier/anmal/kvitto/{reference}").status_code == 404


def test_references_are_random_not_counted(client, published):
    """A reference tells nothing of the others: neither a count nor a shared prefix."""
    client.post(URL, report_data(published))
    references = [reports.new_reference() for _number in range(50)]

    assert re.fullmatch(r"ANM-[2-9A-Z]{5}-[2-9A-Z]{5}", Item.objects.get().external_id)
    assert len({reference[4:9] for reference in references}) == 50


def test_form_offers_only_published_channels(client, published, library):
    unpublished = ChannelFactory(unit=library, account_name="Ännu inte publicerad")

    page = client.get(URL).content.decode()

    assert published.account_name in page
    assert unpublished.account_name not in page


def test_form_preselects_the_channel_of_the_link(client, published):
    page = client.get(f"{URL}?kanal={published.pk}").content.decode()

    assert f'<option value="{published.pk}" selected>' in page


def test_tampered_post_with_a_closed_channel_is_refused(client, published, library):
    """Closed since the register was published: still listed, no longer offered."""
    published.status = ChannelStatus.CLOSED
    published.ended_on = datetime.date(2026, 1, 31)
    published.save()

    response = client.post(URL, report_data(published))

    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.context["form"].errors["channel"][0]
    assert not Item.objects.exists()


def test_service_refuses_a_channel_outside_the_published_register(published, library):
    unpublished = ChannelFactory(unit=library)

    with pytest.raises(ValidationError) as refused:
        reports.submit_report(report_data(published, channel=unpublished.pk))

    assert "channel" in refused.value.message_dict
    assert not Item.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("channel", "", "Detta fält måste fyllas i."),
        ("channel", "abc", "Välj ett giltigt alternativ"),
        ("content_url", "", "Detta fält måste fyllas i."),
        ("content_url", "inte en adress", "Ange en fullständig webbadress"),
        ("content_url", "javascript:alert(1)", "Ange en fullständig webbadress"),
        ("content_url", "ftp://example.se/fil", "Ange en fullständig webbadress"),
        ("content_url", "https://example.se/" + "a" * 1000, "Skriv högst 1000 tecken."),
        ("reason", "", "Detta fält måste fyllas i."),
        ("reason", "ovanligt", "Välj ett giltigt alternativ"),
        ("other_reason", "x" * 201, "Skriv högst 200 tecken."),
        ("name", "N" * 71, "Skriv högst 70 tecken."),
        ("name", "Stina\nSvensson", "Skriv på en rad."),
        ("email", "stina@", "Ange en giltig e-postadress"),
        ("email", "a" * 110 + "@example.se", "Skriv högst 120 tecken."),
        ("message", "m" * 2001, "Skriv högst 2000 tecken."),
    ],
)
def test_each_field_is_checked_beside_the_field_and_nothing_is_stored(
    client, published, field, value, message
):
    data = report_data(published, **{field: value})
    if field == "other_reason":
        data["reason"] = "annat"

    response = client.post(URL, data)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert "Formuläret innehåller fel." in response.content.decode()
    assert not Item.objects.exists()


def test_service_refuses_nul_characters(published):
    with pytest.raises(ValidationError) as refused:
        reports.submit_report(report_data(published, message="a\x00b", name="x\x00"))

    assert refused.value.message_dict == {
        "message": ["Fältet innehåller otillåtna tecken."],
        "name": ["Fältet innehåller otillåtna tecken."],
    }


def test_service_refuses_an_unknown_reason_whoever_calls(published):
    with pytest.raises(ValidationError) as refused:
        reports.submit_report(report_data(published, reason="ovanligt"))

    assert refused.value.message_dict == {"reason": ["Välj varför du anmäler innehållet."]}
    assert not Item.objects.exists()


def test_other_reason_needs_its_text(client, published):
    response = client.post(URL, report_data(published, reason="annat", other_reason=""))

    assert response.context["form"].errors["other_reason"] == [
        "Beskriv kort vad som är fel när du väljer Annat."
    ]
    assert not Item.objects.exists()


def test_other_reason_is_kept_in_the_item(client, published):
    client.post(URL, report_data(published, reason="annat", other_reason="Falsk information"))

    assert "Annat: Falsk information" in Item.objects.get().text


def test_contact_is_optional(client, published):
    response = client.post(URL, report_data(published, name="", email="", message=""))

    assert response.status_code == 302
    assert Item.objects.get().author == ""


def test_honeypot_gets_a_normal_answer_and_nothing_is_stored(client, published):
    response = client.post(URL, {**report_data(published), "webbplats": "https://spam.example"})

    assert response.status_code == 302
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert "Tack för din anmälan" in receipt.content.decode()
    assert not Item.objects.exists()


def test_rate_limit_answers_429_in_swedish_with_the_form_kept(client, published, settings):
    settings.CITIZEN_REPORT_RATE_LIMIT = 2
    for _number in range(2):
        assert client.post(URL, report_data(published)).status_code == 302

    response = client.post(URL, report_data(published, message="Den tredje anmälan."))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "För många anmälningar på kort tid" in page
    assert "Den tredje anmälan." in page
    assert 'value="https://www.facebook.com/bibblan-moderering/posts/1?comment_id=7"' in page
    assert Item.objects.count() == 2


def test_rate_limit_is_per_address(client, published, settings):
    settings.CITIZEN_REPORT_RATE_LIMIT = 1
    client.post(URL, report_data(published), REMOTE_ADDR="192.0.2.1")

    other = client.post(URL, report_data(published), REMOTE_ADDR="192.0.2.2")
    again = client.post(URL, report_data(published), REMOTE_ADDR="192.0.2.1")

    assert (other.status_code, again.status_code) == (302, 429)


def test_form_needs_the_csrf_token(published):
    client = Client(enforce_csrf_checks=True)

    response = client.post(URL, report_data(published))

    assert response.status_code == 403
    assert not Item.objects.exists()


def test_visitors_address_is_not_kept_in_the_audit_log(client, published):
    client.post(URL, report_data(published), REMOTE_ADDR="192.0.2.7")

    entry = AuditLogEntry.objects.get(action="item_registered")
    assert entry.ip_address is None
    assert entry.actor is None


def test_form_works_without_javascript_and_carries_the_privacy_notice(client, published):
    page = client.get(URL).content.decode()

    assert "<script" not in page
    assert "Så behandlar vi dina uppgifter" in page
    assert "artikel 6.1 e" in page
    assert "tidigast 3 månader" in page
    assert "Personuppgiftsansvarig" in page
    assert str(WHAT_HAPPENS) in page  # the reasons explained, with the house rules


# Frozen: the latest version's number stays cached for 5 s, which a loaded machine can outlast.
@time_machine.travel(datetime.datetime(2026, 3, 30, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_form_answers_in_a_constant_number_of_queries(
    client, published, library, ingrid, django_assert_num_queries
):
    """The published channels and their units in one query, however many there are."""
    client.get(URL)
    with django_assert_num_queries(1):
        client.get(URL)
    for number in range(30):
        ChannelFactory(unit=library, url=f"https://www.facebook.com/fler-{number}")
    channel_services.publish_register(by=ingrid)
    client.get(URL)

    with django_assert_num_queries(1):
        response = client.get(URL)

    assert response.content.decode().count("<option") == 32
