"""A small round with one organization for each visibility choice.

- Alpha (named) names Bravo and Delta; Bravo (anonymous) names Alpha and
  Delta; Charlie (staff only) names Alpha and Foxtrot; Delta and Foxtrot
  did not answer; Echo answered, named, and names Alpha.
- Each respondent shared a practice whose text contains its secret word.
"""

from dataclasses import dataclass

from django.utils import timezone

from network.services import rebuild_round
from surveys.models import Nomination, Practice, Response
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    RosterEntryFactory,
    RoundFactory,
)

CHOICES = {
    "alpha": "named",
    "bravo": "anonymous",
    "charlie": "staff",
    "echo": "named",
}
NAMES = {
    "alpha": "Alpha Named Clinic",
    "bravo": "Bravo Hidden Shelter",
    "charlie": "Charlie Staffonly Pantry",
    "delta": "Delta Silent School",
    "echo": "Echo Viewer Council",
    "foxtrot": "Foxtrot Only Charlie Knows",
}
NOMINATES = {
    "alpha": ["bravo", "delta"],
    "bravo": ["alpha", "delta"],
    "charlie": ["alpha", "foxtrot"],
    "echo": ["alpha"],
}


def secret(key):
    return f"secret-practice-of-{key}"


@dataclass
class World:
    round: object
    organizations: dict
    members: dict


def build_world():
    """Create the round, its answers, a member of each, and its snapshot."""
    round = RoundFactory(name="2031", slug="2031")
    organizations = {key: OrganizationFactory(name=name) for key, name in NAMES.items()}
    for organization in organizations.values():
        RosterEntryFactory(round=round, organization=organization)
    for key, visibility in CHOICES.items():
        response = Response.objects.create(
            round=round,
            organization=organizations[key],
            visibility=visibility,
            status=Response.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for partner in NOMINATES[key]:
            Nomination.objects.create(
                response=response,
                partner=organizations[partner],
                collaboration_level="coordination",
            )
        Practice.objects.create(response=response, stage="planning", text=secret(key))
    members = {
        key: MembershipFactory(
            organization=organization, user__email=f"member@{key}.example"
        ).user
        for key, organization in organizations.items()
    }
    rebuild_round(round.pk, force=True)
    return World(round, organizations, members)


def read_map(response):
    """Return a map payload's organizations and ties as dicts.

    Ties name their ends by organization id, as the nodes do.
    """
    payload = response.json()
    nodes = [
        dict(zip(payload["node_columns"], row, strict=True)) for row in payload["nodes"]
    ]
    ties = []
    for row in payload["ties"]:
        tie = dict(zip(payload["tie_columns"], row, strict=True))
        tie["source"] = nodes[tie["source"]]["id"]
        tie["target"] = nodes[tie["target"]]["id"]
        ties.append(tie)
    return nodes, ties
