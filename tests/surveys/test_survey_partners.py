"""Naming partners and wished-for partners: search, write-ins, bad input."""
# ruff: noqa: F811 -- fixtures imported from survey_setup are used as arguments

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Aspiration, Nomination
from tests.factories import (
    NominationFactory,
    OrganizationFactory,
    ResponseFactory,
    RoundFactory,
)
from tests.surveys.survey_setup import (  # noqa: F401
    open_round,
    organization_named,
    response,
    step_url,
)

pytestmark = pytest.mark.django_db


def add(client, response, organization_id, slug="partners", version=None):
    return client.post(
        step_url(response, slug),
        {
            "version": version or response.version,
            "action": "add",
            "organization": organization_id,
        },
    )


def test_adding_a_roster_organization_names_it(member_client, response):
    food_bank = organization_named("Eastside Food Bank")

    answer = add(member_client, response, food_bank.pk)

    assert answer.status_code == 302
    assert response.nominations.get().partner == food_bank


def test_nominating_yourself_is_refused(member_client, response, organization):
    page = add(member_client, response, organization.pk)

    assert "You cannot name your own organization." in page.text
    assert not response.nominations.exists()


def test_naming_the_same_partner_twice_is_refused(member_client, response):
    food_bank = organization_named("Eastside Food Bank")
    add(member_client, response, food_bank.pk)

    page = add(member_client, response, food_bank.pk, version=2)

    assert "Eastside Food Bank is already in your list of partners." in page.text
    assert response.nominations.count() == 1


@pytest.mark.parametrize("organization_id", ["999999", "abc", ""])
def test_an_unknown_organization_id_is_refused(
    member_client, response, organization_id
):
    page = add(member_client, response, organization_id)

    assert "That organization is not on this round&#x27;s list." in page.text
    assert not response.nominations.exists()
    response.refresh_from_db()
    assert response.version == 1


def test_an_organization_off_the_roster_is_refused(member_client, response):
    outside = OrganizationFactory(name="Not On The Roster")

    add(member_client, response, outside.pk)

    assert not response.nominations.exists()


def test_removing_a_partner(member_client, response):
    nomination = NominationFactory(
        response=response, partner=organization_named("Eastside Food Bank")
    )

    member_client.post(
        step_url(response, "partners"),
        {"version": 1, "action": "remove", "nomination": nomination.pk},
    )

    assert not response.nominations.exists()


def test_removing_another_responses_partner_is_refused(member_client, response):
    foreign = NominationFactory(partner=organization_named("Eastside Food Bank"))

    page = member_client.post(
        step_url(response, "partners"),
        {"version": 1, "action": "remove", "nomination": foreign.pk},
    )

    assert "no longer in your list" in page.text
    assert Nomination.objects.filter(pk=foreign.pk).exists()


def test_a_write_in_close_to_a_roster_name_asks_did_you_mean(member_client, response):
    page = member_client.post(
        step_url(response, "partners"),
        {"version": 1, "action": "write_in", "name": "Eastside Fod Bank"},
    )

    assert "Did you mean one of these" in page.text
    assert "Eastside Food Bank" in page.text
    assert not response.nominations.exists()


def test_a_confirmed_write_in_is_stored_as_written(member_client, response):
    member_client.post(
        step_url(response, "partners"),
        {
            "version": 1,
            "action": "write_in",
            "name": "Eastside Fod Bank",
            "confirm": "1",
        },
    )

    nomination = response.nominations.get()
    assert nomination.is_write_in
    assert nomination.write_in_name == "Eastside Fod Bank"


def test_a_write_in_with_no_near_match_is_stored(member_client, response):
    member_client.post(
        step_url(response, "partners"),
        {"version": 1, "action": "write_in", "name": "Hillcrest Tenants Union"},
    )

    assert response.nominations.get().write_in_name == "Hillcrest Tenants Union"


def test_a_write_in_of_an_exact_roster_name_adds_that_organization(
    member_client, response
):
    member_client.post(
        step_url(response, "partners"),
        {"version": 1, "action": "write_in", "name": "eastside pantry"},
    )

    assert response.nominations.get().partner == organization_named(
        "Eastside Food Bank"
    )


def test_a_write_in_of_your_own_name_is_refused(member_client, response):
    page = member_client.post(
        step_url(response, "partners"),
        {"version": 1, "action": "write_in", "name": "Northside Health Collaborative"},
    )

    assert "You cannot name your own organization." in page.text
    assert not response.nominations.exists()


def test_the_same_write_in_twice_is_refused(member_client, response):
    url = step_url(response, "partners")
    member_client.post(url, {"version": 1, "action": "write_in", "name": "Hill Union"})

    page = member_client.post(
        url, {"version": 2, "action": "write_in", "name": "hill  union"}
    )

    assert "already in your list" in page.text
    assert response.nominations.count() == 1


