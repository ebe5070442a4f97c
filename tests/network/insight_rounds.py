"""Rounds with a built snapshot for the staff insight pages' tests."""

from dataclasses import dataclass

from django.utils import timezone

from network.services import rebuild_round
from organizations.models import Organization, Sector, Service, normalize_name
from surveys.models import Nomination, Response, RosterEntry
from tests.factories import OrganizationFactory, RosterEntryFactory, RoundFactory
from tests.network.builders import submit


@dataclass
class SmallRound:
    """A hand-built round whose coverage figures are known by heart."""

    round: object
    organizations: dict
    gateway: object


def small_round():
    """Build the round and its snapshot.

    Roster A-H. A, B (Health), C (Housing sector "Social & Community
    Service"), F, G (Education) answered; D and E (Social) and H (Education)
    did not. A, B and C all name D; A and C name each other; B names A. G
    and H form a fragment; E and F have no tie. A, B and C write in the
    Gateway Food Pantry as "Gateway Food Pantry", "Gateway Food Pantr" and
    "GFP"; an organization of that name exists off the roster.
    """
    health = Sector.objects.get(name="Health")
    social = Sector.objects.get(name="Social & Community Service")
    education = Sector.objects.get(name="Education")
    food = Service.objects.get(name="Food")
    survey_round = RoundFactory(name="Spring", slug="spring")
    sectors = {
        "A": health,
        "B": health,
        "C": social,
        "D": social,
        "E": social,
        "F": education,
        "G": education,
        "H": education,
    }
    organizations = {}
    for letter, sector in sectors.items():
        organization = OrganizationFactory(
            name=f"Org {letter}", sector=sector, service_area="North"
        )
        RosterEntryFactory(round=survey_round, organization=organization)
        organizations[letter] = organization
    organizations["A"].services.add(food)
    gateway = OrganizationFactory(name="Gateway Food Pantry", sector=social)

    o = organizations
    submit(survey_round, o["A"], [o["C"], o["D"]], ["Gateway Food Pantry"])
    submit(survey_round, o["B"], [o["A"], o["D"]], ["Gateway Food Pantr"])
    submit(survey_round, o["C"], [o["A"], o["D"]], ["GFP"])
    submit(survey_round, o["F"])
    submit(survey_round, o["G"], [o["H"]])
    rebuild_round(survey_round.pk, force=True)
    return SmallRound(survey_round, organizations, gateway)


def large_round(size, name="Large"):
    """Build a round of `size` organizations in a ring with chords, answered
    by every other organization, and its snapshot."""
    survey_round = RoundFactory(name=name, slug=name.lower())
    sectors = list(Sector.objects.all())
    Organization.objects.bulk_create(
        [
            Organization(
                name=f"{name} {i}",
                name_key=normalize_name(f"{name} {i}"),
                sector=sectors[i % len(sectors)],
            )
            for i in range(size)
        ]
    )
    ids = list(
        Organization.objects.filter(name__startswith=f"{name} ")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    RosterEntry.objects.bulk_create(
        [RosterEntry(round=survey_round, organization_id=pk) for pk in ids]
    )
    now = timezone.now()
    Response.objects.bulk_create(
        [
            Response(
                round=survey_round,
                organization_id=pk,
                status=Response.Status.SUBMITTED,
                submitted_at=now,
            )
            for pk in ids[::2]
        ]
    )
    responses = dict(
        Response.objects.filter(round=survey_round).values_list("organization_id", "pk")
    )
    nominations = []
    for i, pk in enumerate(ids):
        if pk not in responses:
            continue
        for step in (1, 7):
            partner = ids[(i + step) % len(ids)]
            nominations.append(
                Nomination(
                    response_id=responses[pk], respondent_id=pk, partner_id=partner
                )
            )
    Nomination.objects.bulk_create(nominations)
    rebuild_round(survey_round.pk, force=True)
    return survey_round
