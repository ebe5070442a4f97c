"""Betweenness and harmonic closeness against a brute-force implementation.

The brute force enumerates every shortest path with a breadth-first search
and counts, for each pair, the share of those paths through each vertex.
"""

import itertools
import random
from collections import deque

import pytest

from network.engine import NominationRow, OrganizationRow, compute_network


def distances_from(adjacency, source):
    distance = {source: 0}
    queue = deque([source])
    while queue:
        v = queue.popleft()
        for w in adjacency[v]:
            if w not in distance:
                distance[w] = distance[v] + 1
                queue.append(w)
    return distance


def shortest_paths(adjacency, source, target):
    """Return every shortest path from ``source`` to ``target``."""
    distance = distances_from(adjacency, source)
    if target not in distance:
        return []
    paths = [[source]]
    for _ in range(distance[target]):
        paths = [
            [*path, w]
            for path in paths
            for w in adjacency[path[-1]]
            if distance.get(w) == distance[path[-1]] + 1
        ]
    return [path for path in paths if path[-1] == target]


def brute_force(n, arcs):
    out = {v: [] for v in range(n)}
    both = {v: set() for v in range(n)}
    for a, b in arcs:
        out[a].append(b)
        both[a].add(b)
        both[b].add(a)

    betweenness = dict.fromkeys(range(n), 0.0)
    for s, t in itertools.permutations(range(n), 2):
        paths = shortest_paths(out, s, t)
        for path in paths:
            for v in path[1:-1]:
                betweenness[v] += 1 / len(paths)
    scale = 1 / ((n - 1) * (n - 2)) if n > 2 else 0
    harmonic = {
        v: sum(1 / d for d in distances_from(both, v).values() if d) / (n - 1)
        for v in range(n)
    }
    return {v: b * scale for v, b in betweenness.items()}, harmonic


@pytest.mark.parametrize("seed", range(30))
def test_engine_agrees_with_brute_force_on_random_graphs(seed):
    rng = random.Random(seed)
    n = rng.randint(2, 12)
    arcs = {
        (a, b)
        for a, b in itertools.permutations(range(n), 2)
        if rng.random() < rng.choice([0.1, 0.25, 0.5])
    }
    organizations = [OrganizationRow(v, str(v), None, responded=True) for v in range(n)]

    result = compute_network(organizations, [NominationRow(a, b) for a, b in arcs])
    betweenness, harmonic = brute_force(n, arcs)

    for v in range(n):
        row = result.organizations[v]
        assert row["betweenness"] == pytest.approx(betweenness[v], abs=1e-9)
        assert row["closeness"] == pytest.approx(harmonic[v], abs=1e-9)
