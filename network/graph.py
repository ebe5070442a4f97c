"""Build the directed nomination graph and derive ties and layers from it.

The graph is a :class:`networkx.DiGraph`: one node per organization (roster
organizations, write-ins and anyone named by a respondent), one arc per
respondent -> partner nomination carrying that nomination's attributes.
Ties are derived per unordered pair of organizations.
"""

import logging

import igraph as ig
import networkx as nx

logger = logging.getLogger(__name__)

LEVELS = ("communication", "coordination", "collaboration")
DATA_SHARING = ("none", "aggregate", "record")
DATA_AGREEMENTS = ("none", "in_progress", "signed")
LAYERS = ("all", "coordination", "collaboration", "referrals", "data_sharing")


def _rank(value, scale, field, source, target):
    try:
        return scale.index(value)
    except ValueError:
        raise ValueError(
            f"nomination {source!r} -> {target!r}: unknown {field} {value!r}; "
            f"expected one of {', '.join(scale)}"
        ) from None


def _merge(old, new):
    """Return the union of two reports of the same arc."""
    return {
        "level": max(old["level"], new["level"]),
        "sends_referrals": old["sends_referrals"] or new["sends_referrals"],
        "receives_referrals": old["receives_referrals"] or new["receives_referrals"],
        "data_sharing": max(old["data_sharing"], new["data_sharing"]),
        "data_agreement": max(old["data_agreement"], new["data_agreement"]),
        "wants_to_deepen": old["wants_to_deepen"] or new["wants_to_deepen"],
    }


def build_graph(organizations, nominations):
    """Return the directed nomination graph of a round.

    Parameters
    ----------
    organizations : iterable of OrganizationRow
        Organizations known to the round, in a stable order (the node order).
    nominations : iterable of NominationRow
        Directed reports ``source -> target``.

    Returns
    -------
    G : networkx.DiGraph
        Nodes carry ``name``, ``sector``, ``services``, ``on_roster`` and
        ``responded``. Arcs carry ``level`` (index into ``LEVELS``),
        ``sends_referrals``, ``receives_referrals``, ``data_sharing`` (index
        into ``DATA_SHARING``), ``data_agreement`` (index into
        ``DATA_AGREEMENTS``) and ``wants_to_deepen``. Several nominations of
        the same pair in the same direction are merged: the highest level,
        data sharing and agreement, and any referral or wish to deepen.
        A nomination of oneself is dropped. An id named only in nominations
        becomes a node off the roster, named by its id.

    Raises
    ------
    ValueError
        If an organization id repeats or a nomination carries an unknown
        level, data sharing or agreement value.

    Examples
    --------
    >>> from network.engine import NominationRow, OrganizationRow
    >>> G = build_graph(
    ...     [OrganizationRow(1, "A", "Health"), OrganizationRow(2, "B", None)],
    ...     [NominationRow(1, 2), NominationRow(1, 2, "coordination")],
    ... )
    >>> G.number_of_edges(), G[1][2]["level"]
    (1, 1)
    """
    G = nx.DiGraph()
    for row in organizations:
        if row.id in G:
            raise ValueError(f"organization {row.id!r} appears twice")
        G.add_node(
            row.id,
            name=row.name,
            sector=row.sector,
            services=tuple(row.services),
            on_roster=row.on_roster,
            responded=row.responded,
        )

    arcs = {}
    for row in nominations:
        if row.source == row.target:
            continue
        arc = {
            "level": _rank(
                row.collaboration_level,
                LEVELS,
                "collaboration level",
                row.source,
                row.target,
            ),
            "sends_referrals": bool(row.sends_referrals),
            "receives_referrals": bool(row.receives_referrals),
            "data_sharing": _rank(
                row.data_sharing, DATA_SHARING, "data sharing", row.source, row.target
            ),
            "data_agreement": _rank(
                row.data_agreement,
                DATA_AGREEMENTS,
                "data agreement",
                row.source,
                row.target,
            ),
            "wants_to_deepen": bool(row.wants_to_deepen),
        }
        key = (row.source, row.target)
        arcs[key] = _merge(arcs[key], arc) if key in arcs else arc

    for source, target in arcs:
        for node in (source, target):
            if node not in G:
                G.add_node(
                    node,
                    name=str(node),
                    sector=None,
                    services=(),
                    on_roster=False,
                    responded=False,
                )
    G.add_edges_from((s, t, attrs) for (s, t), attrs in arcs.items())
    return G


_KEEPS = {
    "all": lambda a: True,
    "coordination": lambda a: a["level"] >= 1,
    "collaboration": lambda a: a["level"] >= 2,
    "data_sharing": lambda a: a["data_sharing"] > 0,
}


