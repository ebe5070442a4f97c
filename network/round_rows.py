"""Read a round's rows for a rebuild: organizations, ties, earlier positions.

Kept apart from network.services, which decides when a rebuild runs; this
module only reads what one rebuild needs from the survey tables and from the
previous snapshot.
"""

import math

from django.db.models import Q

from organizations.models import Organization
from surveys.models import Nomination, Response, RosterEntry, Visibility

WRITE_IN_PREFIX = "write-in:"


def shared_reporters(round):
    """Return the organizations whose reports participants may see."""
    return set(
        Response.objects.filter(
            round=round,
            status=Response.Status.SUBMITTED,
            visibility__in=[Visibility.NAMED, Visibility.ANONYMOUS],
        ).values_list("organization_id", flat=True)
    )


def load_round_rows(round):
    """Return the engine's organization and nomination rows for a round.

    The graph holds the roster, every organization named in a submitted
    response, and write-ins; an organization responded when its response
    was submitted.
    """
    from network.engine import NominationRow, OrganizationRow

    submitted = Response.objects.filter(round=round, status=Response.Status.SUBMITTED)
    responded = set(submitted.values_list("organization_id", flat=True))
    roster = set(
        RosterEntry.objects.filter(round=round).values_list(
            "organization_id", flat=True
        )
    )
    tie_rows = Nomination.objects.filter(response__in=submitted).values_list(
        "respondent_id",
        "partner_id",
        "write_in_key",
        "write_in_name",
        "collaboration_level",
        "sends_referrals",
        "receives_referrals",
        "data_sharing",
        "data_agreement",
        "wants_to_deepen",
    )

    nominations = []
    write_ins = {}
    for source, partner, key, write_in_name, *attributes in tie_rows.iterator(
        chunk_size=5000
    ):
        if partner is None:
            target = WRITE_IN_PREFIX + key
            write_ins.setdefault(target, write_in_name)
        else:
            target = partner
        nominations.append(NominationRow(source, target, *attributes))

    named = Nomination.objects.filter(response__in=submitted).values("partner_id")
    members = Organization.objects.filter(
        Q(roster_entries__round=round)
        | Q(pk__in=submitted.values("organization_id"))
        | Q(pk__in=named)
    ).distinct()
    services = {}
    through = Organization.services.through.objects.filter(
        organization_id__in=members.values("pk")
    ).values_list("organization_id", "service__name")
    for organization_id, service in through.iterator(chunk_size=5000):
        services.setdefault(organization_id, []).append(service)

    organizations = [
        OrganizationRow(
            pk,
            name,
            sector or None,
            tuple(sorted(services.get(pk, ()))),
            on_roster=pk in roster,
            responded=pk in responded,
        )
        for pk, name, sector in members.values_list("pk", "name", "sector__name")
    ]
    organizations += [
        OrganizationRow(key, name, None, (), on_roster=False, responded=False)
        for key, name in write_ins.items()
    ]
    return organizations, nominations


def previous_positions(snapshot, *, shared=False):
    """Return {node id: (x, y)} from `snapshot`, the round's newest ready one.

    With `shared`, the positions on the participants' map. With no snapshot
    (a first rebuild), there are none.
    """
    if snapshot is None:
        return {}
    positions = {}
    fields = ("participant_x", "participant_y") if shared else ("x", "y")
    rows = snapshot.metrics.values_list("organization_id", "write_in_key", *fields)
    for organization_id, key, x, y in rows.iterator(chunk_size=5000):
        node = organization_id if organization_id else WRITE_IN_PREFIX + key
        if x is not None and y is not None and math.isfinite(x) and math.isfinite(y):
            positions[node] = (x, y)
    return positions
