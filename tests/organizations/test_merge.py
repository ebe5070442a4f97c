import logging

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from network.models import NetworkSnapshot, OrganizationMetrics
from organizations import merging
from organizations.merging import merge_organizations
from organizations.models import Membership, Organization, Service
from surveys.models import Nomination, Practice, Response, RosterEntry
from tests.factories import (
    MembershipFactory,
    NominationFactory,
    OrganizationFactory,
    PracticeFactory,
    ResponseFactory,
    RosterEntryFactory,
    RoundFactory,
    UserFactory,
)

CHANGELIST = reverse("admin:organizations_organization_changelist")


@pytest.fixture
def keep(db):
    return OrganizationFactory(name="Northside Food Bank", short_name="NFB")


@pytest.fixture
def duplicate(db):
    return OrganizationFactory(
        name="North Side Foodbank", short_name="NSF", aliases=["Northside Pantry"]
    )


@pytest.fixture
def third(db):
    return OrganizationFactory(name="Eastside Clinic")


@pytest.fixture
def round(db):
    return RoundFactory()


def rich(**extra):
    """Return tie attributes of a nomination with several answers given."""
    return {
        "collaboration_level": "collaboration",
        "sends_referrals": True,
        "data_sharing": "record",
        **extra,
    }


def test_merged_names_become_aliases_and_duplicate_is_deleted(keep, duplicate):
    merge_organizations(keep, [duplicate])

    keep.refresh_from_db()
    assert keep.aliases == ["North Side Foodbank", "NSF", "Northside Pantry"]
    assert keep.short_name == "NFB"
    assert not Organization.objects.filter(pk=duplicate.pk).exists()


def test_blank_details_are_filled_from_duplicates(keep, duplicate):
    duplicate.website = "https://foodbank.example"
    duplicate.zip_code = "60601"
    duplicate.save()
    duplicate.services.add(Service.objects.get(slug="food"))
    keep.services.add(Service.objects.get(slug="legal-aid"))

    merge_organizations(keep, [duplicate])

    keep.refresh_from_db()
    assert keep.website == "https://foodbank.example"
    assert keep.zip_code == "60601"
    assert {s.slug for s in keep.services.all()} == {"food", "legal-aid"}


def test_merging_nothing_into_itself_is_refused(keep):
    with pytest.raises(ValueError):
        merge_organizations(keep, [keep])

    assert Organization.objects.filter(pk=keep.pk).exists()


def test_memberships_move_unless_the_person_already_belongs(keep, duplicate):
    shared = UserFactory(email="shared@example.org")
    MembershipFactory(user=shared, organization=keep, role="member")
    MembershipFactory(user=shared, organization=duplicate, role="contact")
    only_duplicate = MembershipFactory(organization=duplicate, role="member")

    result = merge_organizations(keep, [duplicate])

    assert result.memberships == 1
    assert set(keep.memberships.values_list("user__email", "role")) == {
        ("shared@example.org", "contact"),
        (only_duplicate.user.email, "member"),
    }
    assert Membership.objects.count() == 2


def test_roster_entries_move_unless_the_round_lists_the_kept_one(
    keep, duplicate, round
):
    later = RoundFactory()
    RosterEntryFactory(round=round, organization=keep)
    RosterEntryFactory(round=round, organization=duplicate)
    RosterEntryFactory(round=later, organization=duplicate)

    result = merge_organizations(keep, [duplicate])

    assert result.roster_entries == 1
    assert set(keep.rounds.all()) == {round, later}
    assert RosterEntry.objects.count() == 2


def test_response_moves_when_the_kept_one_did_not_answer(keep, duplicate, third, round):
    response = ResponseFactory(round=round, organization=duplicate)
    NominationFactory(response=response, partner=third)
    NominationFactory(response=response, partner=keep)

    result = merge_organizations(keep, [duplicate])

    response.refresh_from_db()
    assert response.organization == keep
    assert list(response.nominations.values_list("partner", "respondent")) == [
        (third.pk, keep.pk)
    ]
    assert result.responses_moved == 1
    assert result.nominations_dropped == 1


def test_kept_response_takes_the_duplicates_nominations_and_practices(
    keep, duplicate, third, round
):
    other = OrganizationFactory(name="Westside Legal Aid")
    kept = ResponseFactory(round=round, organization=keep, visibility="named")
    folded = ResponseFactory(round=round, organization=duplicate, visibility="staff")
    NominationFactory(response=kept, partner=third)
    NominationFactory(response=folded, partner=other)
    PracticeFactory(response=kept, text="We publish our data dictionary.")
    PracticeFactory(response=folded, text="We  publish our data dictionary. ")
    PracticeFactory(response=folded, stage="governance", text="A resident board.")

    result = merge_organizations(keep, [duplicate])

    assert not Response.objects.filter(pk=folded.pk).exists()
    kept.refresh_from_db()
    assert set(kept.nominations.values_list("partner", flat=True)) == {
        third.pk,
        other.pk,
    }
    assert set(kept.nominations.values_list("respondent", flat=True)) == {keep.pk}
    assert sorted(kept.practices.values_list("stage", flat=True)) == [
        "governance",
        "planning",
    ]
    assert Practice.objects.count() == 2
    assert kept.visibility == "staff"
    assert kept.version == 2
    assert result.responses_folded == 1
    assert result.practices == 1


