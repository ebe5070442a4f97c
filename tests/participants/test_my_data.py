"""My data: everything held about the organization, downloads, withdrawal."""

import csv
import io
import json

import pytest
from django.urls import reverse

from network.models import RoundNetworkState
from network.services import rebuild_round
from participants.models import WithdrawalRequest
from participants.records import approve_withdrawal
from surveys.models import Nomination, Response
from tests.participants.test_visibility_matrix import client_for
from tests.participants.world import NAMES, build_world, read_map, secret

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def data_url(world, key, kind=None):
    pk = world.organizations[key].pk
    if kind:
        return reverse("participants:my_data_download", args=[pk, kind])
    return reverse("participants:my_data", args=[pk])


def test_json_download_holds_answers_and_visible_reports_about_us(world):
    client = client_for(world.members["alpha"])

    record = client.get(data_url(world, "alpha", "json")).json()

    answers = record["rounds"][0]
    assert answers["visibility"] == "named"
    assert {n["partner"] for n in answers["nominations_made"]} == {
        NAMES["bravo"],
        NAMES["delta"],
    }
    assert answers["practices"][0]["text"] == secret("alpha")
    received = record["nominations_received"][world.round.name]
    reporters = {r["reported_by"] for r in received}
    assert NAMES["echo"] in reporters
    assert NAMES["charlie"] not in reporters
    assert len(received) == 2  # Bravo (anonymous) and Echo; not Charlie.


def test_csv_download_is_formula_safe(world):
    alpha = world.organizations["alpha"]
    alpha.description = "=HYPERLINK('http://example.org')"
    alpha.save()
    client = client_for(world.members["alpha"])

    text = client.get(data_url(world, "alpha", "csv")).content.decode()

    rows = dict(csv.reader(io.StringIO(text)))
    assert rows["organization.description"].startswith("'=")


def test_an_unknown_download_kind_is_not_found(world):
    client = client_for(world.members["alpha"])

    assert client.get(data_url(world, "alpha", "xml")).status_code == 404


def test_member_asks_to_withdraw_once(world):
    client = client_for(world.members["alpha"])

    client.post(
        reverse(
            "participants:request_withdrawal", args=[world.organizations["alpha"].pk]
        ),
        {"confirm": "on"},
    )
    client.post(
        reverse(
            "participants:request_withdrawal", args=[world.organizations["alpha"].pk]
        ),
        {"confirm": "on"},
    )

    assert WithdrawalRequest.objects.filter(status="pending").count() == 1


def test_withdrawal_needs_the_box_ticked(world):
    client = client_for(world.members["alpha"])

    client.post(
        reverse(
            "participants:request_withdrawal", args=[world.organizations["alpha"].pk]
        ),
        {},
    )

    assert not WithdrawalRequest.objects.exists()


def test_approved_withdrawal_removes_answers_and_keeps_what_others_allow(world, staff):
    alpha = world.organizations["alpha"]
    request_ = WithdrawalRequest.objects.create(organization=alpha)
    before = RoundNetworkState.objects.get(round=world.round).generation

    removed = approve_withdrawal(request_, staff)

    assert removed == 1
    assert not Response.objects.filter(organization=alpha).exists()
    assert Nomination.objects.filter(partner=alpha).count() == 3
    assert RoundNetworkState.objects.get(round=world.round).generation == before + 1
    alpha.refresh_from_db()
    assert not alpha.is_active
    rebuild_round(world.round.pk)  # queued after commit; the map shows its result
    client = client_for(world.members["echo"])
    _nodes, ties = read_map(
        client.get(reverse("participants:explorer_json", args=[world.round.slug]))
    )
    alpha_id = str(alpha.pk)
    assert [t for t in ties if alpha_id in (t["source"], t["target"])]
    assert all(not t["confirmed"] for t in ties)


def test_staff_approve_in_the_admin(world, staff_client):
    request_ = WithdrawalRequest.objects.create(
        organization=world.organizations["echo"]
    )

    staff_client.post(
        reverse("admin:participants_withdrawalrequest_changelist"),
        {"action": "approve", "_selected_action": [request_.pk]},
    )

    request_.refresh_from_db()
    assert request_.status == "approved"
    assert not Response.objects.filter(
        organization=world.organizations["echo"]
    ).exists()


def test_my_data_shows_levels_and_stages_by_their_labels(world):
    client = client_for(world.members["alpha"])

    page = client.get(
        reverse("participants:my_data", args=[world.organizations["alpha"].pk])
    ).content.decode()
    download = client.get(
        reverse(
            "participants:my_data_download",
            args=[world.organizations["alpha"].pk, "json"],
        )
    ).json()

    assert "<td>Coordination</td>" in page and "<td>coordination</td>" not in page
    assert "(Planning, " in page and "(planning, " not in page
    assert "coordination" in json.dumps(download)
