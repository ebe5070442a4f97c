"""Turn a round's organizations and nominations into measures and a map.

This is the one entry point Django calls: :func:`compute_network` takes plain
rows and returns plain dicts and lists, ready to store in a snapshot. Nothing
here touches the database.

Where each organization's measure is defined:

=================== ==================================================
``betweenness``     :func:`network.measures.betweenness` (directed)
``closeness``       :func:`network.measures.harmonic_closeness`
``pagerank``        :func:`network.measures.pagerank` (directed, 0.85)
``core``            :func:`network.measures.core_numbers`
``component``       :func:`network.measures.components` (0 = largest)
``community``       :func:`network.measures.communities` (Louvain)
``constraint``,     :func:`network.brokerage.structural_holes` (Burt);
``effective_size``  None for isolates
``brokerage``       :func:`network.brokerage.gould_fernandez` by sector
``position``        :func:`network.measures.classify_positions`
``x``, ``y``        :func:`network.layout.map_layout`
=================== ==================================================

The undirected tie graph has one edge per tie (confirmed or one-sided); the
directed graph one arc per nomination.
"""

import gc
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from network import brokerage, figures, measures
from network.graph import build_graph, derive_ties, to_igraph
from network.layout import map_layout

logger = logging.getLogger(__name__)

SAMPLE_THRESHOLD = 20_000
DEFAULT_SAMPLE = 256
PATH_EXACT_LIMIT = 5_000
PATH_SAMPLE = 512


@dataclass(frozen=True)
class OrganizationRow:
    """An organization of the round: on the roster, or a write-in."""

    id: object
    name: str
    sector: str | None
    services: tuple[str, ...] = ()
    on_roster: bool = True
    responded: bool = False


@dataclass(frozen=True)
class NominationRow:
    """A respondent's report that it works with a partner."""

    source: object
    target: object
    collaboration_level: str = "communication"
    sends_referrals: bool = False
    receives_referrals: bool = False
    data_sharing: str = "none"
    data_agreement: str = "none"
    wants_to_deepen: bool = False


@dataclass
class NetworkResult:
    """Measures per organization, ties, round figures and stage timings."""

    organizations: dict = field(default_factory=dict)
    ties: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)


class _Stages:
    def __init__(self, progress):
        self.progress = progress
        self.timings = {}
        self.started = time.perf_counter()

    def done(self, stage, percent):
        now = time.perf_counter()
        self.timings[stage] = now - self.started
        self.started = now
        if self.progress is not None:
            self.progress(stage, percent)


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while building many small objects.

    Building the graph and its ties allocates hundreds of thousands of
    dicts that live to the end; the collector would rescan them again and
    again for nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _optional(value):
    return None if value is None or np.isnan(value) else float(value)


def _sample_size(n, sample_size):
    if sample_size is None and n > SAMPLE_THRESHOLD:
        sample_size = DEFAULT_SAMPLE
    if sample_size is None or sample_size >= n:
        return None
    return max(2, int(sample_size))


def compute_network(
    organizations,
    nominations,
    previous_positions=None,
    *,
    sample_size=None,
    seed=42,
    progress=None,
):
    """Compute a round's network: measures, ties, figures and map positions.

    Parameters
    ----------
    organizations : iterable of OrganizationRow
    nominations : iterable of NominationRow
    previous_positions : dict, optional
        Organization id -> ``(x, y)`` from the previous snapshot; keeps the
        map stable (see :func:`network.layout.map_layout`).
    sample_size : int, optional
        Estimate betweenness and closeness from this many sampled sources.
        Without it, they are exact up to ``SAMPLE_THRESHOLD`` organizations
        and sampled from ``DEFAULT_SAMPLE`` sources above.
    seed : int
        Seed for sampling, communities and layout: the same input and seed
        give the same result.
    progress : callable, optional
        Called as ``progress(stage, percent)`` when each stage finishes.

    Returns
    -------
    NetworkResult
        ``organizations``: id -> ``name``, ``sector``, ``on_roster``,
        ``responded``, ``in_degree`` and ``out_degree`` (distinct
        organizations naming it / named by it), ``degree`` (ties),
        ``betweenness``, ``closeness``, ``pagerank``, ``core``,
        ``component``, ``community``, ``constraint``, ``effective_size``,
        ``brokerage`` (role -> count), ``position``, ``reported_by_others``
        (it has ties, and it did not respond or more than half of them are
        one-sided reports by its partners), ``x`` and ``y``; each measure is
        defined in :mod:`network.measures`, :mod:`network.brokerage` and
        :mod:`network.layout`;
        ``ties``: from :func:`network.graph.derive_ties`; ``figures``:
        ``reconstructed`` (everything reported) and ``respondents`` (the
        graph among respondents only) from
        :func:`network.figures.round_figures`, ``mixing`` from
        :func:`network.figures.mixing`, and ``sampling``: None when exact,
        else ``sources``, ``organizations``, ``method`` and the standard
        errors of the estimates (``betweenness_standard_error`` and
        ``closeness_standard_error``, each a ``mean`` and ``max`` over
        organizations, in the units of the measure); ``timings``: seconds
        per stage.

    Examples
    --------
    >>> result = compute_network(
    ...     [OrganizationRow(1, "A", "Health", responded=True),
    ...      OrganizationRow(2, "B", "Housing")],
    ...     [NominationRow(1, 2)],
    ... )
    >>> result.organizations[2]["in_degree"], result.ties[0]["confirmed"]
    (1, False)
    """
    with _collector_paused():
        return _compute(
            organizations, nominations, previous_positions, sample_size, seed, progress
        )


