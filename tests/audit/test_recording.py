"""Each staff action on data leaves one audit entry, with counts, not answers."""

import pytest
from django.urls import reverse

from audit.log import record_event
from audit.models import AuditEvent
from participants.models import WithdrawalRequest
from tests.factories import OrganizationFactory, RoundFactory
from tests.network.insight_rounds import small_round
from tests.network.round_pairs import round_pair
from tests.organizations.test_roster_import import GOOD_ROWS, csv_upload
from tests.participants.world import build_world

pytestmark = pytest.mark.django_db


def only_event(action):
    events = list(AuditEvent.objects.all())
    assert [e.action for e in events] == [action]
    return events[0]


def test_an_export_download_is_recorded(staff_client, staff):
    round_ = round_pair().later
    url = reverse(
        "network:round_export_download", args=[round_.slug, "anonymized", "csv"]
    )

    assert staff_client.get(url).status_code == 200

    event = only_event(AuditEvent.Action.EXPORT)
    assert (event.actor, event.actor_email) == (staff, staff.email)
    assert event.round == round_
    assert event.details["format"] == "csv"
    assert event.details["variant"] == "anonymized"
    assert "Anonymized csv export" in event.summary


def test_a_measures_table_export_is_recorded(staff_client):
    round_ = round_pair().later
    url = reverse("network:round_table_export", args=[round_.slug, "csv"])

    assert staff_client.get(url).status_code == 200

    assert only_event(AuditEvent.Action.EXPORT).details["variant"] == "table"


def test_a_merge_in_the_admin_is_recorded(staff_client, staff):
    keep = OrganizationFactory(name="Northside Food Bank")
    duplicate = OrganizationFactory(name="North Side Foodbank")

    staff_client.post(
        reverse("admin:organizations_organization_changelist"),
        {
            "action": "merge_selected",
            "_selected_action": [keep.pk, duplicate.pk],
            "merge": "yes",
            "keep": keep.pk,
        },
    )

    event = only_event(AuditEvent.Action.MERGE)
    assert event.actor == staff
    assert event.organization == "Northside Food Bank"
    assert event.summary == "Merged North Side Foodbank into Northside Food Bank"
    assert event.details["merged"] == [duplicate.pk]


def test_a_write_in_merge_is_recorded_without_the_spellings(staff_client, staff):
    spring = small_round()
    url = reverse("network:round_merge_write_ins", args=["spring"])
    keys = ["gateway food pantry", "gateway food pantr", "gfp"]

    staff_client.post(
        url, {"keys": keys, "organization": spring.gateway.pk, "confirmed": "on"}
    )

    event = only_event(AuditEvent.Action.WRITE_INS_MERGED)
    assert event.actor == staff
    assert event.round == spring.round
    assert event.details["moved"] == 3
    assert event.details["spellings"] == 3
    assert "GFP" not in event.summary and "Pantr " not in event.summary


def test_an_organization_created_from_write_ins_is_recorded(staff_client):
    spring = small_round()
    url = reverse("network:round_create_from_write_ins", args=["spring"])

    staff_client.post(
        url, {"keys": ["gfp"], "name": "Gateway Food Cooperative", "confirmed": "on"}
    )

    event = only_event(AuditEvent.Action.WRITE_INS_MERGED)
    assert event.organization == "Gateway Food Cooperative"
    assert event.details["added_to_roster"] is True
    assert event.round == spring.round


def test_a_roster_import_is_recorded(staff_client, staff):
    round_ = RoundFactory()
    url = reverse("admin:organizations_organization_import")
    shown = staff_client.post(url, {"file": csv_upload(GOOD_ROWS), "round": round_.pk})
    assert not AuditEvent.objects.exists()

    staff_client.post(url, {"token": shown.context["token"]})

    event = only_event(AuditEvent.Action.ROSTER_IMPORT)
    assert event.actor == staff
    assert event.round == round_
    assert event.details["organizations"] == 2
    assert event.details["file"] == "roster.csv"


@pytest.mark.parametrize(
    "action, status, recorded",
    [
        ("approve", "approved", AuditEvent.Action.WITHDRAWAL_APPROVED),
        ("decline", "declined", AuditEvent.Action.WITHDRAWAL_DECLINED),
    ],
)
def test_a_withdrawal_decision_is_recorded(
    staff_client, staff, action, status, recorded
):
    world = build_world()
    echo = world.organizations["echo"]
    request_ = WithdrawalRequest.objects.create(organization=echo, reason="Private")

    staff_client.post(
        reverse("admin:participants_withdrawalrequest_changelist"),
        {"action": action, "_selected_action": [request_.pk]},
    )

    request_.refresh_from_db()
    assert request_.status == status
    event = only_event(recorded)
    assert event.actor == staff
    assert event.organization == echo.name
    assert event.details["request"] == request_.pk
    assert "Private" not in event.summary


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError, match="unknown audit action"):
        record_event("organizations.renamed", "Renamed")
    assert not AuditEvent.objects.exists()


def test_an_entry_outlives_its_round_and_its_author(staff):
    round_ = RoundFactory(name="Round 2019")
    event = record_event(AuditEvent.Action.EXPORT, "CSV", actor=staff, round=round_)

    round_.delete()
    staff.delete()

    event.refresh_from_db()
    assert (event.round, event.actor) == (None, None)
    assert (event.round_name, event.actor_email) == ("Round 2019", "staff@edn.example")
