"""An organization's own network: ego map, partners, place and suggestions.

Everything here is read through a RoundView for a member of the
organization, so it holds the organization's own reports and only those
reports of others that the reporters allow participants to see.
"""

import logging
import math
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from network.services import latest_snapshot
from participants.explorer import measures_shown, snapshot_rows
from participants.visibility import LEVELS, RoundView
from surveys.models import Aspiration, Response, Round

logger = logging.getLogger(__name__)

ROLE_WORDS = {
    "coordinator": gettext_lazy("coordinator — links organizations of its own sector"),
    "gatekeeper": gettext_lazy(
        "gatekeeper — brings outside organizations into its sector"
    ),
    "representative": gettext_lazy("representative — speaks for its sector to others"),
    "consultant": gettext_lazy(
        "consultant — links two organizations of another sector"
    ),
    "liaison": gettext_lazy("liaison — links organizations of two other sectors"),
}


@dataclass
class Partner:
    id: int
    public_id: str
    label: str
    sector: str
    level: str
    confirmed: bool
    we_reported: bool
    they_reported: bool
    we_refer: bool
    they_refer: bool
    data_agreement: str
    wants_to_deepen: bool


@dataclass
class Ego:
    """An organization's ego network in one round, as its members see it."""

    organization_id: int
    round: Round
    distance: int
    view: RoundView
    partners: list = field(default_factory=list)
    nodes: list = field(default_factory=list)
    ties: list = field(default_factory=list)

    def partners_by_level(self):
        """Return [(level, partners)] from collaboration down to communication."""
        grouped = []
        for level in reversed(LEVELS):
            chosen = [p for p in self.partners if p.level == level]
            grouped.append((level, chosen))
        return grouped


def _partner(view, own, tie):
    other = tie.other(own)
    name, sector, _services = view.organization(other)
    # A partner the organization named itself is known to it by name.
    label = name if own in tie.reported_by else view.label(other)
    return Partner(
        id=other,
        public_id=view.public_id(other),
        label=label,
        sector=sector,
        level=tie.level,
        confirmed=tie.confirmed,
        we_reported=own in tie.reported_by,
        they_reported=other in tie.reported_by,
        we_refer=tie.refers(own, other),
        they_refer=tie.refers(other, own),
        data_agreement=tie.data_agreement,
        wants_to_deepen=own in tie.wants_to_deepen,
    )


def ego_network(organization_id, round, viewer, distance=1):
    """Return the organization's ego network at distance 1 or 2."""
    view = RoundView(round, viewer)
    neighbours = view.neighbours()
    ties = view.ties()
    first = neighbours.get(organization_id, set())
    second = set()
    if distance == 2:
        for partner in first:
            second |= neighbours.get(partner, set())
        second -= first | {organization_id}
    members = {organization_id} | first | second
    view.prepare_labels(members)

    ego = Ego(organization_id, round, distance, view)
    for (a, b), tie in ties.items():
        if organization_id in (a, b):
            ego.partners.append(_partner(view, organization_id, tie))
    ego.partners.sort(key=lambda p: p.label.casefold())
    known = {p.id: p.label for p in ego.partners}

    positions = radial_layout(organization_id, ego.partners, second, neighbours, view)
    for pk in sorted(members, key=lambda pk: (pk != organization_id, pk)):
        _name, sector, _services = view.organization(pk)
        x, y = positions[pk]
        ego.nodes.append(
            {
                "id": view.public_id(pk),
                "label": known.get(pk) or view.label(pk),
                "sector": sector,
                "ring": 0 if pk == organization_id else 1 if pk in first else 2,
                "x": x,
                "y": y,
            }
        )
    ego.ties = [
        {
            "source": view.public_id(a),
            "target": view.public_id(b),
            "level": tie.level,
            "confirmed": tie.confirmed,
        }
        for (a, b), tie in ties.items()
        if a in members and b in members and not (a in second and b in second)
    ]
    return ego


def radial_layout(own, partners, second, neighbours, view):
    """Place the organization in the middle, partners on a ring, theirs beyond.

    Partners are grouped by sector around the ring; each organization at
    distance 2 sits near the partners it is tied to.
    """
    positions = {own: (0.0, 0.0)}
    ordered = sorted(partners, key=lambda p: (p.sector, p.label.casefold()))
    angles = {}
    for i, partner in enumerate(ordered):
        angle = 2 * math.pi * i / max(len(ordered), 1) - math.pi / 2
        angles[partner.id] = angle
        positions[partner.id] = (math.cos(angle), math.sin(angle))

    def near(pk):
        linked = [angles[n] for n in neighbours.get(pk, ()) if n in angles]
        if not linked:
            return 0.0
        return math.atan2(
            sum(math.sin(a) for a in linked), sum(math.cos(a) for a in linked)
        )

    outer = sorted(second, key=lambda pk: (near(pk), pk))
    for i, pk in enumerate(outer):
        angle = near(pk) + (i % 3 - 1) * 0.04
        radius = 1.55 + 0.2 * (i % 3)
        positions[pk] = (radius * math.cos(angle), radius * math.sin(angle))
    return positions


