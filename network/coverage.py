"""Who is missing from a round: response rates, gaps, isolates and fragments.

Everything here reads the database and the round's newest snapshot; no
network measure is computed. Write-ins have a module of their own,
:mod:`network.write_ins`.
"""

import logging
import math
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from network.models import OrganizationMetrics
from organizations.models import Organization
from surveys.models import Invitation, Response, RosterEntry

logger = logging.getLogger(__name__)

NON_RESPONDENTS_SHOWN = 50
ISOLATES_SHOWN = 100
FRAGMENTS_SHOWN = 20
# A sector or service is thin when the network reaches less than this share
# of its organizations compared with how far it reaches the region overall.
THIN_RATIO = 0.5
HEAT_LEVELS = 6


@dataclass
class Rate:
    """How many of a group's roster organizations answered."""

    label: str
    answered: int
    total: int

    @property
    def percent(self):
        return round(100 * self.answered / self.total) if self.total else 0


@dataclass
class Presence:
    """How many of a sector's or service's organizations the network reaches."""

    label: str
    region: int
    respondents: int
    in_network: int
    thin: bool = False

    @property
    def percent(self):
        return round(100 * self.in_network / self.region) if self.region else 0


@dataclass
class Fragment:
    """A connected group of organizations cut off from the largest one."""

    number: int
    members: list = field(default_factory=list)


def _submitted(round_, outer="pk"):
    return Exists(
        Response.objects.filter(
            round=round_,
            organization=OuterRef(outer),
            status=Response.Status.SUBMITTED,
        )
    )


def _rates(rows, label_key, blank_label):
    rates = [
        Rate(row[label_key] or blank_label, row["answered"], row["total"])
        for row in rows
    ]
    return sorted(rates, key=lambda r: (r.percent, -r.total, r.label))


def response_rates(round_):
    """Return the response rate overall and by sector, service and service area.

    Rates are counted against the roster: an organization answered when its
    response was submitted.
    """
    roster = Organization.objects.filter(roster_entries__round=round_).annotate(
        answered=_submitted(round_)
    )
    counts = {"total": Count("pk"), "answered": Count("pk", filter=Q(answered=True))}
    # Aggregating straight over the annotation loses it in Django's subquery,
    # so the overall count filters on the expression itself.
    overall = roster.aggregate(
        total=Count("pk"), answered=Count("pk", filter=_submitted(round_))
    )

    by_sector = roster.values("sector__name").annotate(**counts).order_by()
    by_area = roster.values("service_area").annotate(**counts).order_by()
    through = Organization.services.through.objects.filter(
        organization__roster_entries__round=round_
    ).annotate(answered=_submitted(round_, "organization_id"))
    by_service = through.values("service__name").annotate(**counts).order_by()

    return {
        "overall": Rate(_("Roster"), overall["answered"], overall["total"]),
        "sectors": _rates(by_sector, "sector__name", _("No sector")),
        "services": _rates(by_service, "service__name", ""),
        "areas": _rates(by_area, "service_area", _("No service area given")),
    }


def non_respondents(round_, snapshot, limit=NON_RESPONDENTS_SHOWN):
    """Return organizations named by respondents that did not answer, most
    named first, with whether they were invited; and how many there are."""
    if snapshot is None:
        return [], 0
    invitations = Invitation.objects.filter(
        round=round_,
        organization=OuterRef("organization_id"),
        revoked_at__isnull=True,
        sent_at__isnull=False,
    )
    responses = Response.objects.filter(
        round=round_, organization=OuterRef("organization_id")
    )
    rows = (
        OrganizationMetrics.objects.filter(
            snapshot=snapshot,
            responded=False,
            organization__isnull=False,
            in_degree__gt=0,
        )
        .select_related("organization__sector")
        .annotate(
            is_invited=Exists(invitations),
            response_status=Subquery(responses.values("status")[:1]),
            is_on_roster=Exists(
                RosterEntry.objects.filter(
                    round=round_, organization=OuterRef("organization_id")
                )
            ),
        )
        .order_by("-in_degree", "name", "pk")
    )
    return list(rows[:limit]), rows.count()