def test_richer_nomination_of_the_duplicate_replaces_the_kept_ones(
    keep, duplicate, third, round
):
    kept = ResponseFactory(round=round, organization=keep)
    folded = ResponseFactory(round=round, organization=duplicate)
    NominationFactory(response=kept, partner=third)
    richer = NominationFactory(response=folded, partner=third, **rich())

    merge_organizations(keep, [duplicate])

    assert list(kept.nominations.values_list("pk", flat=True)) == [richer.pk]
    assert Nomination.objects.get().collaboration_level == "collaboration"


def test_equal_nominations_keep_the_kept_responses_one(keep, duplicate, third, round):
    kept = ResponseFactory(round=round, organization=keep)
    folded = ResponseFactory(round=round, organization=duplicate)
    original = NominationFactory(response=kept, partner=third, trust=3)
    NominationFactory(response=folded, partner=third, value=2)

    merge_organizations(keep, [duplicate])

    assert list(Nomination.objects.values_list("pk", flat=True)) == [original.pk]


def test_folded_nomination_of_the_kept_one_is_dropped_as_self(keep, duplicate, round):
    ResponseFactory(round=round, organization=keep)
    folded = ResponseFactory(round=round, organization=duplicate)
    NominationFactory(response=folded, partner=keep, **rich())

    result = merge_organizations(keep, [duplicate])

    assert Nomination.objects.count() == 0
    assert result.nominations_dropped == 1


def test_nominations_naming_the_duplicate_name_the_kept_one(
    keep, duplicate, third, round
):
    response = ResponseFactory(round=round, organization=third)
    nomination = NominationFactory(response=response, partner=duplicate)

    result = merge_organizations(keep, [duplicate])

    nomination.refresh_from_db()
    assert nomination.partner == keep
    assert result.nominations == 1


@pytest.mark.parametrize(("kept_richer", "expected"), [(True, 0), (False, 1)])
def test_second_nomination_of_the_kept_one_keeps_the_richer(
    keep, duplicate, third, round, kept_richer, expected
):
    response = ResponseFactory(round=round, organization=third)
    of_kept = NominationFactory(
        response=response, partner=keep, **(rich() if kept_richer else {})
    )
    of_duplicate = NominationFactory(
        response=response, partner=duplicate, **({} if kept_richer else rich())
    )

    merge_organizations(keep, [duplicate])

    survivor = [of_kept, of_duplicate][expected]
    assert list(response.nominations.values_list("pk", "partner")) == [
        (survivor.pk, keep.pk)
    ]


def test_kept_ones_nomination_of_the_duplicate_is_dropped(
    keep, duplicate, third, round
):
    response = ResponseFactory(round=round, organization=keep)
    NominationFactory(response=response, partner=duplicate)
    NominationFactory(response=response, partner=third)

    result = merge_organizations(keep, [duplicate])

    assert list(response.nominations.values_list("partner", flat=True)) == [third.pk]
    assert result.nominations_dropped == 1


@pytest.mark.parametrize(
    "written",
    ["northside food bank", "North  Side Foodbank", "nsf", "NORTHSIDE PANTRY"],
)
def test_write_ins_of_any_merged_name_become_the_kept_one(
    keep, duplicate, third, round, written
):
    response = ResponseFactory(round=round, organization=third)
    write_in = NominationFactory(response=response, partner=None, write_in_name=written)

    result = merge_organizations(keep, [duplicate])

    write_in.refresh_from_db()
    assert write_in.partner == keep
    assert write_in.write_in_name == ""
    assert result.write_ins == 1


def test_write_in_beside_a_nomination_of_the_kept_one_keeps_the_richer(
    keep, duplicate, third, round
):
    response = ResponseFactory(round=round, organization=third)
    NominationFactory(response=response, partner=keep)
    write_in = NominationFactory(
        response=response, partner=None, write_in_name="NSF", **rich()
    )

    merge_organizations(keep, [duplicate])

    assert list(response.nominations.values_list("pk", "partner")) == [
        (write_in.pk, keep.pk)
    ]


def test_write_in_of_its_own_name_is_dropped(keep, duplicate, round):
    response = ResponseFactory(round=round, organization=keep)
    NominationFactory(response=response, partner=None, write_in_name="NSF")

    merge_organizations(keep, [duplicate])

    assert Nomination.objects.count() == 0


def test_unrelated_write_ins_stay(keep, duplicate, third, round):
    response = ResponseFactory(round=round, organization=third)
    NominationFactory(response=response, partner=None, write_in_name="City Library")

    merge_organizations(keep, [duplicate])

    assert Nomination.objects.get().write_in_key == "city library"


