"""Entry figures from ties: partnerships, signed agreements, marks."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guide.models import Adoption
from guide.services import entry_usage
from surveys.models import DataAgreement
from tests.factories import NominationFactory, OrganizationFactory, RoundFactory
from tests.guide.setup import published_entry, shared_practice, submitted_response


def nominate(response, partner, agreement=DataAgreement.NONE, level="communication"):
    return NominationFactory(
        response=response,
        partner=partner,
        data_agreement=agreement,
        collaboration_level=level,
    )


@pytest.fixture
def entry(organization):
    return published_entry(shared_practice(organization))


def test_partnerships_come_from_the_users_newest_answers(
    entry, organization, other_organization
):
    practice_response = entry.submissions.get().practice.response
    partners = OrganizationFactory.create_batch(3)
    nominate(practice_response, partners[0], DataAgreement.SIGNED, "collaboration")
    nominate(practice_response, partners[1], DataAgreement.IN_PROGRESS)
    nominate(practice_response, partners[2])
    last_year = RoundFactory(
        opens_at=timezone.now() - timedelta(days=400),
        closes_at=timezone.now() - timedelta(days=300),
    )
    older = submitted_response(organization, last_year)
    nominate(older, other_organization, DataAgreement.SIGNED)

    usage = entry_usage([entry])[entry.pk]

    assert usage.organizations == 1
    assert usage.partnerships == 3
    assert usage.signed == 1
    assert usage.levels == {"collaboration": 1, "communication": 2}


def test_a_partnership_between_two_users_counts_once(
    entry, organization, other_organization
):
    mine = entry.submissions.get().practice.response
    theirs = submitted_response(other_organization, mine.round)
    nominate(mine, other_organization)
    nominate(theirs, organization, DataAgreement.SIGNED)
    Adoption.objects.create(entry=entry, organization=other_organization, kind="use")

    usage = entry_usage([entry])[entry.pk]

    assert usage.organizations == 2
    assert usage.partnerships == 1
    assert usage.signed == 1


def test_wanting_to_try_does_not_count_partnerships(entry, other_organization):
    theirs = submitted_response(other_organization)
    nominate(theirs, OrganizationFactory(), DataAgreement.SIGNED)
    Adoption.objects.create(entry=entry, organization=other_organization, kind="try")

    usage = entry_usage([entry])[entry.pk]

    assert usage.organizations == 1
    assert usage.wanting == 1
    assert usage.partnerships == 0


def test_entry_page_states_the_partnerships_and_agreements(member_client, entry):
    response = entry.submissions.get().practice.response
    for agreement in [DataAgreement.SIGNED, DataAgreement.SIGNED, DataAgreement.NONE]:
        nominate(response, OrganizationFactory(), agreement)

    page = member_client.get(entry.get_absolute_url()).content.decode()

    assert "Used in 3 partnerships, 2 of them with a signed data-use agreement." in page


def test_member_marks_and_unmarks_for_their_organization(
    member_client, entry, organization
):
    url = reverse("guide:mark", args=[entry.pk])

    member_client.post(url, {"organization": organization.pk, "kind": "use"})
    assert Adoption.objects.filter(organization=organization, kind="use").exists()
    page = member_client.get(reverse("guide:our_practices")).content.decode()
    assert entry.title in page

    member_client.post(url, {"organization": organization.pk, "kind": "use"})
    assert not Adoption.objects.exists()


def test_outsider_cannot_mark_for_another_organization(
    outsider_client, entry, organization
):
    response = outsider_client.post(
        reverse("guide:mark", args=[entry.pk]),
        {"organization": organization.pk, "kind": "use"},
    )

    assert response.status_code == 404
    assert not Adoption.objects.exists()


def test_unknown_mark_is_refused(member_client, entry, organization):
    response = member_client.post(
        reverse("guide:mark", args=[entry.pk]),
        {"organization": organization.pk, "kind": "love"},
    )

    assert response.status_code == 404
    assert not Adoption.objects.exists()


def test_anonymous_visitor_cannot_mark(anonymous_client, entry, organization):
    response = anonymous_client.post(
        reverse("guide:mark", args=[entry.pk]),
        {"organization": organization.pk, "kind": "use"},
    )

    assert response.status_code == 302
    assert not Adoption.objects.exists()
