"""Generate realistic synthetic regions for benchmarks and tests.

A region is a set of organizations in sectors, grouped in dense clusters
(a neighbourhood, a coalition) with a few ties between nearby clusters, a
few brokers with ties across the region, about ``ties_per_organization``
ties each, 70% respondents, some confirmed ties and some write-ins. The
same arguments always give the same region.

Run ``python -m bench.synthetic 2000`` to print a region's summary.
"""

import sys

import numpy as np

from network.engine import NominationRow, OrganizationRow

SECTORS = (
    "Health",
    "Housing",
    "Education",
    "Employment",
    "Food security",
    "Justice",
    "Youth",
    "Older adults",
    "Government",
    "Philanthropy",
)
LEVELS = ("communication", "coordination", "collaboration")
SHARING = ("none", "aggregate", "record")
AGREEMENTS = ("none", "in_progress", "signed")


def _clusters(n, rng):
    sizes = []
    while sum(sizes) < n:
        sizes.append(int(rng.integers(15, 80)))
    sizes[-1] -= sum(sizes) - n
    sizes = [s for s in sizes if s > 0]
    starts = np.cumsum([0, *sizes[:-1]])
    cluster = np.repeat(np.arange(len(sizes)), sizes)
    return cluster, np.asarray(starts), np.asarray(sizes)


def _pairs(n, ties_per_organization, cluster, starts, sizes, rng):
    """Return unique unordered pairs ``(a, b)`` with ``a < b``."""
    observed_share = 1 - 0.3**2
    # About a tenth of the drawn pairs repeat inside small clusters.
    mean = 1.12 * ties_per_organization / observed_share
    initiated = rng.poisson(mean, n)
    brokers = rng.choice(n, max(1, n // 100), replace=False)
    initiated[brokers] += 30
    a = np.repeat(np.arange(n), initiated)
    c = cluster[a]
    kind = rng.random(len(a))
    near = np.clip(c + rng.integers(-3, 4, len(a)), 0, len(sizes) - 1)
    home = np.where(kind < 0.8, c, near)
    b = starts[home] + (rng.random(len(a)) * sizes[home]).astype(np.int64)
    far = (kind > 0.97) | np.isin(a, brokers)
    b[far] = rng.integers(0, n, int(far.sum()))
    keep = a != b
    lo, hi = np.minimum(a, b)[keep], np.maximum(a, b)[keep]
    keys = np.unique(lo * n + hi)
    return keys // n, keys % n


def generate_region(organizations=2000, ties_per_organization=10, seed=1):
    """Return ``(organization_rows, nomination_rows)`` of a synthetic region.

    Parameters
    ----------
    organizations : int
        Organizations on the roster; write-ins come on top (about 5%).
    ties_per_organization : float
        Observed ties per organization, about; the region has
        ``organizations * ties_per_organization`` ties.
    seed : int
    """
    rng = np.random.default_rng(seed)
    n = organizations
    cluster, starts, sizes = _clusters(n, rng)
    main = rng.integers(0, len(SECTORS), len(sizes))
    sector = np.where(
        rng.random(n) < 0.65, main[cluster], rng.integers(0, len(SECTORS), n)
    )
    responded = rng.random(n) < 0.7

    a, b = _pairs(n, ties_per_organization, cluster, starts, sizes, rng)
    both = responded[a] & responded[b]
    confirmed = both & (rng.random(len(a)) < 0.45)
    a_reports = np.where(both, rng.random(len(a)) < 0.5, responded[a]) | confirmed
    b_reports = np.where(both, ~a_reports, responded[b]) | confirmed
    sources = np.concatenate([a[a_reports], b[b_reports]])
    targets = np.concatenate([b[a_reports], a[b_reports]])

    respondents = np.flatnonzero(responded)
    write_ins = max(5, n // 20)
    extra = int(0.03 * len(sources)) if len(respondents) else 0
    write_in_sources = rng.choice(respondents, extra) if extra else np.zeros(0, int)
    write_in_targets = np.minimum(rng.zipf(1.6, extra) - 1, write_ins - 1)

    rows = [
        OrganizationRow(
            int(i) + 1,
            f"Organization {i + 1}",
            SECTORS[sector[i]],
            responded=bool(responded[i]),
        )
        for i in range(n)
    ]
    rows += [
        OrganizationRow(f"write-in:{k}", f"Write-in {k}", None, on_roster=False)
        for k in range(write_ins)
    ]
    ids = [row.id for row in rows]
    all_sources = np.concatenate([sources, write_in_sources]).astype(np.int64)
    all_targets = np.concatenate([targets, n + write_in_targets]).astype(np.int64)
    return rows, _nominations(ids, all_sources, all_targets, rng)


def _nominations(ids, sources, targets, rng):
    m = len(sources)
    level = rng.choice(3, m, p=[0.5, 0.35, 0.15])
    sends = rng.random(m) < 0.25
    receives = rng.random(m) < 0.25
    sharing = np.where(level == 0, 0, rng.choice(3, m, p=[0.5, 0.35, 0.15]))
    agreement = np.where(sharing == 0, 0, rng.choice(3, m, p=[0.4, 0.2, 0.4]))
    deepen = rng.random(m) < 0.2
    return [
        NominationRow(
            ids[s],
            ids[t],
            LEVELS[lv],
            bool(se),
            bool(re),
            SHARING[sh],
            AGREEMENTS[ag],
            bool(de),
        )
        for s, t, lv, se, re, sh, ag, de in zip(
            sources.tolist(),
            targets.tolist(),
            level.tolist(),
            sends.tolist(),
            receives.tolist(),
            sharing.tolist(),
            agreement.tolist(),
            deepen.tolist(),
            strict=True,
        )
    ]


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    organization_rows, nomination_rows = generate_region(size)
    pairs = {frozenset((r.source, r.target)) for r in nomination_rows}
    print(
        f"{len(organization_rows)} organizations, {len(nomination_rows)} "
        f"nominations, {len(pairs)} ties"
    )
