"""Object scoping: the one mechanism every app uses for who sees what."""

import pytest
from django.contrib.auth.models import AnonymousUser

from atvida_social.organisation.models import Unit, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_unit_staff_see_only_their_own_unit(alice, library, school, information_unit):
    assert list(Unit.objects.visible_to(alice)) == [library]


def test_information_unit_sees_every_unit(ingrid, library, school, information_unit):
    assert set(Unit.objects.visible_to(ingrid)) == {library, school, information_unit}


def test_anonymous_visitor_sees_no_unit(library):
    assert not Unit.objects.visible_to(AnonymousUser()).exists()


def test_staff_without_unit_see_nothing(library):
    assert not Unit.objects.visible_to(UserFactory(unit=None)).exists()


def test_deactivated_staff_see_nothing(alice):
    alice.is_active = False

    assert not Unit.objects.visible_to(alice).exists()


def test_scoping_follows_the_unit_lookup_of_other_models(alice, bob, carol):
    assert set(User.objects.visible_to(alice)) == {alice, bob}


def test_staff_change_only_what_they_see(alice, carol, school):
    assert not Unit.objects.editable_by(alice).filter(pk=school.pk).exists()