def _presence(region, respondents, in_network, blank_label):
    total_region = sum(region.values())
    reach = sum(in_network.values()) / total_region if total_region else 0
    rows = []
    for label, count in region.items():
        row = Presence(
            label or blank_label,
            count,
            respondents.get(label, 0),
            in_network.get(label, 0),
        )
        row.thin = count > 0 and row.in_network / count < THIN_RATIO * reach
        rows.append(row)
    return sorted(rows, key=lambda r: (r.in_network / r.region, -r.region, r.label))


def _counts(queryset, key):
    return {row[key]: row["n"] for row in queryset.values(key).annotate(n=Count("pk"))}


def thin_presence(snapshot):
    """Return, per sector and per service, how much of the region the network
    reaches: organizations in the region, respondents, and those with a tie."""
    region = Organization.objects.filter(is_active=True)
    metrics = OrganizationMetrics.objects.none()
    if snapshot is not None:
        metrics = OrganizationMetrics.objects.filter(
            snapshot=snapshot, organization__isnull=False
        )
    tied = metrics.exclude(position="isolate")
    answered = metrics.filter(responded=True)

    sectors = _presence(
        _counts(region.order_by(), "sector__name"),
        _counts(answered.order_by(), "organization__sector__name"),
        _counts(tied.order_by(), "organization__sector__name"),
        _("No sector"),
    )
    through = Organization.services.through.objects
    in_region = through.filter(organization__is_active=True)
    services = _presence(
        _counts(in_region.order_by(), "service__name"),
        _counts(
            through.filter(organization_id__in=answered.values("organization_id")),
            "service__name",
        ),
        _counts(
            through.filter(organization_id__in=tied.values("organization_id")),
            "service__name",
        ),
        "",
    )
    return {"sectors": sectors, "services": services}


def isolates(snapshot, limit=ISOLATES_SHOWN):
    """Return organizations of the snapshot without any tie, and their count."""
    if snapshot is None:
        return [], 0
    rows = OrganizationMetrics.objects.filter(
        snapshot=snapshot, position="isolate"
    ).order_by("-responded", "name", "pk")
    return list(rows.values("name", "responded", "on_roster")[:limit]), rows.count()


def fragments(snapshot, limit=FRAGMENTS_SHOWN):
    """Return the fragments apart from the largest, with their members.

    Single organizations without ties are isolates, not fragments.
    """
    if snapshot is None:
        return []
    metrics = OrganizationMetrics.objects.filter(snapshot=snapshot)
    sizes = (
        metrics.exclude(component=0)
        .values("component")
        .annotate(size=Count("pk"))
        .filter(size__gt=1)
        .order_by("-size", "component")[:limit]
    )
    found = {row["component"]: Fragment(row["component"]) for row in sizes}
    members = metrics.filter(component__in=list(found)).order_by("name", "pk")
    for component, name, responded in members.values_list(
        "component", "name", "responded"
    ):
        found[component].members.append({"name": name, "responded": responded})
    return list(found.values())


def _heat_level(value, largest):
    """Return a shade from 0 (no tie) to HEAT_LEVELS - 1 (the largest cell).

    The square root spreads the shades, so one crowded cell does not leave
    every other cell the palest shade.
    """
    if not value:
        return 0
    return max(1, math.ceil((HEAT_LEVELS - 1) * math.sqrt(value / largest)))


def mixing_heatmap(snapshot):
    """Return the sector x sector mixing matrix as rows of shaded cells."""
    mixing = (snapshot.figures or {}).get("mixing") if snapshot else None
    if not mixing or not mixing.get("sectors"):
        return None
    matrix = mixing["matrix"]
    largest = max((value for row in matrix for value in row), default=0) or 1
    rows = []
    for name, values in zip(mixing["sectors"], matrix, strict=True):
        cells = [
            {
                "value": value,
                "level": _heat_level(value, largest),
            }
            for value in values
        ]
        rows.append({"sector": name, "cells": cells})
    return {
        "sectors": mixing["sectors"],
        "rows": rows,
        "ei_index": mixing.get("ei_index"),
        "unknown_ties": mixing.get("unknown_ties", 0),
    }