def test_metrics_of_the_duplicate_are_deleted(keep, duplicate, round):
    snapshot = NetworkSnapshot.objects.create(round=round, version=1)
    OrganizationMetrics.objects.create(snapshot=snapshot, organization=keep)
    OrganizationMetrics.objects.create(snapshot=snapshot, organization=duplicate)

    merge_organizations(keep, [duplicate])

    assert list(OrganizationMetrics.objects.values_list("organization", flat=True)) == [
        keep.pk
    ]


def test_three_way_merge_folds_every_duplicate(keep, duplicate, third, round):
    ResponseFactory(round=round, organization=duplicate)
    ResponseFactory(round=round, organization=third)

    merge_organizations(keep, [duplicate, third])

    assert list(Response.objects.values_list("organization", flat=True)) == [keep.pk]
    assert Organization.objects.count() == 1


def test_merge_is_logged(keep, duplicate, caplog):
    caplog.set_level(logging.INFO, logger="organizations.merging")

    merge_organizations(keep, [duplicate])

    assert f"merged organizations [{duplicate.pk}] into {keep.pk}" in caplog.text


def test_failed_merge_changes_nothing(keep, duplicate, monkeypatch):
    MembershipFactory(organization=duplicate)

    def fail(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(merging, "_absorb_details", fail)
    with pytest.raises(RuntimeError):
        merge_organizations(keep, [duplicate])

    assert Membership.objects.get().organization == duplicate
    assert Organization.objects.count() == 2


def action_post(ids, **extra):
    return {"action": "merge_selected", "_selected_action": ids, **extra}


def test_staff_see_the_merge_confirmation(staff_client, keep, duplicate):
    page = staff_client.post(CHANGELIST, action_post([keep.pk, duplicate.pk]))

    assert page.status_code == 200
    assert "admin/organizations/organization/merge_confirmation.html" in [
        t.name for t in page.templates
    ]
    assert "North Side Foodbank" in page.content.decode()
    assert Organization.objects.count() == 2


def test_staff_merge_after_choosing_the_one_to_keep(staff_client, keep, duplicate):
    done = staff_client.post(
        CHANGELIST, action_post([keep.pk, duplicate.pk], merge="yes", keep=keep.pk)
    )

    assert done.status_code == 302
    assert list(Organization.objects.values_list("pk", flat=True)) == [keep.pk]


def test_keeping_an_unselected_organization_is_refused(
    staff_client, keep, duplicate, third
):
    page = staff_client.post(
        CHANGELIST, action_post([keep.pk, duplicate.pk], merge="yes", keep=third.pk)
    )

    assert page.status_code == 200
    assert page.context["form"].errors
    assert Organization.objects.count() == 3


def test_merging_one_organization_is_refused(staff_client, keep):
    done = staff_client.post(CHANGELIST, action_post([keep.pk], merge="yes"))

    assert done.status_code == 302
    assert Organization.objects.filter(pk=keep.pk).exists()


@pytest.mark.parametrize(
    "persona", ["anonymous_client", "member_client", "outsider_client"]
)
def test_non_staff_cannot_merge(persona, request, keep, duplicate):
    client = request.getfixturevalue(persona)
    before = Organization.objects.count()

    done = client.post(
        CHANGELIST, action_post([keep.pk, duplicate.pk], merge="yes", keep=keep.pk)
    )

    assert done.status_code == 302
    assert done.url.startswith(reverse("admin:login"))
    assert Organization.objects.count() == before


def test_staff_without_delete_permission_cannot_merge(keep, duplicate):
    user = UserFactory(email="editor@edn.example", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_organization", "change_organization"]
        )
    )
    client = Client()
    client.force_login(user)

    client.post(
        CHANGELIST, action_post([keep.pk, duplicate.pk], merge="yes", keep=keep.pk)
    )

    assert Organization.objects.count() == 2


def test_staff_with_change_and_delete_permission_can_merge(keep, duplicate):
    user = UserFactory(email="curator@edn.example", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["change_organization", "delete_organization"]
        )
    )
    client = Client()
    client.force_login(user)

    client.post(
        CHANGELIST, action_post([keep.pk, duplicate.pk], merge="yes", keep=keep.pk)
    )

    assert list(Organization.objects.values_list("pk", flat=True)) == [keep.pk]


def test_other_relations_move_and_refused_rows_are_dropped(keep, duplicate):
    # Membership stands in for a model the rules do not name: its unique
    # person-and-organization pair makes the database refuse one move.
    shared = UserFactory(email="shared@example.org")
    MembershipFactory(user=shared, organization=keep)
    MembershipFactory(user=shared, organization=duplicate)
    alone = MembershipFactory(organization=duplicate)

    merging._move_other_relations(keep, [duplicate.pk], handled=set())

    assert set(keep.memberships.values_list("user", flat=True)) == {
        shared.pk,
        alone.user.pk,
    }
    assert not duplicate.memberships.exists()
