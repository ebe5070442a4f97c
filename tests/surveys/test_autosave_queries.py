"""An autosave costs the same queries however many partners the step shows,
and reads the response it saves only once.

The load test (bench/load_survey.py) found the partner-details autosave
checking every partner's form, each check asking the database about the
model's constraints; only the changed forms are checked now.
"""
# ruff: noqa: F811 -- fixtures imported from survey_setup are used as arguments

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.models import Nomination
from tests.factories import NominationFactory, OrganizationFactory
from tests.surveys.survey_setup import (  # noqa: F401
    autosave,
    invited_client,
    open_round,
    response,
    step_url,
)

pytestmark = pytest.mark.django_db


def details(nominations, version, **changes):
    """Post every partner's answers as stored, with some of them changed."""
    data = {"version": version}
    for nomination in nominations:
        prefix = f"n{nomination.pk}-"
        data[prefix + "collaboration_level"] = nomination.collaboration_level
        data[prefix + "data_sharing"] = nomination.data_sharing
        data[prefix + "data_agreement"] = nomination.data_agreement
    for key, value in changes.items():
        data[key] = value
    return data


def one_autosave(client, response, slug, answers):
    """Open the step, then autosave `answers(version)`; return the answer and
    the SQL the autosave ran."""
    # The first visit starts and prefills the response; measure after it.
    client.get(step_url(response, slug))
    response.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        answer = autosave(client, step_url(response, slug), answers(response.version))
    return answer, [query["sql"] for query in queries.captured_queries]


def queries_for_one_change(client, response, partners):
    nominations = [
        NominationFactory(response=response, partner=OrganizationFactory())
        for _ in range(partners)
    ]
    first = f"n{nominations[0].pk}-collaboration_level"
    answer, queries = one_autosave(
        client,
        response,
        "partner-details",
        lambda version: details(nominations, version, **{first: "coordination"}),
    )
    assert answer.json()["status"] == "saved"
    assert Nomination.objects.get(pk=nominations[0].pk).collaboration_level == (
        "coordination"
    )
    Nomination.objects.filter(response=response).delete()
    response.refresh_from_db()
    return len(queries)


def test_one_change_costs_the_same_with_one_or_eight_partners(member_client, response):
    one = queries_for_one_change(member_client, response, 1)
    eight = queries_for_one_change(member_client, response, 8)

    assert eight == one


def test_a_changed_form_is_checked_without_asking_the_database(member_client, response):
    # Its fields' validation covers the model's check constraints.
    nomination = NominationFactory(response=response)
    answer, queries = one_autosave(
        member_client,
        response,
        "partner-details",
        lambda version: details(
            [nomination], version, **{f"n{nomination.pk}-trust": "4"}
        ),
    )

    assert answer.json()["status"] == "saved"
    assert not [sql for sql in queries if '"_check"' in sql]


def test_a_changed_form_is_still_checked(member_client, response):
    nomination = NominationFactory(response=response)
    other = NominationFactory(response=response, partner=OrganizationFactory())

    answer = autosave(
        member_client,
        step_url(response, "partner-details"),
        details(
            [nomination, other],
            1,
            **{
                f"n{other.pk}-collaboration_level": "sometimes",
                f"n{nomination.pk}-data_sharing": "record",
            },
        ),
    )

    assert answer.status_code == 422
    assert f"n{other.pk}-collaboration_level" in answer.json()["errors"]
    nomination.refresh_from_db()
    assert nomination.data_sharing == "none"
    response.refresh_from_db()
    assert response.version == 1


def test_an_autosave_reads_the_response_and_its_invitation_once(
    invited_client, response
):
    # The rate limit and the view both need the response the visitor may answer.
    answer, reads = one_autosave(
        invited_client,
        response,
        "organization",
        lambda version: {"version": version, "service_area": "North county"},
    )

    assert answer.json()["status"] == "saved"
    assert (
        len([sql for sql in reads if sql.startswith('SELECT "surveys_response"')]) == 1
    )
    assert len([sql for sql in reads if 'FROM "surveys_invitation"' in sql]) == 1
    # The form reads the stored services to compare; unchanged, they are not
    # set again (which would read them a second time).
    assert len([sql for sql in reads if "surveys_response_services" in sql]) == 1
