"""Saving survey answers: autosave, version checks and bad input."""
# ruff: noqa: F811 -- fixtures imported from survey_setup are used as arguments

import pytest

from organizations.models import Sector, Service
from surveys import saving
from surveys.models import Nomination, Practice, Round
from tests.factories import NominationFactory, OrganizationFactory
from tests.surveys.survey_setup import (  # noqa: F401
    autosave,
    open_round,
    organization_named,
    response,
    step_url,
)

pytestmark = pytest.mark.django_db


def about(response, **changes):
    sector = Sector.objects.order_by("order").last()
    return {
        "version": response.version,
        "sector": sector.pk,
        "services": [Service.objects.first().pk],
        "service_area": "North county",
        "size_band": "small",
        **changes,
    }


def test_autosave_stores_the_answer_and_raises_the_version(member_client, response):
    answer = autosave(
        member_client, step_url(response, "organization"), about(response)
    )

    assert answer.status_code == 200
    assert answer.json() == {"status": "saved", "version": 2}
    response.refresh_from_db()
    assert response.service_area == "North county"
    assert response.size_band == "small"
    assert response.services.count() == 1
    assert response.version == 2


def test_save_button_stores_and_goes_to_the_next_step(member_client, response):
    answer = member_client.post(
        step_url(response, "organization"), {**about(response), "go": "next"}
    )

    assert answer.status_code == 302
    assert answer.url == step_url(response, "partners")
    response.refresh_from_db()
    assert response.service_area == "North county"


def test_back_button_saves_and_goes_to_the_previous_step(member_client, response):
    answer = member_client.post(
        step_url(response, "practices"),
        {
            "version": 1,
            "consent": "private",
            "story_stage": "planning",
            "go": "previous",
        },
    )

    assert answer.url == step_url(response, "aspirations")


def test_a_save_from_a_stale_tab_overwrites_nothing(member_client, response):
    autosave(member_client, step_url(response, "organization"), about(response))

    stale = autosave(
        member_client,
        step_url(response, "organization"),
        about(response, service_area="Old tab's answer"),
    )

    assert stale.status_code == 409
    assert stale.json()["status"] == "stale"
    assert "changed elsewhere" in stale.json()["message"]
    response.refresh_from_db()
    assert response.service_area == "North county"
    assert response.version == 2


def test_a_stale_save_without_script_explains_and_offers_a_reload(
    member_client, response
):
    autosave(member_client, step_url(response, "organization"), about(response))

    page = member_client.post(
        step_url(response, "organization"), about(response, service_area="Old")
    )

    assert page.status_code == 200
    assert "changed elsewhere" in page.text
    assert "Reload this page" in page.text
    response.refresh_from_db()
    assert response.service_area == "North county"


def test_an_unchanged_autosave_keeps_the_version(member_client, response):
    data = about(response)
    autosave(member_client, step_url(response, "organization"), data)

    again = autosave(
        member_client, step_url(response, "organization"), {**data, "version": 2}
    )

    assert again.json() == {"status": "saved", "version": 2}


def test_over_long_text_is_refused_next_to_the_field(member_client, response):
    answer = autosave(
        member_client,
        step_url(response, "organization"),
        about(response, service_area="x" * 201),
    )

    assert answer.status_code == 422
    assert "service_area" in answer.json()["errors"]
    response.refresh_from_db()
    assert response.service_area == ""
    assert response.version == 1


def test_a_failed_step_shows_an_error_summary(member_client, response):
    page = member_client.post(
        step_url(response, "organization"), about(response, service_area="x" * 201)
    )

    assert 'id="error-summary"' in page.text
    assert 'href="#id_service_area-group"' in page.text
    assert 'aria-invalid="true"' in page.text


def test_a_tampered_version_is_refused(member_client, response):
    answer = autosave(
        member_client, step_url(response, "organization"), about(response, version="x")
    )

    assert answer.status_code == 422
    response.refresh_from_db()
    assert response.service_area == ""