def _compute(
    organizations, nominations, previous_positions, sample_size, seed, progress
):
    stages = _Stages(progress)
    G = build_graph(organizations, nominations)
    ids = list(G)
    g, u = to_igraph(G)
    n = len(ids)
    stages.done("graph", 5)

    ties = derive_ties(G)
    stages.done("ties", 10)

    k = _sample_size(n, sample_size)
    sources = measures.sample_sources(n, k, seed) if k else None
    between, between_error = measures.betweenness(g, sources)
    stages.done("betweenness", 45)
    closeness, closeness_error = measures.harmonic_closeness(u, sources)
    stages.done("closeness", 60)
    rank = measures.pagerank(g)
    stages.done("pagerank", 63)
    core = measures.core_numbers(u)
    stages.done("core", 65)
    component, component_sizes = measures.components(u)
    stages.done("components", 67)
    community, modularity = measures.communities(u, seed)
    stages.done("community", 72)

    found = brokerage.triangles(u)
    constraint, effective = brokerage.structural_holes(u, found)
    stages.done("constraint", 78)
    sectors = sorted({s for _, s in G.nodes.data("sector") if s is not None})
    codes = {name: i for i, name in enumerate(sectors)}
    groups = [codes.get(G.nodes[node]["sector"], -1) for node in ids]
    roles = brokerage.gould_fernandez(g, groups, found)
    stages.done("brokerage", 83)

    coords = map_layout(u, ids, previous_positions, seed)
    stages.done("layout", 90)

    degree = np.asarray(u.degree())
    in_degree, out_degree = g.indegree(), g.outdegree()
    positions = measures.classify_positions(degree, between, constraint)
    from_others = _one_sided_from_others(ties, ids)
    rows = {}
    for i, node in enumerate(ids):
        attrs = G.nodes[node]
        rows[node] = {
            "name": attrs["name"],
            "sector": attrs["sector"],
            "on_roster": attrs["on_roster"],
            "responded": attrs["responded"],
            "in_degree": in_degree[i],
            "out_degree": out_degree[i],
            "degree": int(degree[i]),
            "betweenness": float(between[i]),
            "closeness": float(closeness[i]),
            "pagerank": float(rank[i]),
            "core": int(core[i]),
            "component": int(component[i]),
            "community": int(community[i]),
            "constraint": _optional(constraint[i]),
            "effective_size": _optional(effective[i]),
            "brokerage": dict(zip(brokerage.ROLES, roles[i].tolist(), strict=True)),
            "position": positions[i],
            "reported_by_others": bool(
                degree[i] > 0
                and (not attrs["responded"] or from_others[i] > degree[i] / 2)
            ),
            "x": float(coords[i, 0]),
            "y": float(coords[i, 1]),
        }
    stages.done("organizations", 92)

    result_figures = {
        "reconstructed": figures.round_figures(
            g,
            u,
            component_sizes=component_sizes,
            modularity=modularity,
            path_sample_size=_path_sample_size(n, k),
            seed=seed,
        ),
        "respondents": _respondent_figures(G, g, seed, k),
        "mixing": figures.mixing(dict(G.nodes.data("sector")), ties),
        "sampling": _sampling(n, sources, between_error, closeness_error),
    }
    stages.done("figures", 100)

    logger.info(
        "computed network: %d organizations, %d ties in %.1f s",
        n,
        len(ties),
        sum(stages.timings.values()),
    )
    return NetworkResult(rows, ties, result_figures, stages.timings)


def _one_sided_from_others(ties, ids):
    index = {node: i for i, node in enumerate(ids)}
    counts = np.zeros(len(ids), dtype=int)
    for tie in ties:
        if not tie["confirmed"]:
            counts[index[tie["target"]]] += 1
    return counts


def _path_sample_size(n, k):
    """Return the sources for the average path length; None for exact.

    It costs as much as exact closeness again, so above
    ``PATH_EXACT_LIMIT`` organizations it is estimated from ``PATH_SAMPLE``
    sources (or the sample used for betweenness, when sampling).
    """
    if k:
        return k
    return PATH_SAMPLE if n > PATH_EXACT_LIMIT else None


def _respondent_figures(G, g, seed, k):
    """Return the round figures of the graph among respondents only."""
    chosen = [i for i, node in enumerate(G) if G.nodes[node]["responded"]]
    sub = g.induced_subgraph(chosen)
    u = sub.as_undirected(mode="collapse")
    return figures.round_figures(
        sub, u, path_sample_size=_path_sample_size(len(chosen), k), seed=seed
    )


def _sampling(n, sources, between_error, closeness_error):
    """Describe the sampled estimate, or None when measures are exact."""
    if sources is None:
        return None
    return {
        "sources": len(sources),
        "organizations": n,
        "method": "betweenness and harmonic closeness from sampled sources, "
        "scaled by n / sources (Brandes and Pich 2007)",
        "betweenness_standard_error": {
            "mean": float(between_error.mean()),
            "max": float(between_error.max()),
        },
        "closeness_standard_error": {
            "mean": float(closeness_error.mean()),
            "max": float(closeness_error.max()),
        },
    }
