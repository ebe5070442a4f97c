"""Map positions that stay put from one rebuild to the next."""

import logging

import numpy as np

from network.measures import seeded_igraph

logger = logging.getLogger(__name__)

FRESH_ITERATIONS = 500
SEEDED_ITERATIONS = 150


def starting_positions(u, ids, previous_positions, rng, scale):
    """Return starting coordinates and how many came from the previous map.

    An organization keeps its previous position. A new one starts at the
    mean position of its already placed partners (a few passes, so chains
    of new organizations follow), nudged a little; one with no placed
    partner starts at random in the box.
    """
    n = len(ids)
    start = np.full((n, 2), np.nan)
    previous_positions = previous_positions or {}
    for i, node in enumerate(ids):
        if node in previous_positions:
            x, y = previous_positions[node]
            start[i] = (float(x) * scale, float(y) * scale)
    kept = int(np.isfinite(start[:, 0]).sum())

    if kept:
        neighbours = u.get_adjlist()
        for _ in range(3):
            missing = np.flatnonzero(np.isnan(start[:, 0]))
            if not len(missing):
                break
            for i in missing:
                placed = [j for j in neighbours[i] if np.isfinite(start[j, 0])]
                if placed:
                    jitter = rng.normal(0.0, 0.05 * scale, 2)
                    start[i] = start[placed].mean(axis=0) + jitter
    missing = np.isnan(start[:, 0])
    start[missing] = rng.uniform(-scale, scale, (int(missing.sum()), 2))
    return start, kept


def normalize(coords):
    """Return ``coords`` centred and scaled into the ``[-1, 1]`` box.

    The aspect ratio is kept: the longer side spans ``[-1, 1]``.
    """
    coords = np.asarray(coords, dtype=float).reshape(-1, 2)
    if len(coords) == 0:
        return coords
    low, high = coords.min(axis=0), coords.max(axis=0)
    half = (high - low).max() / 2
    centred = coords - (low + high) / 2
    return centred / half if half > 0 else centred


def map_layout(u, ids, previous_positions=None, seed=42):
    """Return map positions, one ``(x, y)`` per organization in ``[-1, 1]``.

    Fruchterman-Reingold force-directed placement [1]_ on the undirected tie
    graph (igraph, grid-based above 1,000 organizations), started from the
    previous map when there is one so rebuilds move organizations little:
    known organizations start where they were, new ones next to their
    partners, and the run is shorter and cooler (``SEEDED_ITERATIONS``
    iterations, a tenth of the default start temperature). Without previous
    positions it starts from a uniform random placement drawn from
    ``seed`` and runs ``FRESH_ITERATIONS`` iterations. The same graph,
    previous positions and seed give the same map.

    Parameters
    ----------
    u : igraph.Graph
        Undirected tie graph.
    ids : list
        Organization id of each vertex.
    previous_positions : dict, optional
        Organization id -> ``(x, y)`` in ``[-1, 1]`` from the last map.
    seed : int

    Returns
    -------
    coords : numpy.ndarray
        Shape ``(n, 2)``.

    References
    ----------
    .. [1] Fruchterman, T. M. J., Reingold, E. M. (1991). Graph drawing by
       force-directed placement. Software: Practice and Experience 21(11),
       1129-1164.
    """
    n = u.vcount()
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.zeros((1, 2))
    rng = np.random.default_rng(seed)
    scale = np.sqrt(n)
    start, kept = starting_positions(u, ids, previous_positions, rng, scale)
    options = {"niter": FRESH_ITERATIONS, "grid": "auto"}
    if kept:
        options.update(niter=SEEDED_ITERATIONS, start_temp=np.sqrt(n) / 100)
    with seeded_igraph(seed):
        layout = u.layout_fruchterman_reingold(seed=start.tolist(), **options)
    return normalize(layout.coords)