def test_forms_ignore_organization_round_status_and_timestamps(
    member_client, response, other_organization
):
    other_round = Round.objects.create(name="Other", slug="other", status="open")

    autosave(
        member_client,
        step_url(response, "organization"),
        about(
            response,
            organization=other_organization.pk,
            round=other_round.pk,
            status="submitted",
            submitted_at="2020-01-01T00:00:00Z",
            started_at="2020-01-01T00:00:00Z",
        ),
    )

    response.refresh_from_db()
    assert response.organization.name == "Northside Health Collaborative"
    assert response.round.name == "2026"
    assert response.status == "draft"
    assert response.submitted_at is None
    assert response.started_at.year != 2020


def test_nothing_is_saved_once_the_round_closes(member_client, response):
    Round.objects.filter(pk=response.round_id).update(status="closed")

    answer = autosave(
        member_client, step_url(response, "organization"), about(response)
    )
    page = member_client.post(step_url(response, "organization"), about(response))

    assert answer.status_code == 403
    assert answer.json()["status"] == "closed"
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.service_area == ""
    assert response.version == 1


def test_a_save_racing_the_close_of_the_round_changes_nothing(response):
    Round.objects.filter(pk=response.round_id).update(status="closed")

    with pytest.raises(saving.RoundClosed):  # noqa: SIM117
        with saving.answering(response, response.version):
            response.nominations.create(
                partner=organization_named("Eastside Food Bank")
            )

    assert not response.nominations.exists()
    response.refresh_from_db()
    assert response.version == 1


def test_partner_details_save_the_changed_card(member_client, response):
    first = NominationFactory(
        response=response, partner=organization_named("Eastside Food Bank")
    )
    second = NominationFactory(
        response=response, partner=organization_named("Riverbend Housing Alliance")
    )
    service = Service.objects.first()
    data = {"version": response.version}
    for nomination in (first, second):
        prefix = f"n{nomination.pk}"
        data.update(
            {
                f"{prefix}-collaboration_level": "communication",
                f"{prefix}-data_sharing": "none",
                f"{prefix}-data_agreement": "none",
            }
        )
    data.update(
        {
            f"n{first.pk}-collaboration_level": "collaboration",
            f"n{first.pk}-sends_referrals": "on",
            f"n{first.pk}-frequency": "monthly",
            f"n{first.pk}-trust": "4",
            f"n{first.pk}-services": [service.pk],
            f"n{first.pk}-wants_to_deepen": "on",
        }
    )

    answer = autosave(member_client, step_url(response, "partner-details"), data)

    assert answer.json()["status"] == "saved"
    first.refresh_from_db()
    assert first.collaboration_level == "collaboration"
    assert first.sends_referrals and first.wants_to_deepen
    assert first.trust == 4
    assert list(first.services.all()) == [service]
    second.refresh_from_db()
    assert second.collaboration_level == "communication"


def test_partner_details_refuse_a_rating_out_of_range(member_client, response):
    nomination = NominationFactory(
        response=response, partner=organization_named("Eastside Food Bank")
    )
    prefix = f"n{nomination.pk}"

    answer = autosave(
        member_client,
        step_url(response, "partner-details"),
        {
            "version": 1,
            f"{prefix}-collaboration_level": "coordination",
            f"{prefix}-data_sharing": "none",
            f"{prefix}-data_agreement": "none",
            f"{prefix}-trust": "9",
        },
    )

    assert answer.status_code == 422
    assert f"{prefix}-trust" in answer.json()["errors"]
    nomination.refresh_from_db()
    assert nomination.collaboration_level == "communication"


def test_partner_details_show_the_level_definitions(member_client, response):
    NominationFactory(
        response=response, partner=organization_named("Eastside Food Bank")
    )

    page = member_client.get(step_url(response, "partner-details"))

    assert "Talk about data, meet." in page.text
    assert "Consult, coordinate activities and resources." in page.text
    assert "under a formal agreement or governance" in page.text


