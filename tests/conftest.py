"""Personas every view is tried with: a member of the organization, a member
of another organization, staff, and an anonymous visitor."""

import pytest
from django.test import Client

from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Northside Health Collaborative")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Riverbend Housing Alliance")


@pytest.fixture
def member(organization):
    return MembershipFactory(
        organization=organization, user__email="member@northside.example"
    ).user


@pytest.fixture
def outsider(other_organization):
    return MembershipFactory(
        organization=other_organization, user__email="member@riverbend.example"
    ).user


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@edn.example", is_staff=True, is_superuser=True)


def _client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def member_client(member):
    return _client_for(member)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def staff_client(staff):
    return _client_for(staff)


@pytest.fixture
def anonymous_client(db):
    return _client_for(None)
