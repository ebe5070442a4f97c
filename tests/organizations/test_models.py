import pytest
from django.db import IntegrityError, transaction

from organizations.models import Membership, Organization, Sector, Service, User
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_sectors_and_services_are_seeded_from_the_legend():
    sectors = set(Sector.objects.values_list("name", flat=True))
    services = set(Service.objects.values_list("name", flat=True))

    assert {"Health", "Business", "Education", "Government & Public Safety"} <= sectors
    assert {"Social & Community Service", "Philanthropy", "Faith-based"} <= sectors
    assert len(sectors) == 9
    assert {"Case management", "Housing and shelter", "Legal aid"} <= services
    assert len(services) == 10


def test_organization_names_are_unique_ignoring_case_and_spaces():
    OrganizationFactory(name="Gateway Food Pantry")

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(name="  gateway   FOOD pantry ")


def test_organization_name_is_tidied_on_save():
    organization = OrganizationFactory(name="  Gateway\tFood   Pantry ")

    assert organization.name == "Gateway Food Pantry"
    assert organization.name_key == "gateway food pantry"


def test_blank_organization_name_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="   ")


def test_latitude_outside_the_globe_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(latitude=91)


def test_add_alias_skips_names_already_known():
    organization = OrganizationFactory(name="Northside Health Center")

    organization.add_alias("NHC")
    organization.add_alias("nhc ")
    organization.add_alias("northside health center")

    assert organization.aliases == ["NHC"]


def test_users_sign_in_by_email_and_addresses_are_lowercased():
    user = User.objects.create_user("Ana.Lopez@Example.ORG", "pw-that-is-long-1")

    assert user.email == "ana.lopez@example.org"
    assert User.USERNAME_FIELD == "email"
    assert user.check_password("pw-that-is-long-1")


def test_a_person_holds_one_membership_per_organization():
    membership = MembershipFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=membership.user, organization=membership.organization
        )


def test_membership_role_must_be_known():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(role="owner")
