"""Coverage of a round: who answered, who is missing, write-ins and gaps."""

import pytest
from django.urls import reverse

from network import coverage, write_ins
from network.dashboard_views import newest_snapshot
from network.models import RoundNetworkState
from organizations.models import Organization, Sector
from surveys.models import Invitation, Nomination, RosterEntry
from tests.factories import (
    MembershipFactory,
    NominationFactory,
    OrganizationFactory,
)
from tests.network.insight_rounds import small_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def spring():
    return small_round()


def _rate(rates, label):
    found = {rate.label: rate for rate in rates}[label]
    return found.answered, found.total


def test_response_rates_count_the_roster_by_sector_service_and_area(spring):
    rates = coverage.response_rates(spring.round)

    assert (rates["overall"].answered, rates["overall"].total) == (5, 8)
    assert rates["overall"].percent == 62
    assert _rate(rates["sectors"], "Health") == (2, 2)
    assert _rate(rates["sectors"], "Social & Community Service") == (1, 3)
    assert _rate(rates["sectors"], "Education") == (2, 3)
    assert _rate(rates["services"], "Food") == (1, 1)
    assert _rate(rates["areas"], "North") == (5, 8)


def test_non_respondents_are_ranked_by_how_many_named_them(spring):
    rows, count = coverage.non_respondents(spring.round, newest_snapshot(spring.round))

    assert [(row.name, row.in_degree) for row in rows] == [("Org D", 3), ("Org H", 1)]
    assert count == 2
    assert rows[0].is_on_roster and not rows[0].is_invited


def test_isolates_and_fragments_are_listed_with_their_members(spring):
    snapshot = newest_snapshot(spring.round)

    isolated, count = coverage.isolates(snapshot)
    fragments = coverage.fragments(snapshot)

    assert count == 2
    assert [(row["name"], row["responded"]) for row in isolated] == [
        ("Org F", True),
        ("Org E", False),
    ]
    assert [[m["name"] for m in f.members] for f in fragments] == [["Org G", "Org H"]]


def test_thin_sectors_are_those_the_network_reaches_least(spring):
    OrganizationFactory(name="Corner Shop", sector=Sector.objects.get(name="Business"))

    presence = coverage.thin_presence(newest_snapshot(spring.round))

    sectors = {row.label: row for row in presence["sectors"]}
    assert (sectors["Health"].region, sectors["Health"].in_network) == (2, 2)
    assert (sectors["Business"].region, sectors["Business"].in_network) == (1, 0)
    assert sectors["Business"].thin is True
    assert sectors["Health"].thin is False
    assert presence["sectors"][0].label == "Business"
    services = {row.label: row for row in presence["services"]}
    assert (services["Food"].region, services["Food"].respondents) == (1, 1)


def test_mixing_heatmap_shades_cells_by_their_share_of_the_largest(spring):
    heatmap = coverage.mixing_heatmap(newest_snapshot(spring.round))

    assert heatmap["sectors"] == [
        "Education",
        "Health",
        "Social & Community Service",
    ]
    values = [[cell["value"] for cell in row["cells"]] for row in heatmap["rows"]]
    assert values == [[1, 0, 0], [0, 1, 3], [0, 3, 1]]
    levels = [[cell["level"] for cell in row["cells"]] for row in heatmap["rows"]]
    assert levels[1][2] == 5 and levels[0][1] == 0 and 0 < levels[0][0] < 5


def test_spellings_of_one_partner_form_one_group():
    names = ["Gateway Food Pantry", "Gateway Food Pantr", "GFP", "Northside Clinic"]

    groups = sorted(sorted(group) for group in write_ins.group_spellings(names))

    assert groups == [[0, 1, 2], [3]]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Kinggsway Senior Services", "Kingsway Senior Servics", True),
        ("Elm Grove Fre Protection", "Elm Grove Fire Protection", True),
        ("Old Town Clinic", "old  town clinic.", True),
        ("Southside Health Center", "Northside Health Center", False),
        ("Riverbend Clinic", "Riverbank Clinic", False),
        ("Gateway Food", "Gateway Food Pantry", False),
        ("GFP", "Good Friends Place", True),
        ("Write-in 1", "Write-in 10", False),
    ],
)
def test_same_partner_allows_typos_and_acronyms_only(a, b, same):
    assert write_ins.same_partner(a, b) is same
    assert write_ins.same_partner(b, a) is same


