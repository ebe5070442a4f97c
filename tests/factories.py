import factory
from django.utils import timezone

from organizations.models import Membership, Organization, Sector, User
from surveys.models import Nomination, Practice, Response, RosterEntry, Round


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.django.Password("correct horse 42")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    sector = factory.LazyFunction(lambda: Sector.objects.order_by("order").first())


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.CONTACT


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    name = factory.Sequence(lambda n: f"Round {2020 + n}")
    slug = factory.Sequence(lambda n: f"round-{2020 + n}")
    status = Round.Status.OPEN
    opens_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=7))
    closes_at = factory.LazyFunction(
        lambda: timezone.now() + timezone.timedelta(days=30)
    )


class RosterEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RosterEntry

    round = factory.SubFactory(RoundFactory)
    organization = factory.SubFactory(OrganizationFactory)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    round = factory.SubFactory(RoundFactory)
    organization = factory.SubFactory(OrganizationFactory)


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    response = factory.SubFactory(ResponseFactory)
    partner = factory.SubFactory(OrganizationFactory)


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    response = factory.SubFactory(ResponseFactory)
    stage = "planning"
    text = "We ask residents which questions the data should answer."
