"""Map positions that stay put from one rebuild to the next."""

import logging

import numpy as np

from network.measures import seeded_igraph

logger = logging.getLogger(__name__)

FRESH_ITERATIONS = 500
SEEDED_ITERATIONS = 10
SEEDED_STEP = 0.005


def starting_positions(u, ids, previous_positions, rng, scale):
    """Return starting coordinates and a mask of those from the previous map.

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
    kept = np.isfinite(start[:, 0])

    if kept.any():
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

    The box spanned by the 1st and 99th percentiles of each axis is mapped
    onto ``[-1, 1]`` with its aspect ratio kept, and the few organizations
    outside it (isolates and small fragments that a force-directed layout
    pushes far away) are clipped onto its border, so one outlier cannot
    shrink the whole map.
    """
    coords = np.asarray(coords, dtype=float).reshape(-1, 2)
    if len(coords) == 0:
        return coords
    low, high = np.percentile(coords, [1, 99], axis=0)
    half = (high - low).max() / 2
    centred = coords - (low + high) / 2
    if half <= 0:
        return np.zeros_like(coords)
    return np.clip(centred / half, -1.0, 1.0)


def align(coords, previous, kept):
    """Return ``coords`` moved to best match the previous positions.

    The scale ``s``, rotation or reflection ``R`` and shift ``t`` minimize
    :math:`\\sum_i \\lVert s R x_i + t - p_i \\rVert^2` over the
    organizations with a previous position (orthogonal Procrustes [1]_), so
    the map keeps its frame from one rebuild to the next; the result is
    clipped into the ``[-1, 1]`` box. igraph may hand back a rotated or
    mirrored layout, which this undoes.

    References
    ----------
    .. [1] Schonemann, P. H. (1966). A generalized solution of the
       orthogonal Procrustes problem. Psychometrika 31(1), 1-10.
    """
    x, p = coords[kept], previous[kept]
    x_mean, p_mean = x.mean(axis=0), p.mean(axis=0)
    x, p = x - x_mean, p - p_mean
    left, singular, right = np.linalg.svd(x.T @ p)
    rotation = left @ right
    spread = (x**2).sum()
    scale = singular.sum() / spread if spread > 0 else 1.0
    return np.clip(scale * (coords - x_mean) @ rotation + p_mean, -1.0, 1.0)


def map_layout(u, ids, previous_positions=None, seed=42):
    """Return map positions, one ``(x, y)`` per organization in ``[-1, 1]``.

    Fruchterman-Reingold force-directed placement [1]_ on the undirected tie
    graph (igraph, grid-based above 1,000 organizations). Without previous
    positions it starts from a uniform random placement drawn from ``seed``,
    runs ``FRESH_ITERATIONS`` iterations and is scaled by :func:`normalize`.
    With previous positions, known organizations start where they were and
    new ones next to their partners; the run is short and cool
    (``SEEDED_ITERATIONS`` iterations, each moving an organization by at
    most ``SEEDED_STEP`` of the map's half-width) and the result is
    :func:`align`-ed to the previous map, so a rebuild moves organizations
    little. The same graph, previous positions and seed give the same map.

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
    if n < 2:
        return np.zeros((n, 2))
    rng = np.random.default_rng(seed)
    scale = np.sqrt(n) / 2
    start, kept = starting_positions(u, ids, previous_positions, rng, scale)
    options = {"niter": FRESH_ITERATIONS, "grid": "auto"}
    if kept.any():
        options.update(niter=SEEDED_ITERATIONS, start_temp=SEEDED_STEP * scale)
    with seeded_igraph(seed):
        layout = u.layout_fruchterman_reingold(seed=start.tolist(), **options)
    coords = np.asarray(layout.coords, dtype=float)
    if kept.any():
        return align(coords, start / scale, kept)
    return normalize(coords)
