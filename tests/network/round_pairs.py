"""Two rounds of the same organizations, for comparison and export tests."""

from dataclasses import dataclass

from django.utils import timezone

from network.services import rebuild_round
from surveys.models import Round
from tests.factories import OrganizationFactory, RosterEntryFactory, RoundFactory
from tests.network.builders import submit

DAY = timezone.timedelta(days=1)


@dataclass
class RoundPair:
    earlier: Round
    later: Round
    organizations: dict


def make_round(name, slug, opened_days_ago, organizations):
    """Return a round that opened that many days ago, with them on its roster."""
    now = timezone.now()
    round = RoundFactory(
        name=name,
        slug=slug,
        opens_at=now - opened_days_ago * DAY,
        closes_at=now - (opened_days_ago - 60) * DAY
        if opened_days_ago > 60
        else now + 30 * DAY,
        status=Round.Status.CLOSED if opened_days_ago > 60 else Round.Status.OPEN,
    )
    for organization in organizations:
        RosterEntryFactory(round=round, organization=organization)
    return round


def round_pair(build=True):
    """Return rounds 2025 and 2026 of four organizations, with snapshots.

    Between them the tie Alder–Birch grows (coordination, confirmed),
    Alder–Dogwood is new, Cedar–Dogwood is lost and Birch–Cedar stays.
    """
    names = ["Alder Clinic", "Birch Housing", "Cedar School", "Dogwood Pantry"]
    organizations = {name.split()[0]: OrganizationFactory(name=name) for name in names}
    a, b, c, d = organizations.values()
    earlier = make_round("Compare 2025", "compare-2025", 400, organizations.values())
    later = make_round("Compare 2026", "compare-2026", 7, organizations.values())

    submit(earlier, a, [b])
    submit(earlier, b, [c], collaboration_level="coordination")
    submit(earlier, c, [b], collaboration_level="coordination")
    submit(earlier, c, [d])

    submit(later, a, [b], collaboration_level="coordination")
    submit(later, a, [d])
    submit(later, b, [a], collaboration_level="coordination")
    submit(later, b, [c], collaboration_level="coordination")
    submit(later, c, [b], collaboration_level="coordination")

    if build:
        rebuild_round(earlier.pk, force=True)
        rebuild_round(later.pk, force=True)
    return RoundPair(earlier, later, organizations)
