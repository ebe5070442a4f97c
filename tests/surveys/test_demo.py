"""The demo region: its size and shape, its logins, and the guards around it."""

import difflib
import io
from collections import Counter
from datetime import timedelta
from urllib.parse import urlsplit

import networkx as nx
import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.test import RequestFactory, override_settings
from django.utils import timezone

from organizations.models import Organization, Sector, Service, User
from surveys.demo import DEMO_PASSWORD, STAFF_EMAIL, build_demo_network
from surveys.demo.writing import clear_demo
from surveys.invitation_mail import link_for
from surveys.models import (
    Aspiration,
    CollaborationLevel,
    DataAgreement,
    Invitation,
    LifeCycleStage,
    Nomination,
    Practice,
    Response,
    Round,
    Visibility,
)
from tests.factories import UserFactory


# Hashing the demo password at full strength costs seconds per sign-in.
def fast_hashing():
    return override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the demo once for this module and roll it back afterwards."""
    output = io.StringIO()
    with fast_hashing(), django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=output)
        try:
            yield output.getvalue()
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    with fast_hashing():
        yield loaded


def load_demo(*args):
    output = io.StringIO()
    call_command("load_demo", *args, stdout=output)
    return output.getvalue()


def open_round():
    return Round.objects.get(status=Round.Status.OPEN)


def tie_pairs(round_):
    """Return (respondent, partner) ids of the round's submitted nominations."""
    return set(
        Nomination.objects.filter(
            response__round=round_,
            response__status=Response.Status.SUBMITTED,
            partner__isnull=False,
        ).values_list("respondent_id", "partner_id")
    )


def printed_logins(output):
    return [line.split()[0] for line in output.splitlines() if line.startswith("  ")]


def test_demo_has_about_150_organizations_using_every_sector_and_service(demo):
    assert 140 <= Organization.objects.count() <= 160
    assert not Sector.objects.filter(organizations__isnull=True).exists()
    assert not Service.objects.filter(organizations__isnull=True).exists()
    assert Organization.objects.exclude(aliases=[]).count() >= 10
    assert not Organization.objects.filter(latitude__isnull=True).exists()
    assert not Organization.objects.exclude(website__contains=".example.org").exists()


def test_last_year_is_closed_and_this_year_is_open_with_a_larger_roster(demo):
    last_year = Round.objects.get(name="2025")
    this_year = Round.objects.get(name="2026")

    assert last_year.status == Round.Status.CLOSED
    assert this_year.status == Round.Status.OPEN
    assert last_year.closes_at < timezone.now() < this_year.closes_at
    assert this_year.closes_at < timezone.now() + timedelta(weeks=6)
    assert Organization.objects.count() * 0.8 < last_year.roster.count()
    assert last_year.roster.count() < this_year.roster.count()


def test_about_seventy_percent_of_each_roster_responds(demo):
    for round_ in Round.objects.all():
        submitted = round_.responses.filter(status=Response.Status.SUBMITTED)

        assert 0.6 <= submitted.count() / round_.roster.count() <= 0.8
        assert round_.responses.filter(status=Response.Status.DRAFT).exists()


def test_respondents_name_six_to_ten_partners_on_average(demo):
    respondents = open_round().responses.filter(status=Response.Status.SUBMITTED)
    nominations = Nomination.objects.filter(response__in=respondents)

    assert 6 <= nominations.count() / respondents.count() <= 10


def test_open_round_has_a_small_faith_based_fragment_apart_from_the_rest(demo):
    graph = nx.Graph(tie_pairs(open_round()))
    components = sorted(nx.connected_components(graph), key=len)
    sectors = dict(Organization.objects.values_list("pk", "sector__name"))

    assert len(components) >= 2
    assert len(components[-1]) > 100
    fragment = components[0]
    assert 4 <= len(fragment) <= 6
    assert {sectors[pk] for pk in fragment} == {"Faith-based"}


def test_some_roster_organizations_are_isolates_nobody_names(demo):
    round_ = open_round()
    tied = {pk for pair in tie_pairs(round_) for pk in pair}
    responded = set(round_.responses.values_list("organization_id", flat=True))
    roster = set(round_.roster.values_list("pk", flat=True))

    assert len(roster - tied - responded) >= 3