def percentile(value, values):
    """Return the share of values below `value`, ties counting half, 0–100."""
    if not values:
        return None
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return round(100 * (below + equal / 2) / len(values))


def previous_round(round):
    """Return the round before this one, by opening date, or None."""
    earlier = Round.objects.exclude(pk=round.pk).filter(
        opens_at__lt=round.opens_at or round.created_at
    )
    return earlier.order_by("-opens_at").first()


def standing(organization_id, round, viewer):
    """Return the organization's place in the round, in numbers."""
    ego = ego_network(organization_id, round, viewer)
    snapshot = latest_snapshot(round)
    metrics = snapshot_rows(snapshot)
    own = metrics.get(organization_id)
    sectors = sorted({p.sector for p in ego.partners if p.sector})
    place = {
        "partners": len(ego.partners),
        "confirmed": sum(1 for p in ego.partners if p.confirmed),
        "sectors": sectors,
        "measures_shown": measures_shown(snapshot) and own is not None,
        "roles": [],
        "position": "",
        "degree_percentile": None,
        "betweenness_percentile": None,
    }
    if place["measures_shown"]:
        degrees = [row["extras"].get("degree", 0) for row in metrics.values()]
        between = [row["betweenness"] for row in metrics.values()]
        place["degree_percentile"] = percentile(own["extras"].get("degree", 0), degrees)
        place["betweenness_percentile"] = percentile(own["betweenness"], between)
        place["position"] = own["position"]
        place["roles"] = [
            {"role": role, "count": count, "words": ROLE_WORDS.get(role, role)}
            for role, count in sorted(
                own["brokerage"].items(), key=lambda item: -item[1]
            )
            if count
        ]
    return ego, place


def change_since(organization_id, round, viewer, place, ego):
    """Return how the organization's place changed since the previous round."""
    before = previous_round(round)
    if before is None or latest_snapshot(before) is None:
        return None
    old_ego, old_place = standing(organization_id, before, viewer)
    now_ids = {p.id for p in ego.partners}
    then_ids = {p.id for p in old_ego.partners}
    change = {
        "round": before,
        "more": max(place["partners"] - old_place["partners"], 0),
        "fewer": max(old_place["partners"] - place["partners"], 0),
        "new": [p for p in ego.partners if p.id not in then_ids],
        "lost": [p for p in old_ego.partners if p.id not in now_ids],
        "degree_percentile": None,
    }
    if place["degree_percentile"] is not None and old_place["degree_percentile"]:
        change["degree_percentile"] = (
            place["degree_percentile"] - old_place["degree_percentile"]
        )
    return change


def suggestions(organization_id, round, viewer, ego):
    """Return whom the organization might deepen collaboration with."""
    view = ego.view
    deepen = [
        p for p in ego.partners if p.level == "communication" and p.wants_to_deepen
    ]

    wanted = set(
        Aspiration.objects.filter(
            respondent_id=organization_id, response__round=round
        ).values_list("organization_id", flat=True)
    )
    wanting = set(
        Aspiration.objects.filter(
            organization_id=organization_id,
            response__round=round,
            response__status=Response.Status.SUBMITTED,
        ).values_list("respondent_id", flat=True)
    )
    mutual = [
        {"label": view.label(pk), "sector": view.organization(pk)[1]}
        for pk in sorted(wanted & wanting)
        if view.shares_reports(pk)
    ]

    own_services = set(view.organization(organization_id)[2])
    own_services |= set(
        Response.objects.filter(
            organization_id=organization_id, round=round
        ).values_list("services__name", flat=True)
    ) - {None}
    neighbours = view.neighbours()
    partner_ids = {p.id for p in ego.partners}
    through = {}
    for partner in partner_ids:
        for candidate in neighbours.get(partner, ()):
            if candidate != organization_id and candidate not in partner_ids:
                through.setdefault(candidate, set()).add(partner)
    offers = []
    for candidate, via in through.items():
        lacking = [s for s in view.services(candidate) if s not in own_services]
        if lacking and view.names(candidate):
            offers.append(
                {
                    "label": view.label(candidate),
                    "sector": view.organization(candidate)[1],
                    "services": lacking,
                    "via": sorted(p.label for p in ego.partners if p.id in via),
                }
            )
    offers.sort(key=lambda o: (-len(o["via"]), -len(o["services"]), o["label"]))
    return {"deepen": deepen, "mutual": mutual, "offers": offers[:6]}