def test_an_over_long_write_in_is_refused(member_client, response):
    page = member_client.post(
        step_url(response, "partners"),
        {"version": 1, "action": "write_in", "name": "x" * 201},
    )

    assert 'id="error-summary"' in page.text
    assert not response.nominations.exists()


def test_a_stale_add_changes_nothing(member_client, response):
    add(member_client, response, organization_named("Eastside Food Bank").pk)

    page = add(member_client, response, organization_named("Valley Public Library").pk)

    assert "changed elsewhere" in page.text
    assert response.nominations.count() == 1


def test_the_search_box_works_without_script(member_client, response):
    page = member_client.get(step_url(response, "partners"), {"q": "Eastside"})

    assert "Eastside Food Bank" in page.text
    assert (
        f'name="organization" value="{organization_named("Eastside Food Bank").pk}"'
        in page.text
    )


def test_partners_named_last_round_are_offered(member_client, response, organization):
    last_round = RoundFactory(
        name="2025",
        slug="2025",
        status="closed",
        opens_at=timezone.now() - timezone.timedelta(days=400),
        closes_at=timezone.now() - timezone.timedelta(days=300),
    )
    last = ResponseFactory(
        round=last_round,
        organization=organization,
        status="submitted",
        submitted_at=timezone.now() - timezone.timedelta(days=320),
    )
    NominationFactory(response=last, partner=organization_named("Eastside Food Bank"))
    NominationFactory(
        response=last, partner=organization_named("Valley Public Library")
    )
    NominationFactory(
        response=response, partner=organization_named("Valley Public Library")
    )

    page = member_client.get(step_url(response, "partners"))
    member_client.post(
        step_url(response, "partners"), {"version": 1, "action": "add_previous"}
    )

    assert "You named these last round" in page.text
    assert f'id="previous-{organization_named("Eastside Food Bank").pk}"' in page.text
    assert (
        f'id="previous-{organization_named("Valley Public Library").pk}"'
        not in page.text
    )
    assert response.nominations.count() == 2


def test_wished_for_partners_are_stored_apart_from_ties(member_client, response):
    library = organization_named("Valley Public Library")

    add(member_client, response, library.pk, slug="aspirations")

    assert Aspiration.objects.get(response=response).organization == library
    assert not response.nominations.exists()


def test_wishing_for_yourself_or_twice_is_refused(
    member_client, response, organization
):
    library = organization_named("Valley Public Library")
    add(member_client, response, library.pk, slug="aspirations")

    itself = add(
        member_client, response, organization.pk, slug="aspirations", version=2
    )
    twice = add(member_client, response, library.pk, slug="aspirations", version=2)

    assert "You cannot name your own organization." in itself.text
    assert "already in this list" in twice.text
    assert response.aspirations.count() == 1


def test_wishing_for_a_current_partner_points_to_deepening(member_client, response):
    food_bank = organization_named("Eastside Food Bank")
    NominationFactory(response=response, partner=food_bank)

    page = add(member_client, response, food_bank.pk, slug="aspirations")

    assert "already one of your partners" in page.text
    assert not response.aspirations.exists()


def test_removing_a_wish(member_client, response):
    wish = Aspiration.objects.create(
        response=response, organization=organization_named("Valley Public Library")
    )

    member_client.post(
        step_url(response, "aspirations"),
        {"version": 1, "action": "remove", "aspiration": wish.pk},
    )

    assert not response.aspirations.exists()


def test_an_unknown_action_is_refused(member_client, response):
    page = member_client.post(
        step_url(response, "partners"), {"version": 1, "action": "delete_all"}
    )

    assert "Unknown action." in page.text
    response.refresh_from_db()
    assert response.version == 1


def test_the_first_opening_prefills_from_the_organization(
    member_client, response, organization
):
    organization.service_area = "Northside"
    organization.size_band = "medium"
    organization.save()

    member_client.get(reverse("surveys:survey_start", args=[response.pk]))

    response.refresh_from_db()
    assert response.service_area == "Northside"
    assert response.size_band == "medium"
    assert response.sector_id == organization.sector_id
    assert response.started_at is not None


def test_the_first_opening_prefills_from_last_round(
    member_client, response, organization
):
    organization.service_area = "From the record"
    organization.save()
    last_round = RoundFactory(
        status="closed",
        opens_at=timezone.now() - timezone.timedelta(days=400),
        closes_at=timezone.now() - timezone.timedelta(days=300),
    )
    ResponseFactory(
        round=last_round,
        organization=organization,
        status="submitted",
        submitted_at=timezone.now() - timezone.timedelta(days=320),
        service_area="From last round",
    )

    member_client.get(reverse("surveys:survey_start", args=[response.pk]))

    response.refresh_from_db()
    assert response.service_area == "From last round"


def test_prefill_happens_once(member_client, response, organization):
    organization.service_area = "Northside"
    organization.save()
    start = reverse("surveys:survey_start", args=[response.pk])
    member_client.get(start)
    response.refresh_from_db()
    response.service_area = ""
    response.save()

    member_client.get(start)

    response.refresh_from_db()
    assert response.service_area == ""
