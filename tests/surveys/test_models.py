from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from surveys.models import Nomination, Practice, Response, Round
from tests.factories import (
    NominationFactory,
    OrganizationFactory,
    PracticeFactory,
    ResponseFactory,
    RosterEntryFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


@contextmanager
def refused():
    """Expect the database to refuse what the block writes."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


def test_round_must_close_after_it_opens():
    now = timezone.now()

    with refused():
        RoundFactory(opens_at=now, closes_at=now - timezone.timedelta(days=1))


def test_round_status_must_be_known():
    with refused():
        RoundFactory(status="archived")


def test_an_organization_is_on_a_roster_once():
    entry = RosterEntryFactory()

    with refused():
        RosterEntryFactory(round=entry.round, organization=entry.organization)


def test_one_response_per_organization_per_round():
    response = ResponseFactory()

    with refused():
        ResponseFactory(round=response.round, organization=response.organization)


def test_a_submitted_response_has_a_submission_time():
    with refused():
        ResponseFactory(status=Response.Status.SUBMITTED, submitted_at=None)


def test_visibility_must_be_a_known_choice():
    with refused():
        ResponseFactory(visibility="public")


def test_a_response_cannot_nominate_its_own_organization():
    response = ResponseFactory()

    with refused():
        NominationFactory(response=response, partner=response.organization)


def test_nomination_copies_the_respondent_from_its_response():
    nomination = NominationFactory()

    assert nomination.respondent == nomination.response.organization


def test_a_response_cannot_nominate_the_same_partner_twice():
    nomination = NominationFactory()

    with refused():
        NominationFactory(response=nomination.response, partner=nomination.partner)


def test_the_same_partner_may_be_named_in_different_responses():
    partner = OrganizationFactory()

    NominationFactory(partner=partner)
    NominationFactory(partner=partner)

    assert Nomination.objects.filter(partner=partner).count() == 2


def test_a_write_in_needs_a_name():
    with refused():
        NominationFactory(partner=None, write_in_name="   ")


def test_a_nomination_cannot_have_both_a_partner_and_a_write_in():
    with refused():
        NominationFactory(write_in_name="Eastside Youth Hub")


def test_the_same_write_in_is_refused_twice_in_a_response():
    nomination = NominationFactory(partner=None, write_in_name="Eastside Youth Hub")

    with refused():
        NominationFactory(
            response=nomination.response,
            partner=None,
            write_in_name=" EASTSIDE youth  hub",
        )


@pytest.mark.parametrize("field", ["trust", "value"])
@pytest.mark.parametrize("rating", [0, 5])
def test_ratings_outside_one_to_four_are_refused(field, rating):
    with refused():
        NominationFactory(**{field: rating})


def test_ratings_from_one_to_four_are_kept():
    nomination = NominationFactory(trust=1, value=4)

    assert (nomination.trust, nomination.value) == (1, 4)


@pytest.mark.parametrize(
    "field, wrong",
    [("trust", 5), ("value", 0), ("collaboration_level", "partnership")],
)
def test_field_validation_refuses_what_the_skipped_checks_refuse(field, wrong):
    # Validation leaves these checks to the fields (test_autosave_queries);
    # the database still refuses such rows (above).
    nomination = NominationFactory()
    setattr(nomination, field, wrong)

    with pytest.raises(ValidationError) as refusal:
        nomination.clean_fields()

    assert list(refusal.value.message_dict) == [field]


def test_unknown_collaboration_level_is_refused():
    with refused():
        NominationFactory(collaboration_level="partnership")


def test_a_practice_needs_text_and_a_known_stage():
    with refused():
        PracticeFactory(text="")
    with refused():
        PracticeFactory(stage="dreaming")


def test_practice_consent_defaults_to_not_published():
    practice = PracticeFactory()

    assert practice.consent == Practice.Consent.PRIVATE


def test_rounds_list_newest_first():
    older = RoundFactory(opens_at=timezone.now() - timezone.timedelta(days=400))
    newer = RoundFactory()

    assert list(Round.objects.all()) == [newer, older]