def test_write_in_groups_suggest_the_existing_organization(spring):
    groups = write_ins.write_in_groups(spring.round)

    assert len(groups) == 1
    group = groups[0]
    assert group.label == "Gateway Food Pantry"
    assert group.respondents == 3
    assert sorted(group.keys) == ["gateway food pantr", "gateway food pantry", "gfp"]
    assert group.suggestions[0].organization_id == spring.gateway.pk


def test_coverage_page_shows_every_part(spring, staff_client):
    response = staff_client.get(reverse("network:round_coverage", args=["spring"]))

    text = response.content.decode()
    assert "62%" in text
    assert "Org D" in text and "Invite<span" in text
    assert "Gateway Food Pantr" in text and "GFP" in text
    assert "Ties between sectors" in text and "edn-heat-5" in text
    assert "2 organizations without any tie" in text


def test_invited_non_respondents_get_a_reminder_button(spring, staff_client):
    Invitation.objects.create(
        round=spring.round,
        organization=spring.organizations["D"],
        email="d@example.org",
        token_hash="x" * 64,
        sent_at=spring.round.opens_at,
    )

    response = staff_client.get(reverse("network:round_coverage", args=["spring"]))

    text = response.content.decode()
    assert reverse("surveys:staff_send_reminders", args=["spring"]) in text
    assert "Remind<span" in text


def _merge(client, keys, **fields):
    url = reverse("network:round_merge_write_ins", args=["spring"])
    return client.post(url, {"keys": keys, **fields})


KEYS = ["gateway food pantry", "gateway food pantr", "gfp"]


def test_merging_asks_for_confirmation_first(spring, staff_client):
    response = _merge(staff_client, KEYS, organization=spring.gateway.pk)

    assert response.status_code == 200
    assert "3 respondents will name Gateway Food Pantry" in response.content.decode()
    assert Nomination.objects.filter(partner__isnull=True).count() == 3


def test_merging_a_group_makes_its_nominations_name_the_organization(
    spring, staff_client
):
    state = RoundNetworkState.objects.get(round=spring.round)

    response = _merge(
        staff_client,
        KEYS,
        organization=spring.gateway.pk,
        add_to_roster="on",
        confirmed="on",
    )

    assert response.status_code == 302
    assert not Nomination.objects.filter(partner__isnull=True).exists()
    assert Nomination.objects.filter(partner=spring.gateway).count() == 3
    spring.gateway.refresh_from_db()
    assert {"Gateway Food Pantr", "GFP"} <= set(spring.gateway.aliases)
    assert RosterEntry.objects.filter(
        round=spring.round, organization=spring.gateway
    ).exists()
    assert (
        RoundNetworkState.objects.get(round=spring.round).generation
        == state.generation + 1
    )


def test_merging_drops_self_nominations_and_keeps_the_richer_duplicate(
    spring, staff_client
):
    a, b = spring.organizations["A"], spring.organizations["B"]
    response_a = a.responses.get()
    NominationFactory(
        response=response_a, partner=b, collaboration_level="collaboration"
    )

    _merge(staff_client, ["gateway food pantr"], organization=b.pk, confirmed="on")
    _merge(staff_client, ["gateway food pantry"], organization=b.pk, confirmed="on")

    assert not Nomination.objects.filter(respondent=b, partner=b).exists()
    kept = Nomination.objects.get(response=response_a, partner=b)
    assert kept.collaboration_level == "collaboration"
    assert Nomination.objects.filter(write_in_key="gateway food pantry").count() == 0