def test_brokers_are_named_across_many_sectors(demo):
    sectors = dict(Organization.objects.values_list("pk", "sector_id"))
    named_by = {}
    for respondent, partner in tie_pairs(open_round()):
        named_by.setdefault(partner, set()).add(sectors[respondent])

    assert sum(len(s) >= 6 for s in named_by.values()) >= 3


def test_write_ins_are_typos_of_known_organizations_and_new_names(demo):
    write_ins = list(
        Nomination.objects.filter(
            response__round=open_round(), partner__isnull=True
        ).values_list("write_in_name", "write_in_key")
    )
    names = list(Organization.objects.values_list("name", flat=True))
    roster_keys = set(open_round().roster.values_list("name_key", flat=True))

    def closest(name):
        return max(difflib.SequenceMatcher(None, name, n).ratio() for n in names)

    assert 8 <= len(write_ins) <= 12
    assert not {key for _name, key in write_ins} & roster_keys
    assert any(0.85 < closest(name) < 1 for name, _key in write_ins)
    assert any(closest(name) < 0.85 for name, _key in write_ins)


def test_ties_are_a_mix_of_confirmed_and_one_sided(demo):
    pairs = tie_pairs(open_round())
    confirmed = {(a, b) for a, b in pairs if (b, a) in pairs}

    assert 0.25 < len(confirmed) / len(pairs) < 0.75


def test_collaboration_is_rarer_than_coordination_and_communication(demo):
    nominations = Nomination.objects.filter(partner__isnull=False)
    levels = Counter(nominations.values_list("collaboration_level", flat=True))
    collaboration = nominations.filter(
        collaboration_level=CollaborationLevel.COLLABORATION
    )
    with_agreement = collaboration.exclude(data_agreement=DataAgreement.NONE)

    assert (
        levels[CollaborationLevel.COMMUNICATION]
        > levels[CollaborationLevel.COORDINATION]
        > levels[CollaborationLevel.COLLABORATION]
    )
    assert with_agreement.count() > collaboration.count() / 2
    assert nominations.filter(sends_referrals=True).exists()
    assert nominations.filter(trust__isnull=False).exists()
    assert nominations.filter(wants_to_deepen=True).exists()


def test_most_of_last_years_ties_persist_and_some_change(demo):
    before = tie_pairs(Round.objects.get(name="2025"))
    now = tie_pairs(open_round())
    answered_twice = set(
        Response.objects.filter(round__name="2025", status="submitted")
        .filter(organization__responses__round=open_round())
        .filter(organization__responses__status="submitted")
        .values_list("organization_id", flat=True)
    )
    kept = {(a, b) for a, b in before if a in answered_twice}
    reported_again = {(a, b) for a, b in now if a in answered_twice}

    assert len(kept & reported_again) > 0.6 * len(kept)
    assert kept - reported_again
    assert reported_again - kept


def test_nominations_carry_their_respondent_and_write_in_key(demo):
    assert not Nomination.objects.exclude(
        respondent_id=F("response__organization_id")
    ).exists()
    assert Nomination.objects.filter(partner__isnull=True, write_in_key="").count() == 0


def test_practices_cover_every_stage_with_mixed_consent(demo):
    stages = set(Practice.objects.values_list("stage", flat=True))
    consents = set(Practice.objects.values_list("consent", flat=True))
    texts = set(Practice.objects.values_list("text", flat=True))

    assert stages == set(LifeCycleStage.values)
    assert consents == set(Practice.Consent.values)
    assert len(texts) >= 25


def test_visibility_choices_are_mostly_named_with_some_of_each(demo):
    choices = Counter(
        open_round().responses.values_list("visibility", flat=True)
    ).most_common()

    assert choices[0][0] == Visibility.NAMED
    assert {choice for choice, _count in choices} == set(Visibility.values)


def test_printed_logins_can_sign_in_and_other_contacts_cannot(demo):
    logins = printed_logins(demo)
    contacts = User.objects.filter(memberships__isnull=False).exclude(email__in=logins)

    assert STAFF_EMAIL in logins
    assert 4 <= len(logins) <= 5
    # The sign-in lockout needs the request it counts attempts for.
    request = RequestFactory().post("/accounts/login/")
    for email in logins:
        assert authenticate(request, email=email, password=DEMO_PASSWORD)
    staff = authenticate(request, email=STAFF_EMAIL, password=DEMO_PASSWORD)
    assert staff.is_superuser
    assert contacts.count() > 100
    assert not any(user.has_usable_password() for user in contacts)


