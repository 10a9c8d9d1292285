import pytest
from django.urls import reverse

from atvida_social.organisation.models import AuditLogEntry
from channels import services
from channels.models import Channel, PartyLink, RegisterVersion
from tests.factories import ChannelFactory, PartyFactory, PartyLinkFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _channel_data(unit, **overrides):
    data = {
        "platform": "facebook",
        "account_name": "Bibblan",
        "url": "https://www.facebook.com/bibblan",
        "unit": unit.pk,
        "status": "aktiv",
        "started_on": "2026-01-15",
        "ended_on": "",
        "description": "Nyheter från biblioteket.",
        "contact_email": "bibblan@atvidaberg.se",
    }
    return data | overrides


@pytest.fixture
def library_channel(library):
    return ChannelFactory(unit=library, account_name="Bibblan på Facebook")


@pytest.fixture
def school_channel(school):
    return ChannelFactory(unit=school, account_name="Skolans Instagram")


def test_anonymous_visitor_is_sent_to_login_from_staff_pages(client, library_channel):
    for url in [
        reverse("channels:channel-list"),
        reverse("channels:channel-detail", args=[library_channel.pk]),
        reverse("channels:channel-create"),
        reverse("channels:publish"),
        reverse("channels:party-list"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_unit_staff_see_only_their_units_channels(client, alice, library_channel, school_channel):
    client.force_login(alice)

    page = client.get(reverse("channels:channel-list")).content.decode()

    assert "Bibblan på Facebook" in page
    assert "Skolans Instagram" not in page


def test_another_units_staff_get_404_for_a_channel(client, carol, library_channel):
    client.force_login(carol)

    url = reverse("channels:channel-detail", args=[library_channel.pk])
    assert client.get(url).status_code == 404


def test_information_unit_sees_every_channel(client, ingrid, library_channel, school_channel):
    client.force_login(ingrid)

    page = client.get(reverse("channels:channel-list")).content.decode()

    assert "Bibblan på Facebook" in page
    assert "Skolans Instagram" in page


@pytest.mark.parametrize(
    "name", ["channels:channel-create", "channels:publish", "channels:party-list"]
)
def test_unit_staff_may_not_keep_the_register(client, alice, name):
    client.force_login(alice)

    assert client.get(reverse(name)).status_code == 403


def test_unit_staff_cannot_edit_even_their_own_channel(client, alice, library_channel):
    client.force_login(alice)
    url = reverse("channels:channel-edit", args=[library_channel.pk])

    response = client.post(url, _channel_data(library_channel.unit, account_name="Kapat"))

    assert response.status_code == 403
    library_channel.refresh_from_db()
    assert library_channel.account_name == "Bibblan på Facebook"


def test_information_unit_creates_a_channel_and_it_is_audited(client, ingrid, library):
    client.force_login(ingrid)

    data = _channel_data(library, exception_reason="Kanalen fanns innan verktyget.")

    response = client.post(reverse("channels:channel-create"), data)

    channel = Channel.objects.get()
    assert response.status_code == 302
    assert channel.account_name == "Bibblan"
    entry = AuditLogEntry.objects.get(action="channel_created")
    assert entry.actor == ingrid
    assert entry.object_id == str(channel.pk)


def test_wrong_platform_address_is_refused_field_by_field_in_swedish(client, ingrid, library):
    client.force_login(ingrid)
    data = _channel_data(
        library, url="https://www.instagram.com/bibblan", contact_email="bibblan@gmail.com"
    )

    response = client.post(reverse("channels:channel-create"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Adressen hör inte till plattformen" in page
    assert "kommunens domän" in page
    assert not Channel.objects.exists()
    assert not AuditLogEntry.objects.filter(action="channel_created").exists()


def test_editing_a_channel_keeps_it_unpublished_until_publishing(client, ingrid, library_channel):
    services.publish_register(by=ingrid)
    client.force_login(ingrid)
    url = reverse("channels:channel-edit", args=[library_channel.pk])

    client.post(url, _channel_data(library_channel.unit, account_name="Nytt namn"))

    assert "Nytt namn" not in client.get("/sociala-medier").content.decode()
    assert "Nytt namn" in client.get(reverse("channels:publish")).content.decode()


def test_publish_preview_lists_changes_and_publishing_makes_a_version(
    client, ingrid, library_channel
):
    client.force_login(ingrid)

    preview = client.get(reverse("channels:publish")).content.decode()
    response = client.post(reverse("channels:publish"), {"base": 0}, follow=True)

    assert "Bibblan på Facebook" in preview
    assert "Version 1 är publicerad." in response.content.decode()
    assert RegisterVersion.objects.count() == 1


def test_double_submit_of_publish_makes_one_version(client, ingrid, library_channel):
    client.force_login(ingrid)

    client.post(reverse("channels:publish"), {"base": 0})
    again = client.post(reverse("channels:publish"), {"base": 0}, follow=True)

    assert RegisterVersion.objects.count() == 1
    assert "publicerats av någon annan" in again.content.decode()


def test_publishing_with_nothing_changed_says_so(client, ingrid, library_channel):
    services.publish_register(by=ingrid)
    client.force_login(ingrid)

    response = client.post(reverse("channels:publish"), {"base": 1}, follow=True)

    assert "Inget har ändrats sedan den senaste publiceringen." in response.content.decode()
    assert RegisterVersion.objects.count() == 1


@pytest.mark.parametrize("base", ["", "abc", "-1"])
def test_publish_with_malformed_base_publishes_nothing(client, ingrid, library_channel, base):
    client.force_login(ingrid)

    response = client.post(reverse("channels:publish"), {"base": base}, follow=True)

    assert response.status_code == 200
    assert not RegisterVersion.objects.exists()


def test_party_link_is_deleted_only_after_confirmation(client, ingrid):
    link = PartyLinkFactory()
    client.force_login(ingrid)
    url = reverse("channels:party-link-delete", args=[link.party_id, link.pk])

    confirm = client.get(url)
    assert PartyLink.objects.filter(pk=link.pk).exists()
    client.post(url)

    assert "Vill du ta bort länken" in confirm.content.decode()
    assert not PartyLink.objects.filter(pk=link.pk).exists()
    assert AuditLogEntry.objects.filter(action="party_link_deleted").exists()


def test_party_with_a_term_ending_before_it_starts_is_refused(client, ingrid):
    client.force_login(ingrid)
    data = {"name": "Nya partiet", "is_represented": "on", "term_start": 2026, "term_end": 2022}

    response = client.post(reverse("channels:party-create"), data)

    assert "Mandatperioden måste sluta efter att den börjar." in response.content.decode()


def test_party_link_for_wrong_platform_domain_is_refused(client, ingrid):
    party = PartyFactory()
    client.force_login(ingrid)
    url = reverse("channels:party-link-create", args=[party.pk])

    response = client.post(url, {"platform": "x", "url": "https://www.facebook.com/partiet"})

    assert "Adressen hör inte till plattformen" in response.content.decode()
    assert not PartyLink.objects.exists()


def test_channel_list_filters_by_platform_and_status(client, ingrid, library):
    ChannelFactory(unit=library, account_name="Aktiv på Facebook")
    ChannelFactory(
        unit=library,
        account_name="Planerad på YouTube",
        platform="youtube",
        url="https://www.youtube.com/@planerad",
        status="planerad",
        started_on=None,
    )
    client.force_login(ingrid)

    page = client.get(
        reverse("channels:channel-list"), {"platform": "youtube", "status": "planerad"}
    ).content.decode()

    assert "Planerad på YouTube" in page
    assert "Aktiv på Facebook" not in page


@pytest.mark.parametrize(
    "name", ["channels:channel-list", "channels:party-list", "channels:version-list"]
)
def test_staff_lists_do_a_constant_number_of_queries(
    client, ingrid, name, django_assert_max_num_queries, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            ChannelFactory(unit=UnitFactory())
            PartyLinkFactory()
        services.publish_register(by=ingrid)

    client.force_login(ingrid)
    add(3)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse(name))
    add(30)

    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(reverse(name)).status_code == 200


def test_information_unit_start_page_shows_unpublished_changes(client, ingrid, library_channel):
    client.force_login(ingrid)

    page = client.get("/").content.decode()

    assert "väntar på publicering" in page


def test_party_list_filters_by_name_and_representation(client, ingrid):
    PartyFactory(name="Sittande partiet")
    PartyFactory(name="Avgånget partiet", is_represented=False)
    client.force_login(ingrid)

    page = client.get(reverse("channels:party-list"), {"represented": "nej"}).content.decode()
    searched = client.get(reverse("channels:party-list"), {"q": "sittande"}).content.decode()

    assert "Avgånget partiet" in page
    assert "Sittande partiet" not in page
    assert "Sittande partiet" in searched
    assert "Avgånget partiet" not in searched


def test_active_channel_form_without_exception_names_the_rule_beside_the_field(
    client, ingrid, library
):
    client.force_login(ingrid)

    response = client.post(reverse("channels:channel-create"), _channel_data(library))

    assert response.status_code == 200
    assert "godkänd aktivitetsplan" in response.context["form"].errors["exception_reason"][0]
    assert not Channel.objects.exists()
    assert not AuditLogEntry.objects.filter(action__startswith="channel_").exists()


def test_channel_activated_by_exception_shows_its_reason_and_author(client, ingrid, library):
    client.force_login(ingrid)
    data = _channel_data(library, exception_reason="Fanns före verktyget.")

    response = client.post(reverse("channels:channel-create"), data, follow=True)

    page = response.content.decode()
    assert "Undantag från aktivitetsplan" in page
    assert "Fanns före verktyget." in page
    assert Channel.objects.get().register_exception_by == ingrid


def test_planned_channel_may_be_made_active_once_its_exception_is_given(client, ingrid, library):
    channel = ChannelFactory(unit=library, status="planerad", started_on=None)
    client.force_login(ingrid)
    url = reverse("channels:channel-edit", args=[channel.pk])

    refused = client.post(url, _channel_data(library, url=channel.url))
    accepted = client.post(
        url, _channel_data(library, url=channel.url, exception_reason="Fanns före verktyget.")
    )

    assert refused.status_code == 200
    assert accepted.status_code == 302
    channel.refresh_from_db()
    assert channel.status == "aktiv"


def test_admin_cannot_activate_a_channel_without_plan_or_exception(client, library):
    from tests.factories import UserFactory

    admin_user = UserFactory(username="root", unit=library, is_staff=True, is_superuser=True)
    channel = ChannelFactory(unit=library, status="planerad", started_on=None)
    client.force_login(admin_user)
    data = {
        "platform": channel.platform,
        "account_name": channel.account_name,
        "url": channel.url,
        "unit": library.pk,
        "status": "aktiv",
        "started_on": "2026-01-15",
        "contact_email": channel.contact_email,
    }

    response = client.post(f"/admin/channels/channel/{channel.pk}/change/", data)

    assert response.status_code == 200
    assert "godkänd aktivitetsplan" in response.content.decode()
    channel.refresh_from_db()
    assert channel.status == "planerad"