def _layer_arcs(G, layer):
    """Yield ``(u, v, reporter)`` arcs of one layer."""
    for u, v, a in G.edges(data=True):
        if layer != "referrals":
            if _KEEPS[layer](a):
                yield u, v, u
            continue
        if a["sends_referrals"]:
            yield u, v, u
        if a["receives_referrals"]:
            yield v, u, u


def layer_graph(G, layer):
    """Return the directed graph of one tie layer.

    Parameters
    ----------
    G : networkx.DiGraph
        A graph from :func:`build_graph`.
    layer : str
        One of ``LAYERS``:

        - ``all``: every nomination;
        - ``coordination``: nominations at coordination level or above;
        - ``collaboration``: nominations at collaboration level;
        - ``referrals``: one arc per referral flow, from the organization
          sending clients to the one receiving them, whichever side
          reported it; the arc's ``reported_by`` lists the reporters;
        - ``data_sharing``: nominations that share aggregate or record data.

    Returns
    -------
    H : networkx.DiGraph
        All nodes of ``G`` with their attributes; the arcs of the layer,
        each with ``reported_by`` (the reporting organizations) and, except
        in ``referrals``, the nomination's attributes.

    Raises
    ------
    ValueError
        If ``layer`` is not one of ``LAYERS``.

    Examples
    --------
    >>> from network.engine import NominationRow, OrganizationRow
    >>> G = build_graph(
    ...     [OrganizationRow(1, "A", None), OrganizationRow(2, "B", None)],
    ...     [NominationRow(1, 2, receives_referrals=True)],
    ... )
    >>> list(layer_graph(G, "referrals").edges())
    [(2, 1)]
    """
    if layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}; expected one of {LAYERS}")
    H = nx.DiGraph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v, reporter in _layer_arcs(G, layer):
        if H.has_edge(u, v):
            H[u][v]["reported_by"].append(reporter)
        elif layer == "referrals":
            H.add_edge(u, v, reported_by=[reporter])
        else:
            H.add_edge(u, v, **G.edges[u, v], reported_by=[reporter])
    return H


def derive_ties(G):
    """Return one tie per unordered pair of organizations that named each other.

    A tie is **confirmed** when both organizations named each other and
    **one-sided** otherwise. Its ``level`` is the highest level either side
    reported, as are ``data_sharing`` and ``data_agreement``; referral
    directions come from either report. ``source`` is the reporter of a
    one-sided tie, or the first of the two in node order when confirmed.

    Parameters
    ----------
    G : networkx.DiGraph
        A graph from :func:`build_graph`.

    Returns
    -------
    ties : list of dict
        Keys ``source``, ``target``, ``confirmed``, ``reported_by``,
        ``level``, ``referrals_source_to_target``,
        ``referrals_target_to_source``, ``data_sharing``, ``data_agreement``,
        ``wants_to_deepen`` and ``layers`` (the names in ``LAYERS`` the tie
        belongs to; see :func:`layer_graph`).
    """
    order = {node: i for i, node in enumerate(G)}
    ties = {}
    for u, v, a in G.edges(data=True):
        confirmed = G.has_edge(v, u)
        if confirmed and order[v] < order[u]:
            continue
        b = G[v][u] if confirmed else None
        ties[(u, v)] = _tie(u, v, a, b)
    return list(ties.values())


def _tie(u, v, a, b):
    reports = [a] if b is None else [a, b]
    forward = a["sends_referrals"] or (b is not None and b["receives_referrals"])
    backward = a["receives_referrals"] or (b is not None and b["sends_referrals"])
    level = max(r["level"] for r in reports)
    sharing = max(r["data_sharing"] for r in reports)
    layers = ["all"]
    if level >= 1:
        layers.append("coordination")
    if level >= 2:
        layers.append("collaboration")
    if forward or backward:
        layers.append("referrals")
    if sharing > 0:
        layers.append("data_sharing")
    return {
        "source": u,
        "target": v,
        "confirmed": b is not None,
        "reported_by": [u] if b is None else [u, v],
        "level": LEVELS[level],
        "referrals_source_to_target": forward,
        "referrals_target_to_source": backward,
        "data_sharing": DATA_SHARING[sharing],
        "data_agreement": DATA_AGREEMENTS[max(r["data_agreement"] for r in reports)],
        "wants_to_deepen": any(r["wants_to_deepen"] for r in reports),
        "layers": layers,
    }


def to_igraph(G):
    """Return ``(g, u)``: the directed and the undirected igraph of ``G``.

    Vertex ``i`` of both is the ``i``-th node of ``G``. The undirected graph
    has one edge per tie, whatever the number of arcs between the pair.
    """
    index = {node: i for i, node in enumerate(G)}
    g = ig.Graph(
        n=len(index),
        edges=[(index[s], index[t]) for s, t in G.edges()],
        directed=True,
    )
    u = g.as_undirected(mode="collapse")
    return g, u