def test_logins_cover_each_visibility_choice(demo):
    visibilities = set(
        open_round()
        .responses.filter(
            status=Response.Status.SUBMITTED,
            organization__memberships__user__email__in=printed_logins(demo),
        )
        .values_list("visibility", flat=True)
    )

    assert visibilities == set(Visibility.values)


def test_logins_that_share_their_answers_have_mutual_matches(demo):
    wishes = set(
        Aspiration.objects.filter(response__round=open_round()).values_list(
            "respondent_id", "organization_id"
        )
    )
    logins = set(
        Organization.objects.filter(
            memberships__user__email__in=printed_logins(demo)
        ).values_list("pk", flat=True)
    )
    mutual = {frozenset(w) for w in wishes if tuple(reversed(w)) in wishes}
    partners = tie_pairs(open_round())

    assert 2 <= sum(1 for pair in mutual if pair & logins) <= 3
    assert len(wishes) > len(mutual) * 2
    assert not {frozenset(w) for w in wishes} & {frozenset(p) for p in partners}


def test_same_seed_invents_the_same_region_and_another_seed_does_not():
    now = timezone.now()

    assert build_demo_network(now, seed=7) == build_demo_network(now, seed=7)
    assert build_demo_network(now, seed=7) != build_demo_network(now, seed=8)


def test_second_load_is_refused_and_changes_nothing(demo):
    nominations = Nomination.objects.count()

    with pytest.raises(CommandError, match="--reset"):
        load_demo()

    assert Round.objects.count() == 2
    assert Nomination.objects.count() == nominations


def test_load_is_refused_over_a_round_without_organizations(demo):
    clear_demo()
    Round.objects.create(name="Pilot", slug="pilot")

    with pytest.raises(CommandError):
        load_demo()

    assert Organization.objects.count() == 0


def test_if_empty_leaves_a_loaded_database_alone(demo):
    nominations = Nomination.objects.count()

    output = load_demo("--if-empty")

    assert output.startswith("Demo already loaded")
    assert STAFF_EMAIL in printed_logins(output)
    assert Nomination.objects.count() == nominations


def test_if_empty_loads_into_an_empty_database(demo):
    clear_demo()

    output = load_demo("--if-empty")

    assert "Loaded the demo region" in output
    assert Round.objects.count() == 2


def test_reset_reloads_the_same_region_and_keeps_other_people(demo):
    names = dict(Organization.objects.values_list("pk", "name"))
    before = {(names[a], names[b]) for a, b in tie_pairs(open_round())}
    users = User.objects.count()
    UserFactory(email="analyst@example.org")

    output = load_demo("--reset")

    names = dict(Organization.objects.values_list("pk", "name"))
    after = {(names[a], names[b]) for a, b in tie_pairs(open_round())}
    assert "150 organizations" in output
    assert after == before
    assert User.objects.count() == users + 1
    assert User.objects.filter(email="analyst@example.org").exists()


def test_roster_organizations_with_a_contact_were_invited_and_reminded(demo, client):
    round_ = open_round()
    invitations = Invitation.objects.filter(round=round_)
    submitted = set(
        round_.responses.filter(status="submitted").values_list(
            "organization_id", flat=True
        )
    )

    assert invitations.count() >= 0.8 * round_.roster_entries.count()
    assert all(i.opened_at for i in invitations if i.organization_id in submitted)
    assert (
        invitations.exclude(organization_id__in=submitted)
        .filter(opened_at__isnull=True)
        .exists()
    )
    assert not invitations.filter(
        organization_id__in=submitted, reminders_sent__gt=0
    ).exists()
    assert invitations.filter(reminders_sent__gt=0).exists()
    assert not invitations.filter(reminders_sent__gt=round_.reminder_limit).exists()

    link = link_for(invitations.exclude(organization_id__in=submitted).first())
    assert client.get(urlsplit(link).path).status_code == 200
