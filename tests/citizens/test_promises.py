"""What the public channel page and the house rules promise a visitor, as the guideline asks:
how to reach the person responsible for the channel ("Läsare … ska kunna få kontakt med den
ansvarige på ett tydligt angivet sätt"), that comments become public records and are available
to others (Lagen om elektroniska anslagstavlor; Inkomna inlägg), who is personuppgiftsansvarig
("kommunstyrelsen och för verksamheter som lyder under en nämnd är nämnden"), and that the
platform's own reporting function may be used too (Det här bör verksamheten tänka på)."""

import pytest
from django.test import Client

from atvida_social.organisation.models import Administration, AuditLogEntry
from moderation.citizens import PUBLIC_RECORDS

pytestmark = pytest.mark.django_db

PUBLIC_RECORDS_WORDS = ("allmänna handlingar", "tillgängligt för andra", "offentlighetsprincipen")


def _page(client, channel) -> str:
    response = client.get(f"/sociala-medier/kanal/{channel.pk}")
    assert response.status_code == 200
    return response.content.decode()


def _house_rules(user, channel) -> str:
    client = Client()
    client.force_login(user)
    return client.get(f"/moderering/kanaler/{channel.pk}/ordningsregler/").context["text"]


def _set_controller(channel, name: str) -> None:
    Administration.objects.filter(pk=channel.unit.administration_id).update(controller_name=name)


def test_page_tells_how_to_reach_the_person_responsible(client, published):
    page = _page(client, published)

    assert "den som ansvarar för kanalen" in page
    assert f'<a href="mailto:{published.contact_email}">{published.contact_email}</a>' in page


def test_page_tells_that_comments_become_public_records_available_to_others(client, published):
    page = _page(client, published)

    for words in PUBLIC_RECORDS_WORDS:
        assert words in page
    assert str(PUBLIC_RECORDS) in page
    assert "diarieförs" in page


def test_page_names_the_administrations_nämnd_as_controller(client, published):
    _set_controller(published, "Kultur- och fritidsnämnden")

    page = _page(client, published)

    assert "<strong>Personuppgiftsansvarig:</strong> Kultur- och fritidsnämnden." in page
    assert "Kommunstyrelsen" not in page
    assert "dataskyddsförordningen" in page
    assert 'href="mailto:dataskyddsombud@atvidaberg.se"' in page
    assert "Integritetsskyddsmyndigheten" in page


def test_without_a_nämnd_kommunstyrelsen_is_the_controller(client, published):
    page = _page(client, published)

    assert "<strong>Personuppgiftsansvarig:</strong> Kommunstyrelsen, Åtvidabergs kommun." in page


def test_a_blank_nämnd_falls_back_to_kommunstyrelsen(client, published):
    _set_controller(published, "   ")

    assert "Personuppgiftsansvarig:</strong> Kommunstyrelsen" in _page(client, published)


def test_page_points_to_the_platforms_own_reporting_function(client, published):
    page = _page(client, published)

    assert (
        "Du kan också anmäla innehåll direkt till Facebook med plattformens egen "
        "anmälningsfunktion." in page
    )


def test_house_rules_text_carries_the_same_promises(published, dora):
    _set_controller(published, "Kultur- och fritidsnämnden")

    text = _house_rules(dora, published)

    assert "Kontakt: Vill du komma i kontakt med den som ansvarar för kanalen" in text
    assert published.contact_email in text
    assert f"Allmänna handlingar: {PUBLIC_RECORDS}" in text
    assert "Personuppgiftsansvarig är Kultur- och fritidsnämnden." in text
    assert "Dataskyddsombudet nås på dataskyddsombud@atvidaberg.se." in text
    assert "anmäla innehåll direkt till Facebook" in text


def test_house_rules_text_without_a_nämnd_names_kommunstyrelsen(published, dora):
    text = _house_rules(dora, published)

    assert "Personuppgiftsansvarig är Kommunstyrelsen, Åtvidabergs kommun." in text


def test_the_fallback_follows_the_setting(client, published, settings):
    settings.PRIVACY_CONTROLLER = "Kommunstyrelsen i Testkommun"

    assert "Personuppgiftsansvarig:</strong> Kommunstyrelsen i Testkommun." in _page(
        client, published
    )


def test_informationsenheten_sets_the_nämnd_where_förvaltningar_are_edited(published, ingrid):
    """The förvaltning's page in the admin, which Informationsenheten may change; the change
    is audited like every other admin change."""
    ingrid.is_staff = True
    ingrid.save()
    administration = published.unit.administration
    client = Client()
    client.force_login(ingrid)
    url = f"/admin/organisation/administration/{administration.pk}/change/"
    assert "controller_name" in client.get(url).content.decode()

    response = client.post(
        url, {"name": administration.name, "controller_name": "Kultur- och fritidsnämnden"}
    )

    assert response.status_code == 302
    administration.refresh_from_db()
    assert administration.controller_name == "Kultur- och fritidsnämnden"
    assert AuditLogEntry.objects.filter(
        action="admin_changed", object_id=str(administration.pk)
    ).exists()
    assert "Kultur- och fritidsnämnden" in _page(Client(), published)


def test_the_nämnd_is_one_line(published, ingrid):
    from django.core.exceptions import ValidationError

    administration = published.unit.administration
    administration.controller_name = "Kultur-\nnämnden"

    with pytest.raises(ValidationError) as error:
        administration.full_clean()

    assert "controller_name" in error.value.message_dict


@pytest.mark.parametrize("address", ["", "bibblan@gmail.com", "inte en adress"])
def test_a_channel_is_not_activated_without_a_municipal_contact_address(address, library, ingrid):
    """The address the page gives is required whichever way a channel becomes active."""
    from django.core.exceptions import ValidationError

    from channels import services as channel_services
    from channels.models import Channel
    from tests.factories import ChannelFactory

    channel = ChannelFactory.build(unit=library, contact_email=address)

    with pytest.raises(ValidationError) as error:
        channel_services.save_channel(channel, by=ingrid, exception_reason="Fanns före verktyget.")

    assert "contact_email" in error.value.message_dict
    assert not Channel.objects.filter(url=channel.url).exists()


def test_report_form_names_the_preselected_channels_nämnd(client, published):
    _set_controller(published, "Kultur- och fritidsnämnden")

    page = client.get(f"/sociala-medier/anmal?kanal={published.pk}").content.decode()

    assert "<strong>Personuppgiftsansvarig:</strong> Kultur- och fritidsnämnden." in page


def test_report_form_without_a_channel_names_both_nämnd_and_kommunstyrelsen(client, published):
    _set_controller(published, "Kultur- och fritidsnämnden")

    page = client.get("/sociala-medier/anmal").content.decode()

    assert (
        "<strong>Personuppgiftsansvarig:</strong> den nämnd som ansvarar för kanalen du anmäler "
        "(den står på kanalens sida), annars Kommunstyrelsen, Åtvidabergs kommun." in page
    )


def test_report_form_sent_back_with_errors_names_the_chosen_channels_nämnd(client, published):
    from .conftest import report_data

    _set_controller(published, "Kultur- och fritidsnämnden")

    response = client.post("/sociala-medier/anmal", report_data(published, reason=""))

    assert response.status_code == 200
    assert "Personuppgiftsansvarig:</strong> Kultur- och fritidsnämnden." in (
        response.content.decode()
    )
