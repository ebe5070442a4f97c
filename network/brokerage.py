"""Brokerage: Burt's structural holes and Gould-Fernandez brokerage roles.

Both are computed from edge and triangle lists with numpy rather than per
ego, which keeps them linear in the number of ties and triangles.
"""

import logging

import numpy as np

logger = logging.getLogger(__name__)

ROLES = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")


def triangles(u):
    """Return the triangles of the undirected graph ``u`` as a ``(t, 3)`` array."""
    found = u.list_triangles()
    return np.array(found, dtype=np.int64).reshape(-1, 3)


def _edge_ids(keys, n, a, b):
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    return np.searchsorted(keys, lo * n + hi)


def structural_holes(u, found=None):
    """Return Burt's constraint and effective size on the undirected tie graph.

    Ties are unweighted, so the proportion of ``i``'s ties invested in ``j``
    is :math:`p_{ij} = 1/k_i` for each of its ``k_i`` partners. Constraint
    [1]_ is

    .. math:: C_i = \\sum_{j \\in N(i)} \\Big(p_{ij} +
              \\sum_{q \\ne i, j} p_{iq} p_{qj}\\Big)^2
            = \\sum_{j \\in N(i)} \\Big(\\frac{1 + S_{ij}}{k_i}\\Big)^2,
      \\quad S_{ij} = \\sum_{q \\in N(i) \\cap N(j)} \\frac{1}{k_q}

    and effective size [2]_ is :math:`k_i - 2 t_i / k_i`, where ``t_i`` is
    the number of ties among ``i``'s partners (its triangles). Both equal
    ``networkx.constraint`` and ``networkx.effective_size`` on an unweighted
    undirected graph. Isolates have neither: their entry is NaN.

    Parameters
    ----------
    u : igraph.Graph
        Undirected simple graph.
    found : numpy.ndarray, optional
        Its triangles, from :func:`triangles`, when already computed.

    Returns
    -------
    constraint, effective_size : numpy.ndarray

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of
       Competition. Harvard University Press.
    .. [2] Borgatti, S. P. (1997). Structural holes: unpacking Burt's
       redundancy measures. Connections 20(1), 35-38.
    """
    n = u.vcount()
    found = triangles(u) if found is None else found
    k = np.asarray(u.degree(), dtype=float)
    edges = np.array(u.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    keys = np.minimum(edges[:, 0], edges[:, 1]) * n + np.maximum(
        edges[:, 0], edges[:, 1]
    )
    order = np.argsort(keys)
    keys, edges = keys[order], edges[order]

    shared = np.zeros(len(edges))
    for x, y, q in ((0, 1, 2), (0, 2, 1), (1, 2, 0)):
        ids = _edge_ids(keys, n, found[:, x], found[:, y])
        shared += np.bincount(ids, weights=1.0 / k[found[:, q]], minlength=len(edges))

    constraint = np.zeros(n)
    for end in (0, 1):
        i = edges[:, end]
        constraint += np.bincount(i, weights=((1.0 + shared) / k[i]) ** 2, minlength=n)
    closed = np.bincount(found.ravel(), minlength=n).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = k - 2.0 * closed / k
    isolate = k == 0
    constraint[isolate] = np.nan
    effective[isolate] = np.nan
    return constraint, effective


def _role_masks(ga, gb, gc):
    same_ab, same_bc, same_ac = ga == gb, gb == gc, ga == gc
    return (
        same_ab & same_bc,
        ~same_ab & same_bc,
        same_ab & ~same_bc,
        same_ac & ~same_ab,
        ~same_ab & ~same_bc & ~same_ac,
    )


def gould_fernandez(g, groups, found=None, u=None):
    """Return Gould-Fernandez brokerage role counts by group.

    Organization ``b`` brokers each open two-path :math:`a \\to b \\to c` of
    the directed nomination graph with ``a != c`` and no arc
    :math:`a \\to c` (a tie ``a`` already has needs no broker) [1]_. The
    path counts toward one role by the groups (sectors) of ``a``, ``b``,
    ``c``:

    - coordinator: all three in one group;
    - gatekeeper: ``a`` in another group, ``b`` and ``c`` in the same;
    - representative: ``a`` and ``b`` in the same group, ``c`` in another;
    - consultant: ``a`` and ``c`` in the same group, ``b`` in another;
    - liaison: all three in different groups.

    Two-paths through an organization without a group (negative code) are
    not counted.

    Parameters
    ----------
    g : igraph.Graph
        Directed simple graph.
    groups : array of int
        Group code per vertex; negative for unknown.
    found : numpy.ndarray, optional
        Triangles of the undirected graph, from :func:`triangles`.
    u : igraph.Graph, optional
        The undirected graph, used to list triangles when ``found`` is None.

    Returns
    -------
    counts : numpy.ndarray
        Shape ``(n, 5)``, columns in the order of ``ROLES``.

    References
    ----------
    .. [1] Gould, R. V., Fernandez, R. M. (1989). Structures of mediation: a
       formal approach to brokerage in transaction networks. Sociological
       Methodology 19, 89-126.
    """
    n = g.vcount()
    groups = np.asarray(groups, dtype=np.int64)
    arcs = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    counts = np.zeros((n, len(ROLES)))
    if n == 0 or len(arcs) == 0:
        return counts.astype(int)
    if found is None:
        found = triangles(u if u is not None else g.as_undirected(mode="collapse"))

    size = int(groups.max()) + 1 if groups.max() >= 0 else 1
    into = np.zeros((n, size))
    out = np.zeros((n, size))
    src, dst = arcs[:, 0], arcs[:, 1]
    known = (groups[src] >= 0) & (groups[dst] >= 0)
    np.add.at(into, (dst[known], groups[src[known]]), 1)
    np.add.at(out, (src[known], groups[dst[known]]), 1)

    rows = np.arange(n)
    own = np.where(groups >= 0, groups, 0)
    i_own, o_own = into[rows, own], out[rows, own]
    i_all, o_all = into.sum(axis=1), out.sum(axis=1)
    matched = (into * out).sum(axis=1) - i_own * o_own
    counts[:, 0] = i_own * o_own
    counts[:, 1] = (i_all - i_own) * o_own
    counts[:, 2] = i_own * (o_all - o_own)
    counts[:, 3] = matched
    counts[:, 4] = (i_all - i_own) * (o_all - o_own) - matched

    # a == c: the pair named each other; a -> b -> a is no two-path.
    keys = np.sort(src * n + dst)
    back = _has(keys, dst * n + src) & known
    _subtract(counts, src[back], dst[back], src[back], groups)

    # a -> c exists: the two-path is closed and needs no broker.
    for x, y, z in ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)):
        a, b, c = found[:, x], found[:, y], found[:, z]
        closed = _has(keys, a * n + b) & _has(keys, b * n + c) & _has(keys, a * n + c)
        closed &= (groups[a] >= 0) & (groups[b] >= 0) & (groups[c] >= 0)
        _subtract(counts, a[closed], b[closed], c[closed], groups)

    counts[groups < 0] = 0
    return np.rint(counts).astype(int)


def _has(keys, wanted):
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return keys[at] == wanted


def _subtract(counts, a, b, c, groups):
    for role, mask in enumerate(_role_masks(groups[a], groups[b], groups[c])):
        np.subtract.at(counts[:, role], b[mask], 1)