def test_merging_by_typed_name_needs_an_existing_name(spring, staff_client):
    response = _merge(
        staff_client, KEYS, organization_name="No Such Place", confirmed="on"
    )

    assert response.status_code == 302
    assert Nomination.objects.filter(partner__isnull=True).count() == 3
    follow = staff_client.get(response["Location"])
    assert "No organization is called “No Such Place”" in follow.content.decode()


def test_merging_write_ins_already_merged_says_so(spring, staff_client):
    response = _merge(staff_client, ["nothing here"], organization=spring.gateway.pk)

    follow = staff_client.get(response["Location"])
    assert "no longer in the round" in follow.content.decode()


def test_creating_an_organization_from_a_group_adds_it_to_the_roster(
    spring, staff_client
):
    education = Sector.objects.get(name="Education")
    url = reverse("network:round_create_from_write_ins", args=["spring"])
    fields = {"keys": KEYS, "name": "Gateway Pantry Network", "sector": education.pk}

    preview = staff_client.post(url, fields)
    assert "Add Gateway Pantry Network as a new organization?" in (
        preview.content.decode()
    )
    assert not Organization.objects.filter(name="Gateway Pantry Network").exists()

    staff_client.post(url, {**fields, "confirmed": "on"})

    created = Organization.objects.get(name="Gateway Pantry Network")
    assert created.sector == education
    assert RosterEntry.objects.filter(round=spring.round, organization=created).exists()
    assert Nomination.objects.filter(partner=created).count() == 3


def test_creating_refuses_a_name_already_taken(spring, staff_client):
    OrganizationFactory(name="Taken Name")
    url = reverse("network:round_create_from_write_ins", args=["spring"])

    response = staff_client.post(
        url, {"keys": KEYS, "name": "taken  name", "confirmed": "on"}
    )

    follow = staff_client.get(response["Location"])
    assert "already exists" in follow.content.decode()
    assert Nomination.objects.filter(partner__isnull=True).count() == 3


@pytest.mark.parametrize("persona", ["member_client", "outsider_client"])
def test_members_cannot_merge_or_create(spring, persona, request):
    client = request.getfixturevalue(persona)
    merge = reverse("network:round_merge_write_ins", args=["spring"])
    create = reverse("network:round_create_from_write_ins", args=["spring"])

    fields = {"keys": KEYS, "organization": spring.gateway.pk, "confirmed": "on"}
    assert client.post(merge, fields).status_code == 403
    assert client.post(create, {**fields, "name": "New"}).status_code == 403
    assert Nomination.objects.filter(partner__isnull=True).count() == 3


def test_anonymous_visitors_cannot_merge(spring, anonymous_client):
    merge = reverse("network:round_merge_write_ins", args=["spring"])

    response = anonymous_client.post(
        merge, {"keys": KEYS, "organization": spring.gateway.pk, "confirmed": "on"}
    )

    assert response.status_code == 302
    assert Nomination.objects.filter(partner__isnull=True).count() == 3


def test_invite_from_coverage_confirms_then_comes_back(
    spring, staff_client, mailoutbox
):
    d = spring.organizations["D"]
    MembershipFactory(organization=d, user__email="contact@d.example")
    coverage_url = reverse("network:round_coverage", args=["spring"]) + "#missing"
    fields = {"scope": "chosen", "organizations": d.pk, "next": coverage_url}
    url = reverse("surveys:staff_send_invitations", args=["spring"])

    confirm = staff_client.post(url, fields)
    sent = staff_client.post(url, {**fields, "confirmed": "on"})

    assert confirm.status_code == 200
    assert coverage_url in confirm.content.decode()
    assert sent["Location"] == coverage_url
    assert Invitation.objects.filter(round=spring.round, organization=d).exists()
    assert [m.to for m in mailoutbox] == [["contact@d.example"]]
