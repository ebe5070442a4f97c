"""Submitting a response: stored once, the rebuild queued after commit."""
# ruff: noqa: F811 -- fixtures imported from survey_setup are used as arguments

from unittest import mock

import pytest
from django.db import transaction
from django.urls import reverse

from network.models import RoundNetworkState
from surveys.models import Round
from surveys.saving import StaleVersion
from surveys.submission import ALREADY_SUBMITTED, SUBMITTED, submit_response
from tests.surveys.survey_setup import (  # noqa: F401
    autosave,
    invited_client,
    open_round,
    response,
    step_url,
)

pytestmark = pytest.mark.django_db

QUEUE = "network.tasks.rebuild_round_network.apply_async"


def submit(client, response, version=None, consent=True):
    data = {"version": version or response.version}
    if consent:
        data["consent_to_participate"] = "on"
    return client.post(step_url(response, "review"), data)


def generation(round_):
    state = RoundNetworkState.objects.filter(round=round_).first()
    return state.generation if state else 0


def test_submitting_stores_the_response_and_queues_one_rebuild_after_commit(
    member_client, member, response, django_capture_on_commit_callbacks
):
    with (
        mock.patch(QUEUE) as queue,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        answer = submit(member_client, response)

    assert answer.url == reverse("surveys:survey_submitted", args=[response.pk])
    response.refresh_from_db()
    assert response.status == "submitted"
    assert response.submitted_at is not None
    assert response.submitted_by == member
    assert response.consent_to_participate
    assert len(callbacks) == 1
    queue.assert_called_once()
    assert queue.call_args.args[0] == (response.round_id,)
    assert generation(response.round) == 1


def test_the_rebuild_is_not_queued_before_commit(
    response, django_capture_on_commit_callbacks
):
    with (
        mock.patch(QUEUE) as queue,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        submit_response(response, response.version)
        assert not queue.called

    assert len(callbacks) == 1
    assert not queue.called


def test_a_rolled_back_submission_queues_nothing(
    response, django_capture_on_commit_callbacks
):
    with (
        mock.patch(QUEUE) as queue,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit_response(response, response.version)
        raise RuntimeError("the request failed after submitting")

    assert callbacks == []
    assert not queue.called
    response.refresh_from_db()
    assert response.status == "draft"
    assert generation(response.round) == 0


def test_a_double_click_stores_one_submission(
    member_client, response, django_capture_on_commit_callbacks
):
    with mock.patch(QUEUE) as queue, django_capture_on_commit_callbacks(execute=True):
        first = submit(member_client, response, version=1)
        response.refresh_from_db()
        submitted_at = response.submitted_at
        second = submit(member_client, response, version=1)

    assert first.url == second.url
    response.refresh_from_db()
    assert response.submitted_at == submitted_at
    assert response.version == 2
    assert generation(response.round) == 1
    assert queue.call_count == 1


def test_a_retried_request_is_recognized(response):
    with mock.patch(QUEUE):
        assert submit_response(response, 1) == SUBMITTED
        assert submit_response(response, 1) == ALREADY_SUBMITTED


def test_a_stale_submission_is_refused(member_client, response):
    autosave(
        member_client,
        step_url(response, "visibility"),
        {"version": 1, "visibility": "named"},
    )

    page = submit(member_client, response, version=1)

    assert "changed elsewhere" in page.text
    response.refresh_from_db()
    assert response.status == "draft"
    with pytest.raises(StaleVersion):
        submit_response(response, 1)


def test_a_resubmission_counts_again(
    member_client, response, django_capture_on_commit_callbacks
):
    with mock.patch(QUEUE), django_capture_on_commit_callbacks(execute=True):
        submit(member_client, response, version=1)
        response.refresh_from_db()
        first_time = response.submitted_at
        autosave(
            member_client,
            step_url(response, "visibility"),
            {"version": 2, "visibility": "anonymous"},
        )
        response.refresh_from_db()
        assert response.has_unsubmitted_changes
        submit(member_client, response, version=3)

    response.refresh_from_db()
    assert response.status == "submitted"
    assert response.submitted_at > first_time
    assert not response.has_unsubmitted_changes
    assert generation(response.round) == 2


def test_answers_stay_editable_after_submitting(member_client, response):
    with mock.patch(QUEUE):
        submit(member_client, response)

    answer = autosave(
        member_client,
        step_url(response, "visibility"),
        {"version": 2, "visibility": "named"},
    )

    assert answer.json()["status"] == "saved"
    response.refresh_from_db()
    assert response.status == "submitted"


def test_submitting_needs_consent(member_client, response):
    page = submit(member_client, response, consent=False)

    assert "Please tick the box to agree before submitting." in page.text
    assert 'id="error-summary"' in page.text
    response.refresh_from_db()
    assert response.status == "draft"


def test_a_closed_round_refuses_the_submission(member_client, response):
    Round.objects.filter(pk=response.round_id).update(status="closed")

    with mock.patch(QUEUE) as queue:
        page = submit(member_client, response)

    assert "answers can no longer change" in page.text
    response.refresh_from_db()
    assert response.status == "draft"
    assert not queue.called


def test_an_invited_browser_submits_without_a_person(invited_client, response):
    with mock.patch(QUEUE):
        invited_client.get(reverse("surveys:survey_start", args=[response.pk]))
        answer = submit(invited_client, response)

    assert answer.status_code == 302
    response.refresh_from_db()
    assert response.status == "submitted"
    assert response.submitted_by is None


def test_staff_cannot_submit_for_another_organization(staff_client, response):
    answer = submit(staff_client, response)

    assert answer.status_code == 404
    response.refresh_from_db()
    assert response.status == "draft"


def test_the_thank_you_page_says_answers_stay_editable(member_client, response):
    with mock.patch(QUEUE):
        submit(member_client, response)

    page = member_client.get(reverse("surveys:survey_submitted", args=[response.pk]))

    assert "your answers are submitted" in page.text
    assert "submit again until the round closes" in page.text