def test_partner_details_of_another_response_cannot_be_changed(
    member_client, response, other_organization
):
    foreign = NominationFactory(partner=organization_named("Eastside Food Bank"))

    autosave(
        member_client,
        step_url(response, "partner-details"),
        {"version": 1, f"n{foreign.pk}-collaboration_level": "collaboration"},
    )

    foreign.refresh_from_db()
    assert foreign.collaboration_level == "communication"


def test_practices_are_stored_as_rows_with_the_story(member_client, response):
    answer = autosave(
        member_client,
        step_url(response, "practices"),
        {
            "version": 1,
            "practices": ["planning-community-questions", "governance-retention"],
            "story": "We pay residents to co-design our intake form.",
            "story_stage": "collection",
            "consent": "unnamed",
        },
    )

    assert answer.json()["status"] == "saved"
    rows = {p.suggestion: p for p in Practice.objects.filter(response=response)}
    assert set(rows) == {"planning-community-questions", "governance-retention", ""}
    assert rows[""].text == "We pay residents to co-design our intake form."
    assert rows[""].stage == "collection"
    assert {p.consent for p in rows.values()} == {"unnamed"}
    assert rows["governance-retention"].stage == "governance"


def test_unticking_a_practice_removes_its_row(member_client, response):
    url = step_url(response, "practices")
    base = {"story_stage": "planning", "consent": "private", "story": ""}
    autosave(
        member_client, url, {**base, "version": 1, "practices": ["analysis-context"]}
    )

    autosave(member_client, url, {**base, "version": 2, "practices": []})

    assert not Practice.objects.filter(response=response).exists()


def test_an_unknown_practice_is_refused(member_client, response):
    answer = autosave(
        member_client,
        step_url(response, "practices"),
        {
            "version": 1,
            "practices": ["made-up"],
            "story_stage": "planning",
            "consent": "private",
        },
    )

    assert answer.status_code == 422
    assert not Practice.objects.filter(response=response).exists()


def test_an_over_long_story_is_refused(member_client, response):
    answer = autosave(
        member_client,
        step_url(response, "practices"),
        {
            "version": 1,
            "story": "x" * 3001,
            "story_stage": "planning",
            "consent": "named",
        },
    )

    assert answer.status_code == 422
    assert "story" in answer.json()["errors"]


def test_visibility_is_chosen_in_plain_words(member_client, response):
    NominationFactory(
        response=response, partner=organization_named("Eastside Food Bank")
    )

    page = member_client.get(step_url(response, "visibility"))
    answer = autosave(
        member_client,
        step_url(response, "visibility"),
        {"version": 1, "visibility": "anonymous", "consent_to_contact": "on"},
    )

    assert (
        "“Northside Health Collaborative works with Eastside Food Bank.”" in page.text
    )
    assert answer.json()["status"] == "saved"
    response.refresh_from_db()
    assert response.visibility == "anonymous"
    assert response.consent_to_contact


def test_an_invalid_visibility_is_refused(member_client, response):
    answer = autosave(
        member_client,
        step_url(response, "visibility"),
        {"version": 1, "visibility": "public"},
    )

    assert answer.status_code == 422
    response.refresh_from_db()
    assert response.visibility == "staff"


def test_drafts_survive_a_new_browser(member, response):
    from django.test import Client

    first = Client()
    first.force_login(member)
    autosave(first, step_url(response, "organization"), about(response))
    second = Client()
    second.force_login(member)

    page = second.get(step_url(response, "organization"))

    assert 'value="North county"' in page.text


def test_nominations_carry_the_respondent_not_a_posted_one(member_client, response):
    OrganizationFactory(name="Unlisted Org")

    member_client.post(
        step_url(response, "partners"),
        {
            "version": 1,
            "action": "add",
            "organization": organization_named("Eastside Food Bank").pk,
            "respondent": organization_named("Riverbend Housing Alliance").pk,
        },
    )

    nomination = Nomination.objects.get(response=response)
    assert nomination.respondent_id == response.organization_id
