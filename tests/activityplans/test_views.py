import pytest
from django.urls import reverse

from activityplans import services
from activityplans.models import ActivityPlan, PlanEvent, Signature
from activityplans.workflow import PlanStatus
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _form_data(plan_unit, manager, administrators, operators, **overrides):
    data = {
        "platform": "instagram",
        "url": "https://www.instagram.com/bibblan",
        "account_name": "Bibblan på Instagram",
        "unit": plan_unit.pk,
        "purpose": "Sprida information.",
        "audience": "Unga vuxna.",
        "goals": "Fler lånare.",
        "measurable_goals": "300 följare på ett år.",
        "administrators": [u.pk for u in administrators],
        "daily_operators": [u.pk for u in operators],
        "office_hours_only": "on",
        "monitoring": "Varje vardag.",
        "monitoring_frequency": "working_days",
        "publishing_frequency": "Tre gånger i veckan.",
        "hours_per_week": "4",
        "other": "",
        "graphic_profile": "foljs",
        "graphic_profile_deviation": "",
        "confidentiality_measures": "",
        "how_it_strengthens": "Vi når nya grupper.",
        "how_goals_are_measured": "Statistik.",
        "how_audience_is_reached": "Skyltning.",
        "why_this_channel": "Målgruppen finns där.",
        "who_writes_and_archives": "Bibliotekarierna.",
        "consulted_information_unit": "on",
        "guidelines_followed": "on",
        "manager": manager.pk,
        "prepared_on": "2026-11-20",
    }
    return data | overrides


def test_account_owner_drafts_a_plan_in_the_browser(client, alice, bob, dan, library):
    client.force_login(alice)

    response = client.post(
        reverse("activityplans:plan-create"), _form_data(library, bob, [alice, dan], [alice])
    )

    plan = ActivityPlan.objects.get()
    assert response.status_code == 302
    assert plan.status == PlanStatus.DRAFT
    assert plan.prepared_by == alice
    assert set(plan.administrators.all()) == {alice, dan}


def test_plan_form_answers_field_by_field_in_swedish_and_stores_nothing(
    client, alice, bob, library
):
    client.force_login(alice)
    data = _form_data(
        library,
        bob,
        [alice],
        [],
        url="https://www.facebook.com/bibblan",
        hours_per_week="-2",
        how_it_strengthens="",
    )

    page = client.post(reverse("activityplans:plan-create"), data).content.decode()

    assert "Minst två administratörer behövs" in page
    assert "Ange minst en person för den dagliga driften." in page
    assert "Adressen hör inte till plattformen" in page
    assert "Ange ett positivt antal timmar." in page
    assert "Detta fält måste fyllas i." in page
    assert not ActivityPlan.objects.exists()


def test_daily_operator_without_municipal_email_is_refused(client, alice, bob, dan, library):
    outsider = UserFactory(unit=library, email="privat@gmail.com")
    client.force_login(alice)

    page = client.post(
        reverse("activityplans:plan-create"), _form_data(library, bob, [alice, dan], [outsider])
    ).content.decode()

    assert "e-postadress på kommunens domän" in page


def test_double_submit_moves_the_plan_once(client, alice, plan):
    client.force_login(alice)
    url = reverse("activityplans:plan-submit", args=[plan.pk])

    client.post(url)
    again = client.post(url, follow=True)

    assert PlanEvent.objects.filter(plan=plan).count() == 1
    assert "kan inte bli" in again.content.decode()


def test_same_unit_non_signer_gets_403_on_the_signing_page(client, alice, plan, library):
    services.submit_plan(plan, by=alice)
    eve = UserFactory(unit=library)
    client.force_login(eve)

    assert client.get(reverse("activityplans:plan-sign", args=[plan.pk])).status_code == 403


def test_another_units_staff_cannot_see_the_plan(client, carol, plan):
    client.force_login(carol)

    assert client.get(plan.get_absolute_url()).status_code == 404


