import pytest
from django.urls import reverse

from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_unit_page_shows_its_staff_to_the_unit(client, alice, bob, library):
    client.force_login(alice)

    response = client.get(library.get_absolute_url())

    assert response.status_code == 200
    assert bob.get_full_name() in response.content.decode()


def test_another_units_staff_get_404_for_the_unit_page(client, carol, library):
    client.force_login(carol)

    assert client.get(library.get_absolute_url()).status_code == 404


def test_information_unit_reaches_every_unit_page(client, ingrid, library, school):
    client.force_login(ingrid)

    assert client.get(library.get_absolute_url()).status_code == 200
    assert client.get(school.get_absolute_url()).status_code == 200


def test_anonymous_visitor_is_sent_to_login_from_unit_list(client, library):
    response = client.get(reverse("organisation:unit-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unit_list_search_filters_by_name(client, ingrid, library, school):
    client.force_login(ingrid)

    page = client.get(reverse("organisation:unit-list"), {"q": "bibl"}).content.decode()

    assert "Biblioteket" in page
    assert "Centralskolan" not in page


def test_unit_list_queries_do_not_grow_with_units(client, ingrid, django_assert_max_num_queries):
    client.force_login(ingrid)
    UnitFactory.create_batch(3)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("organisation:unit-list"))
    UnitFactory.create_batch(40)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("organisation:unit-list"))

    assert response.status_code == 200


def test_unit_page_queries_do_not_grow_with_staff(
    client, ingrid, library, django_assert_max_num_queries
):
    client.force_login(ingrid)
    UserFactory.create_batch(2, unit=library)
    with django_assert_max_num_queries(12) as few:
        client.get(library.get_absolute_url())
    UserFactory.create_batch(30, unit=library)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(library.get_absolute_url())
