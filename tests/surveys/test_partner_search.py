"""Finding organizations by name, acronym or alias, despite typos."""
# ruff: noqa: F811 -- fixtures imported from survey_setup are used as arguments

import time

import pytest
from django.urls import reverse

from organizations.models import Organization
from surveys.partner_search import score_name, search
from tests.factories import OrganizationFactory
from tests.surveys.survey_setup import open_round, response  # noqa: F401

pytestmark = pytest.mark.django_db


def names(matches):
    return [m.name for m in matches]


def test_small_typos_still_find_the_organization(organization, other_organization):
    matches = search("Nortside Helth", Organization.objects.all())

    assert names(matches)[0] == "Northside Health Collaborative"


def test_an_acronym_finds_the_organization(organization):
    OrganizationFactory(name="Riverside Youth Council", short_name="RYC")

    assert names(search("RYC", Organization.objects.all())) == [
        "Riverside Youth Council"
    ]
    assert names(search("nhc", Organization.objects.all())) == [
        "Northside Health Collaborative"
    ]


def test_an_alias_finds_the_organization():
    OrganizationFactory(name="Eastside Food Bank", aliases=["Eastside Pantry"])

    matches = search("Eastside Pantr", Organization.objects.all())

    assert names(matches) == ["Eastside Food Bank"]
    assert matches[0].matched == "Eastside Pantry"


def test_accents_and_case_do_not_matter():
    OrganizationFactory(name="Centro Latino de Salud")

    assert names(search("centro latino salud", Organization.objects.all())) == [
        "Centro Latino de Salud"
    ]
    assert score_name("Sálud", "Salud") == 1.0


def test_unrelated_text_finds_nothing(organization, other_organization):
    assert search("zzqx", Organization.objects.all()) == []
    assert search("a", Organization.objects.all()) == []


def test_search_endpoint_returns_json(member_client, response):
    url = reverse("surveys:survey_search", args=[response.pk])

    answer = member_client.get(url, {"q": "Eastside Fod", "format": "json"})

    assert answer.status_code == 200
    assert [r["name"] for r in answer.json()["results"]] == ["Eastside Food Bank"]


def test_search_endpoint_returns_an_add_button_fragment(member_client, response):
    url = reverse("surveys:survey_search", args=[response.pk])

    fragment = member_client.get(url, {"q": "valley", "for": "aspirations"})

    assert "Valley Public Library" in fragment.text
    assert reverse("surveys:survey_step", args=[response.pk, "aspirations"]) in (
        fragment.text
    )
    assert "<html" not in fragment.text


def test_search_never_offers_your_own_organization(member_client, response):
    url = reverse("surveys:survey_search", args=[response.pk])

    answer = member_client.get(url, {"q": "Northside Health", "format": "json"})

    assert answer.json()["results"] == []


def test_search_stays_quick_at_three_thousand_organizations():
    Organization.objects.bulk_create(
        Organization(name=f"Community Partner {n}", name_key=f"community partner {n}")
        for n in range(3000)
    )
    OrganizationFactory(name="Northside Health Collaborative")

    search("warm the name cache", Organization.objects.all())

    started = time.perf_counter()
    matches = search("Nortside Helth", Organization.objects.all())
    elapsed = time.perf_counter() - started

    assert names(matches)[0] == "Northside Health Collaborative"
    assert elapsed < 0.5
