"""Whole-network figures of a round and the sector mixing matrix."""

import logging

import numpy as np

from network import measures

logger = logging.getLogger(__name__)


def fragmentation(sizes):
    """Return the share of pairs of organizations that cannot reach each other.

    .. math:: F = 1 - \\frac{\\sum_k s_k (s_k - 1)}{n (n - 1)}

    for components of sizes ``s_k`` of the undirected tie graph [1]_;
    0 when there are fewer than two organizations.

    References
    ----------
    .. [1] Borgatti, S. P. (2006). Identifying sets of key players in a
       social network. Computational and Mathematical Organization Theory
       12(1), 21-34.
    """
    sizes = np.asarray(sizes, dtype=float)
    n = sizes.sum()
    if n < 2:
        return 0.0
    return float(1.0 - (sizes * (sizes - 1)).sum() / (n * (n - 1)))


def degree_centralization(degrees):
    """Return Freeman's degree centralization of the undirected tie graph.

    .. math:: C_D = \\frac{\\sum_i (k_{max} - k_i)}{(n-1)(n-2)}

    1 for a star, 0 when every organization has as many ties [1]_;
    0 when there are fewer than three organizations.

    References
    ----------
    .. [1] Freeman, L. C. (1978). Centrality in social networks: conceptual
       clarification. Social Networks 1(3), 215-239.
    """
    k = np.asarray(degrees, dtype=float)
    n = len(k)
    if n < 3:
        return 0.0
    return float((k.max() - k).sum() / ((n - 1) * (n - 2)))


def round_figures(
    g, u, *, component_sizes=None, modularity=None, path_sample_size=None, seed=42
):
    """Return the figures describing one round's network.

    Parameters
    ----------
    g, u : igraph.Graph
        Directed nomination graph and undirected tie graph.
    component_sizes : list of int, optional
        Component sizes, largest first, when already computed.
    modularity : float, optional
        Modularity of the community partition, when already computed;
        otherwise the Louvain partition is computed (seed 42).
    path_sample_size : int, optional
        Estimate the average path length from this many sampled sources
        (see :func:`network.measures.average_path_length`); exact when None.
    seed : int

    Returns
    -------
    figures : dict
        ``organizations``; ``ties`` (unordered pairs); ``density`` =
        ties / (n(n-1)/2) on the undirected tie graph; ``reciprocity`` =
        share of nominations returned by the partner (as
        ``networkx.overall_reciprocity``); ``confirmed_share`` = confirmed
        ties / ties; ``transitivity`` = 3 x triangles / connected triples
        (``networkx.transitivity``); ``components`` and ``component_sizes``;
        ``fragmentation`` (:func:`fragmentation`); ``degree_centralization``
        (:func:`degree_centralization`); ``average_path_length`` in the
        largest component and ``average_path_length_sources`` (None when
        exact); ``modularity``. Ratios of an empty graph are 0.
    """
    n, ties, arcs = u.vcount(), u.ecount(), g.ecount()
    if component_sizes is None:
        _, component_sizes = measures.components(u)
    if modularity is None and ties:
        _, modularity = measures.communities(u, seed)
    path_length = measures.average_path_length(u, path_sample_size, seed)
    mutual = arcs - ties
    transitivity = u.transitivity_undirected() if ties else 0.0
    return {
        "organizations": n,
        "ties": ties,
        "nominations": arcs,
        "density": ties / (n * (n - 1) / 2) if n > 1 else 0.0,
        "reciprocity": 2 * mutual / arcs if arcs else 0.0,
        "confirmed_share": mutual / ties if ties else 0.0,
        "transitivity": 0.0 if np.isnan(transitivity) else transitivity,
        "components": len(component_sizes),
        "component_sizes": list(component_sizes),
        "fragmentation": fragmentation(component_sizes),
        "degree_centralization": degree_centralization(u.degree()),
        "average_path_length": path_length,
        "average_path_length_sources": path_sample_size,
        "modularity": modularity,
    }


def ei_index(external, internal):
    """Return Krackhardt and Stern's E-I index, or None without ties.

    .. math:: EI = \\frac{E - I}{E + I}

    with ``E`` ties between groups and ``I`` within [1]_; -1 when all ties
    stay within groups, 1 when all cross.

    References
    ----------
    .. [1] Krackhardt, D., Stern, R. N. (1988). Informal networks and
       organizational crises: an experimental simulation. Social
       Psychology Quarterly 51(2), 123-140.
    """
    total = external + internal
    return (external - internal) / total if total else None


def mixing(sectors, ties):
    """Return the sector x sector mixing matrix and E-I indices.

    Parameters
    ----------
    sectors : dict
        Organization id -> sector name or None.
    ties : list of dict
        Ties with ``source`` and ``target``.

    Returns
    -------
    mixing : dict
        ``sectors`` (sorted names); ``matrix`` where cell ``[i][j]`` counts
        ties between sectors ``i`` and ``j`` (symmetric, a tie within a
        sector counted once on the diagonal); ``ei_index`` over all ties and
        ``ei_by_sector`` counting, for each sector, its ties to other
        sectors as external and within it as internal. Ties with an
        organization without a sector are left out and counted in
        ``unknown_ties``.
    """
    names = sorted({s for s in sectors.values() if s is not None})
    index = {name: i for i, name in enumerate(names)}
    matrix = np.zeros((len(names), len(names)), dtype=int)
    unknown = 0
    for tie in ties:
        a, b = sectors.get(tie["source"]), sectors.get(tie["target"])
        if a is None or b is None:
            unknown += 1
            continue
        i, j = index[a], index[b]
        matrix[i, j] += 1
        if i != j:
            matrix[j, i] += 1

    internal = int(np.trace(matrix))
    external = int(matrix.sum() - internal) // 2
    by_sector = {
        name: ei_index(int(matrix[i].sum() - matrix[i, i]), int(matrix[i, i]))
        for name, i in index.items()
    }
    return {
        "sectors": names,
        "matrix": matrix.tolist(),
        "ei_index": ei_index(external, internal),
        "ei_by_sector": by_sector,
        "unknown_ties": unknown,
    }
