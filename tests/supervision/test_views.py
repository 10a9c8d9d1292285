"""The supervision page, its "reviewed" button, the absence page and the start page."""

import datetime

import pytest

from atvida_social.dashboard import sections_for
from moderation.models import Absence, ChannelReview
from moderation.services import supervision
from tests.factories import ActivityPlanFactory, ChannelFactory

from .conftest import at, register

pytestmark = pytest.mark.django_db


def _more_channels(library, bob, alice, dora, count: int) -> None:
    for number in range(count):
        channel = ChannelFactory(unit=library, url=f"https://www.facebook.com/extra-{number}")
        ActivityPlanFactory(
            unit=library,
            channel=channel,
            url=channel.url,
            status="godkand",
            manager=bob,
            prepared_by=alice,
            administrators=[alice],
            daily_operators=[dora],
        )


def test_the_supervision_page_lists_the_operators_channels_with_their_interval(
    client, channel, dora, travel
):
    travel(channel.created_at + datetime.timedelta(days=8))
    client.force_login(dora)

    page = client.get("/moderering/tillsyn/").content.decode()

    assert str(channel) in page
    assert "Kanalen bevakas minst en gång i veckan." in page
    assert "Försenad" in page


def test_the_supervision_page_does_a_constant_number_of_queries(
    client, channel, library, bob, alice, dora, django_assert_num_queries
):
    client.force_login(dora)
    client.get("/moderering/tillsyn/")  # the session and the user are loaded once
    with django_assert_num_queries(11) as one:
        client.get("/moderering/tillsyn/")
    _more_channels(library, bob, alice, dora, 3)

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/moderering/tillsyn/")

    assert len(response.context["rows"]) == 4


def test_the_button_records_a_review_and_returns_to_the_page(client, channel, dora):
    client.force_login(dora)

    response = client.post(f"/moderering/tillsyn/{channel.pk}/granskad/")

    assert response.status_code == 302
    assert response["Location"] == "/moderering/tillsyn/"
    assert ChannelReview.objects.get().reviewed_by == dora
    page = client.get("/moderering/tillsyn/").content.decode()
    assert f"Tillsynen av {channel} är registrerad." in page


def test_the_manager_who_does_not_moderate_may_not_press_it(client, channel, bob):
    client.force_login(bob)

    assert client.post(f"/moderering/tillsyn/{channel.pk}/granskad/").status_code == 403
    assert not ChannelReview.objects.exists()


def test_an_absence_is_registered_on_its_page(client, dora, dagny):
    client.force_login(dora)

    response = client.post(
        "/moderering/franvaro/",
        {
            "operator": dora.pk,
            "starts_at": "2030-06-01T08:00",
            "ends_at": "2030-06-05T17:00",
            "substitute": dagny.pk,
            "reason": "Semester",
        },
    )

    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.operator, absence.substitute, absence.reason) == (dora, dagny, "Semester")
    page = client.get("/moderering/franvaro/").content.decode()
    assert "Frånvaron är registrerad." in page
    assert "2030-06-05 17:00" in page


def test_the_absence_page_shows_the_services_refusal_in_swedish(client, dora, carol):
    client.force_login(dora)

    response = client.post(
        "/moderering/franvaro/",
        {"operator": dora.pk, "starts_at": "2030-06-05T08:00", "ends_at": "2030-06-01T08:00"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"] == [
        "Frånvaron ska sluta efter att den börjar."
    ]
    assert not Absence.objects.exists()


def test_the_operators_start_page_shows_warnings_and_overdue_reviews(channel, dora, ingrid, travel):
    travel("2026-03-02 09:00")
    supervision.mark_channel_reviewed(channel, by=dora)
    travel("2026-03-10 08:00")
    item = register(channel, "2026-03-10 08:00")
    travel(item.warn_at + datetime.timedelta(minutes=1))

    for user in (dora, ingrid):
        sections = {section.key: section for section in sections_for(user)}
        assert [entry.status for entry in sections["deadline_warnings"].items] == ["Snart sen"]
        assert [entry.label for entry in sections["overdue_reviews"].items] == [
            f"{channel}: Kanalen bevakas minst en gång i veckan."
        ]


def test_a_reviewed_channel_leaves_the_start_page(channel, dora, travel):
    travel("2026-03-02 09:00")
    supervision.mark_channel_reviewed(channel, by=dora)
    travel(at("2026-03-05 09:00"))

    sections = {section.key: section for section in sections_for(dora)}

    assert sections["overdue_reviews"].items == []


def test_assigning_to_someone_away_says_who_took_it(client, channel, dora, dagny, alice, travel):
    travel("2026-03-24 10:00")
    supervision.register_absence(
        dora,
        by=dora,
        starts_at=at("2026-03-23 08:00"),
        ends_at=at("2026-03-27 17:00"),
        substitute=dagny,
    )
    item = register(channel, "2026-03-24 09:00")
    client.force_login(alice)

    response = client.post(
        f"/moderering/{item.pk}/tilldela/", {"assigned_to": dora.pk}, follow=True
    )

    assert f"{dora} är frånvarande; inlägget är tilldelat ersättaren {dagny}." in (
        response.content.decode()
    )
