"""Published networks shipped with networkx, as rows for the engine."""

import networkx as nx

from network.engine import NominationRow, OrganizationRow


def _davis_women():
    B = nx.davis_southern_women_graph()
    return nx.bipartite.projected_graph(B, B.graph["top"])


def _kite_and_florentine():
    """Return two published graphs side by side: a disconnected network."""
    return nx.disjoint_union(nx.krackhardt_kite_graph(), nx.florentine_families_graph())


PUBLISHED = {
    "krackhardt_kite": nx.krackhardt_kite_graph,
    "florentine_families": nx.florentine_families_graph,
    "karate_club": nx.karate_club_graph,
    "davis_southern_women": _davis_women,
    "les_miserables": nx.les_miserables_graph,
    "kite_and_florentine": _kite_and_florentine,
}


def oriented(G):
    """Return a directed version of ``G``: most ties one way, some both ways.

    The direction of each edge is fixed by the node order, every third edge
    is reciprocated, so the result is deterministic.
    """
    order = {node: i for i, node in enumerate(G)}
    D = nx.DiGraph()
    D.add_nodes_from(G)
    for number, (a, b) in enumerate(G.edges()):
        first, second = (a, b) if (order[a] + order[b]) % 2 else (b, a)
        D.add_edge(first, second)
        if number % 3 == 0:
            D.add_edge(second, first)
    return D


def as_rows(D, sectors=None):
    """Return organization and nomination rows reproducing the digraph ``D``."""
    sectors = sectors or {}
    organizations = [
        OrganizationRow(node, str(node), sectors.get(node), responded=True)
        for node in D
    ]
    nominations = [NominationRow(a, b) for a, b in D.edges()]
    return organizations, nominations
