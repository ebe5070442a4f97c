"""Shared setup for the survey tests: an open round, a roster, an invitation."""

import pytest
from django.test import Client
from django.urls import reverse

from organizations.models import Organization
from surveys.access import new_token
from surveys.models import Invitation
from tests.factories import OrganizationFactory, ResponseFactory, RoundFactory

STEP_SLUGS = [
    "organization",
    "partners",
    "partner-details",
    "aspirations",
    "practices",
    "visibility",
    "review",
]


@pytest.fixture
def open_round(organization, other_organization):
    round_ = RoundFactory(name="2026", slug="2026")
    food_bank = OrganizationFactory(
        name="Eastside Food Bank", short_name="EFB", aliases=["Eastside Pantry"]
    )
    library = OrganizationFactory(name="Valley Public Library")
    for member in [organization, other_organization, food_bank, library]:
        round_.roster_entries.create(organization=member)
    return round_


@pytest.fixture
def response(open_round, organization):
    return ResponseFactory(round=open_round, organization=organization)


@pytest.fixture
def invited_client(response):
    """A browser that confirmed an invitation link for the response."""
    token, token_hash = new_token()
    Invitation.objects.create(
        round=response.round,
        organization=response.organization,
        email="contact@northside.example",
        token_hash=token_hash,
    )
    client = Client()
    answer = client.post(reverse("surveys:invitation", args=[token]))
    assert answer.status_code == 302
    return client


def step_url(response, slug):
    return reverse("surveys:survey_step", args=[response.pk, slug])


def organization_named(name):
    return Organization.objects.get(name=name)


def autosave(client, url, data):
    return client.post(url, data, headers={"X-EDN-Autosave": "1"})