def test_signing_with_wrong_password_shows_a_swedish_error(client, alice, bob, plan):
    services.submit_plan(plan, by=alice)
    client.force_login(bob)
    url = reverse("activityplans:plan-sign", args=[plan.pk])

    page = client.post(url, {"password": "fel"}).content.decode()

    assert "Lösenordet stämmer inte" in page
    assert not Signature.objects.exists()


def test_manager_signs_with_password(client, alice, bob, plan):
    services.submit_plan(plan, by=alice)
    client.force_login(bob)

    client.post(reverse("activityplans:plan-sign", args=[plan.pk]), {"password": TEST_PASSWORD})

    assert Signature.objects.get().signer == bob


def test_approval_without_signatures_is_refused(client, alice, ingrid, plan):
    services.submit_plan(plan, by=alice)
    client.force_login(ingrid)

    response = client.post(reverse("activityplans:plan-approve", args=[plan.pk]), follow=True)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.AWAITING_SIGNATURES
    assert "saknar underskrifter" in response.content.decode()


def test_return_without_comment_is_refused_in_swedish(client, alice, bob, dan, ingrid, plan):
    services.submit_plan(plan, by=alice)
    for signer in (bob, alice, dan):
        services.sign_plan(plan, by=signer, password=TEST_PASSWORD)
    services.start_review(plan, by=ingrid)
    client.force_login(ingrid)

    response = client.post(
        reverse("activityplans:plan-return", args=[plan.pk]), {"note": ""}, follow=True
    )

    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_REVIEW
    assert "Detta fält måste fyllas i." in response.content.decode()


def test_edit_after_signature_warns_that_signatures_are_void(client, alice, bob, dan, plan):
    services.submit_plan(plan, by=alice)
    services.sign_plan(plan, by=bob, password=TEST_PASSWORD)
    client.force_login(alice)
    data = _form_data(
        plan.unit, bob, [alice, dan], [alice], platform="facebook", url=plan.url, goals="Nya mål."
    )

    response = client.post(reverse("activityplans:plan-edit", args=[plan.pk]), data, follow=True)

    assert "1 underskrift har upphävts" in response.content.decode()
    assert "upphävd" in response.content.decode()


def test_start_pages_list_what_waits_for_each(client, alice, bob, ingrid, plan):
    services.submit_plan(plan, by=alice)
    client.force_login(bob)
    to_sign = client.get("/").content.decode()
    client.force_login(alice)
    mine = client.get("/").content.decode()

    assert "Bibblan på Facebook" in to_sign
    assert "Väntar på signering" in mine


def test_plan_list_does_a_constant_number_of_queries(
    client,
    ingrid,
    library,
    alice,
    dan,
    bob,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    from tests.factories import ActivityPlanFactory

    def add(count):
        for _ in range(count):
            ActivityPlanFactory(
                unit=library, manager=bob, prepared_by=alice, administrators=[alice, dan]
            )

    client.force_login(ingrid)
    add(2)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("activityplans:plan-list"))
    add(20)

    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(reverse("activityplans:plan-list")).status_code == 200


def test_plan_for_a_channel_already_in_the_register_is_refused(client, alice, bob, dan, library):
    from tests.factories import ChannelFactory

    ChannelFactory(unit=library, platform="instagram", url="https://www.instagram.com/bibblan")
    client.force_login(alice)

    page = client.post(
        reverse("activityplans:plan-create"), _form_data(library, bob, [alice, dan], [alice])
    ).content.decode()

    assert "Kanalen finns redan i registret" in page
    assert not ActivityPlan.objects.exists()


def test_resubmitted_plan_form_makes_no_second_plan(client, alice, bob, dan, library):
    client.force_login(alice)
    data = _form_data(library, bob, [alice, dan], [alice])

    client.post(reverse("activityplans:plan-create"), data)
    again = client.post(reverse("activityplans:plan-create"), data).content.decode()

    assert ActivityPlan.objects.count() == 1
    assert "Det finns redan en pågående aktivitetsplan" in again
