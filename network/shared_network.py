"""The network participants may see: its ties, fragments, communities, map.

Staff see every report; participants see only the reports of organizations
that chose to show their answers to them. A map laid out on every tie would
place organizations where hidden ties pull them, so the participants' map
gets a layout of its own, computed on the shared ties only. Like the rest of
``network/``, this is plain Python over the engine's rows.
"""

import logging
from dataclasses import dataclass, field

from network import measures
from network.graph import build_graph, derive_ties, to_igraph
from network.layout import map_layout

logger = logging.getLogger(__name__)

WRITE_IN_PREFIX = "write-in:"


@dataclass
class SharedNetwork:
    """The shared ties and, per organization, its place on the shared map."""

    organizations: dict = field(default_factory=dict)
    ties: list = field(default_factory=list)


def shared_network(organizations, nominations, shares, previous_positions=None):
    """Return the network of the reports participants may see.

    Parameters
    ----------
    organizations : iterable of OrganizationRow
        The round's organizations, as given to the engine.
    nominations : iterable of NominationRow
        Every report of the round.
    shares : collection
        Ids of the organizations whose reports participants may see.
    previous_positions : dict, optional
        Organization id -> ``(x, y)`` on the previous shared map.

    Returns
    -------
    SharedNetwork
        ``organizations``: id -> ``degree``, ``in_degree``, ``out_degree``,
        ``component``, ``community``, ``x`` and ``y`` for every organization
        that shares its reports or is at an end of a shared report;
        ``ties``: from :func:`network.graph.derive_ties` over the shared
        reports. Write-ins are left out: their names are free text.

    Examples
    --------
    >>> from network.engine import NominationRow, OrganizationRow
    >>> rows = [OrganizationRow(1, "A", None), OrganizationRow(2, "B", None),
    ...         OrganizationRow(3, "C", None)]
    >>> shared = shared_network(rows, [NominationRow(1, 2), NominationRow(3, 1)],
    ...                         shares={1})
    >>> sorted(shared.organizations), len(shared.ties)
    ([1, 2], 1)
    """
    shares = set(shares)
    reports = [
        n
        for n in nominations
        if n.source in shares
        and not (isinstance(n.target, str) and n.target.startswith(WRITE_IN_PREFIX))
    ]
    shown = set(shares)
    for report in reports:
        shown.update((report.source, report.target))
    rows = [row for row in organizations if row.id in shown]
    known = {row.id for row in rows}
    reports = [r for r in reports if r.source in known and r.target in known]

    G = build_graph(rows, reports)
    ids = list(G)
    if not ids:
        return SharedNetwork()
    g, u = to_igraph(G)
    component, _sizes = measures.components(u)
    community, _modularity = measures.communities(u)
    coords = map_layout(u, ids, previous_positions)
    degree = u.degree()
    in_degree, out_degree = g.indegree(), g.outdegree()
    placed = {
        node: {
            "degree": int(degree[i]),
            "in_degree": int(in_degree[i]),
            "out_degree": int(out_degree[i]),
            "component": int(component[i]),
            "community": int(community[i]),
            "x": float(coords[i, 0]),
            "y": float(coords[i, 1]),
        }
        for i, node in enumerate(ids)
    }
    logger.info("shared network: %d organizations, %d ties", len(placed), u.ecount())
    return SharedNetwork(placed, derive_ties(G))
