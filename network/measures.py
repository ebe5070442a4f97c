"""Per-organization centrality, cohesion and group measures.

Every function takes python-igraph graphs whose vertex ``i`` is the ``i``-th
organization (see :func:`network.graph.to_igraph`): ``g`` is the directed
nomination graph, ``u`` the undirected tie graph. networkx is the reference
for each definition; the tests compare both on published graphs.
"""

import logging
import random
from contextlib import contextmanager

import igraph as ig
import numpy as np

logger = logging.getLogger(__name__)

BATCHES = 8


@contextmanager
def seeded_igraph(seed):
    """Run igraph's randomized routines from ``random.Random(seed)``."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def sample_sources(n, k, seed):
    """Return ``k`` distinct vertices out of ``n``, drawn with ``seed``."""
    return sorted(random.Random(seed).sample(range(n), min(k, n)))


def betweenness(g, sources=None):
    """Return normalized directed betweenness, exact or estimated.

    .. math:: c_B(v) = \\frac{1}{(n-1)(n-2)} \\sum_{s \\ne v \\ne t}
              \\frac{\\sigma(s, t | v)}{\\sigma(s, t)}

    Computed with Brandes' algorithm [1]_ (igraph), equal to
    ``networkx.betweenness_centrality(G)`` on a directed graph. With
    ``sources``, only shortest paths from those sources are counted and the
    sum is scaled by ``n / k`` [2]_, an unbiased estimate.

    Parameters
    ----------
    g : igraph.Graph
        Directed graph.
    sources : list of int, optional
        Sampled source vertices. ``None`` computes the exact value.

    Returns
    -------
    values : numpy.ndarray
        One value per vertex, in ``[0, 1]``.
    standard_error : numpy.ndarray or None
        With ``sources``, the per-vertex standard error of the estimate from
        the spread of ``BATCHES`` batch estimates (batch means); else None.

    References
    ----------
    .. [1] Brandes, U. (2001). A faster algorithm for betweenness centrality.
       Journal of Mathematical Sociology 25(2), 163-177.
    .. [2] Brandes, U., Pich, C. (2007). Centrality estimation in large
       networks. International Journal of Bifurcation and Chaos 17(7).
    """
    n = g.vcount()
    scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    if sources is None:
        return np.asarray(g.betweenness(directed=True), dtype=float) * scale, None

    batches = [b for b in np.array_split(np.asarray(sources), BATCHES) if len(b)]
    estimates = np.array(
        [
            np.asarray(g.betweenness(directed=True, sources=b.tolist()), dtype=float)
            * (n / len(b))
            * scale
            for b in batches
        ]
    )
    values = np.clip(estimates.mean(axis=0), 0.0, 1.0)
    error = _batch_error(estimates)
    return values, error


def _batch_error(estimates):
    if len(estimates) < 2:
        return np.zeros(estimates.shape[1])
    return estimates.std(axis=0, ddof=1) / np.sqrt(len(estimates))


def harmonic_closeness(u, sources=None):
    """Return harmonic closeness divided by ``n - 1``, exact or estimated.

    .. math:: c_H(v) = \\frac{1}{n-1} \\sum_{w \\ne v} \\frac{1}{d(v, w)}

    on the undirected tie graph, with ``1 / d = 0`` for unreachable pairs
    [1]_. Equal to ``networkx.harmonic_centrality(G) / (n - 1)``; unlike
    networkx ``closeness_centrality``, no Wasserman-Faust correction is
    applied, so the value is defined on disconnected graphs. With
    ``sources``, the sum runs over the sampled sources and is scaled by
    ``n / k`` (an unbiased estimate).

    Parameters
    ----------
    u : igraph.Graph
        Undirected graph.
    sources : list of int, optional
        Sampled source vertices. ``None`` computes the exact value.

    Returns
    -------
    values : numpy.ndarray
    standard_error : numpy.ndarray or None
        With ``sources``, the per-vertex standard error of the estimate
        (standard deviation of the sampled terms over ``sqrt(k)``, with the
        finite population correction); else None.

    References
    ----------
    .. [1] Marchiori, M., Latora, V. (2000). Harmony in the small-world.
       Physica A 285(3-4), 539-546.
    """
    n = u.vcount()
    if n < 2:
        return np.zeros(n), None
    if sources is None:
        return np.asarray(u.harmonic_centrality(normalized=True)), None

    total = np.zeros(n)
    squares = np.zeros(n)
    for d in _distance_chunks(u, sources):
        inverse = np.zeros_like(d)
        reached = np.isfinite(d) & (d > 0)
        inverse[reached] = 1.0 / d[reached]
        total += inverse.sum(axis=0)
        squares += (inverse**2).sum(axis=0)

    k = len(sources)
    mean = total / k
    spread = np.sqrt(np.maximum(squares / k - mean**2, 0.0))
    correction = np.sqrt(max(n - k, 0) / (n - 1))
    scale = n / (n - 1)
    return mean * scale, spread / np.sqrt(k) * correction * scale


def _distance_chunks(u, sources, targets=None, chunk=32):
    """Yield distance matrices from ``chunk`` sources at a time."""
    sources = list(sources)
    for start in range(0, len(sources), chunk):
        rows = u.distances(source=sources[start : start + chunk], target=targets)
        yield np.asarray(rows, dtype=float)


def largest_component_mask(u):
    """Return a boolean mask of the vertices in the largest component."""
    membership, _ = components(u)
    return membership == 0


def average_path_length(u, sample_size=None, seed=42):
    """Return the average shortest path length in the largest component.

    .. math:: L = \\frac{1}{s(s-1)} \\sum_{v \\ne w} d(v, w)

    over the ``s`` organizations of the largest component of the undirected
    tie graph; equal to ``networkx.average_shortest_path_length`` on that
    component. When ``sample_size`` is given and smaller than ``s``, the
    sum runs from that many sampled sources to all of the component, an
    unbiased estimate. None when the component has fewer than two
    organizations.
    """
    members = np.flatnonzero(largest_component_mask(u)).tolist()
    if len(members) < 2:
        return None
    giant = u.induced_subgraph(members)
    if sample_size is None or sample_size >= len(members):
        return giant.average_path_length(directed=False)
    sources = sample_sources(len(members), sample_size, seed)
    total = sum(d.sum() for d in _distance_chunks(giant, sources))
    return float(total / (len(sources) * (len(members) - 1)))


def pagerank(g, damping=0.85):
    """Return PageRank on the directed graph [1]_.

    Dangling organizations spread their rank evenly over all, as in
    ``networkx.pagerank(G, alpha=0.85)``; the values sum to 1.

    References
    ----------
    .. [1] Page, L., Brin, S., Motwani, R., Winograd, T. (1999). The PageRank
       citation ranking: bringing order to the web. Stanford InfoLab.
    """
    if g.vcount() == 0:
        return np.zeros(0)
    return np.asarray(g.pagerank(directed=True, damping=damping))


def core_numbers(u):
    """Return each organization's core number on the undirected tie graph.

    The core number of ``v`` is the largest ``k`` such that ``v`` belongs to
    a subgraph where every vertex has at least ``k`` ties [1]_; equal to
    ``networkx.core_number``.

    References
    ----------
    .. [1] Batagelj, V., Zaversnik, M. (2003). An O(m) algorithm for cores
       decomposition of networks. arXiv:cs/0310049.
    """
    return np.asarray(u.coreness(mode="all"), dtype=int)


def _renumber(membership):
    """Renumber groups by decreasing size, then by their first vertex."""
    membership = np.asarray(membership, dtype=int)
    if len(membership) == 0:
        return membership, []
    sizes = np.bincount(membership)
    first = np.full(len(sizes), len(membership))
    np.minimum.at(first, membership, np.arange(len(membership)))
    present = np.flatnonzero(sizes)
    order = present[np.lexsort((first[present], -sizes[present]))]
    new = np.empty(len(sizes), dtype=int)
    new[order] = np.arange(len(order))
    return new[membership], sizes[order].tolist()


def components(u):
    """Return ``(membership, sizes)`` of the connected components.

    Components of the undirected tie graph, which are the weakly connected
    components of the nomination graph, numbered from the largest (0); equal
    sizes are ordered by the earliest organization in node order.
    """
    return _renumber(u.connected_components().membership)


def communities(u, seed=42):
    """Return ``(membership, modularity)`` of a Louvain partition.

    Louvain modularity optimization [1]_ on the undirected tie graph
    (igraph ``community_multilevel``), run from ``random.Random(seed)`` so
    the same graph gives the same partition. Communities are numbered from
    the largest. Modularity [2]_ is

    .. math:: Q = \\frac{1}{2m} \\sum_{ij} \\left(A_{ij} -
              \\frac{k_i k_j}{2m}\\right) \\delta(c_i, c_j)

    and equals ``networkx.community.modularity`` of the same partition;
    it is None for a graph without ties.

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., Lefebvre, E.
       (2008). Fast unfolding of communities in large networks. J. Stat.
       Mech. P10008.
    .. [2] Newman, M. E. J. (2006). Modularity and community structure in
       networks. PNAS 103(23), 8577-8582.
    """
    if u.vcount() == 0:
        return np.zeros(0, dtype=int), None
    with seeded_igraph(seed):
        membership = u.community_multilevel().membership
    membership, _ = _renumber(membership)
    if u.ecount() == 0:
        return membership, None
    return membership, u.modularity(membership.tolist())


def classify_positions(degree, betweenness, constraint):
    """Return each organization's position in the network.

    Thresholds are taken over organizations with at least one tie, using
    the undirected tie degree ``k``:

    - ``isolate``: no tie at all;
    - ``broker``: betweenness above 0, at or above the 90th percentile of
      betweenness, and constraint below the median constraint;
    - ``well_connected``: ``k`` at or above the 75th percentile and above
      the median;
    - ``peripheral``: a single tie, or ``k`` at or below the 25th percentile
      and below the median;
    - ``connected``: everyone else.

    The first rule that applies wins. Comparing with the median keeps a
    network where everyone has as many ties from being all "well connected"
    or all "peripheral".
    """
    degree = np.asarray(degree, dtype=float)
    betweenness = np.asarray(betweenness, dtype=float)
    constraint = np.asarray(constraint, dtype=float)
    positions = np.full(len(degree), "connected", dtype=object)
    tied = degree > 0
    positions[~tied] = "isolate"
    if not tied.any():
        return positions.tolist()

    k = degree[tied]
    q25, median, q75 = np.percentile(k, [25, 50, 75])
    top_betweenness = np.percentile(betweenness[tied], 90)
    constraint_median = np.nanmedian(constraint[tied])

    peripheral = tied & ((degree == 1) | ((degree <= q25) & (degree < median)))
    well = tied & (degree >= q75) & (degree > median)
    broker = (
        tied
        & (betweenness > 0)
        & (betweenness >= top_betweenness)
        & (constraint < constraint_median)
    )
    positions[peripheral] = "peripheral"
    positions[well] = "well_connected"
    positions[broker] = "broker"
    return positions.tolist()
