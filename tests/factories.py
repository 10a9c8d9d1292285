import datetime

import factory
from django.contrib.auth.models import Group

from atvida_social.organisation.models import Administration, Unit, User

TEST_PASSWORD = "ett-bra-testlösenord-42"


class AdministrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Administration
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Förvaltning {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    administration = factory.SubFactory(AdministrationFactory)
    name = factory.Sequence(lambda n: f"Verksamhet {n}")
    is_confidential = False


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"anvandare{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@atvidaberg.se")
    phone = "0120-830 00"
    unit = factory.SubFactory(UnitFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """`UserFactory(roles=[Role.MANAGER])` puts the user in those role groups."""
        if extracted:
            # get_or_create: transactional tests flush the groups the data migration made.
            self.groups.set([Group.objects.get_or_create(name=role)[0] for role in extracted])
        if create:
            self.save()


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "channels.Channel"

    platform = "facebook"
    account_name = factory.Sequence(lambda n: f"Kanal {n}")
    url = factory.Sequence(lambda n: f"https://www.facebook.com/atvida-kanal-{n}")
    unit = factory.SubFactory(UnitFactory)
    status = "aktiv"
    started_on = factory.LazyFunction(lambda: datetime.date(2025, 1, 15))
    contact_email = "info@atvidaberg.se"


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "channels.Party"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Parti {n}")
    is_represented = True
    term_start = 2022
    term_end = 2026


class PartyLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "channels.PartyLink"

    party = factory.SubFactory(PartyFactory)
    platform = "facebook"
    url = factory.Sequence(lambda n: f"https://www.facebook.com/parti-{n}")


class ActivityPlanFactory(factory.django.DjangoModelFactory):
    """A complete Bilaga 2 for Biblioteket-like units; pass `administrators` as a list."""

    class Meta:
        model = "activityplans.ActivityPlan"
        skip_postgeneration_save = True

    platform = "facebook"
    url = factory.Sequence(lambda n: f"https://www.facebook.com/plan-{n}")
    account_name = factory.Sequence(lambda n: f"Plan {n}")
    unit = factory.SubFactory(UnitFactory)
    purpose = "Sprida information och skapa dialog."
    audience = "Kommunens invånare."
    goals = "Fler besökare."
    measurable_goals = "200 följare på ett halvår."
    office_hours_only = True
    monitoring = "Varje vardag kl. 8 och 15."
    publishing_frequency = "Två inlägg i veckan."
    hours_per_week = 3
    consulted_information_unit = True
    guidelines_followed = True
    how_it_strengthens = "Vi når fler."
    how_goals_are_measured = "Följarstatistik."
    how_audience_is_reached = "Annonsering i biblioteket."
    why_this_channel = "Målgruppen finns där."
    who_writes_and_archives = "Bibliotekarierna."
    manager = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..unit"))
    prepared_by = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..unit"))
    prepared_on = factory.LazyFunction(lambda: datetime.date(2026, 11, 2))

    @factory.post_generation
    def administrators(self, create, extracted, **kwargs):
        if create and extracted:
            self.administrators.set(extracted)

    @factory.post_generation
    def daily_operators(self, create, extracted, **kwargs):
        if create and extracted:
            self.daily_operators.set(extracted)
