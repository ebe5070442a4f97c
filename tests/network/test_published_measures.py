"""Each per-organization measure equals networkx on published networks."""

import networkx as nx
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from network.engine import compute_network
from tests.network.published import PUBLISHED, as_rows, oriented

CASES = [(name, kind) for name in PUBLISHED for kind in ("mutual", "oriented")]
_results = {}


def computed(name, kind):
    """Return ``(D, U, result)``: the digraph, its tie graph, the engine's result."""
    if (name, kind) not in _results:
        G = PUBLISHED[name]()
        D = G.to_directed() if kind == "mutual" else oriented(G)
        U = D.to_undirected()
        _results[name, kind] = D, U, compute_network(*as_rows(D))
    return _results[name, kind]


def measure(result, key):
    return {node: row[key] for node, row in result.organizations.items()}


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_degrees_count_distinct_partners(name, kind):
    D, _, result = computed(name, kind)

    assert measure(result, "in_degree") == dict(D.in_degree())
    assert measure(result, "out_degree") == dict(D.out_degree())


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_betweenness_equals_networkx_normalized_directed(name, kind):
    D, _, result = computed(name, kind)

    expected = nx.betweenness_centrality(D, normalized=True)

    assert measure(result, "betweenness") == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_closeness_is_harmonic_centrality_over_n_minus_one(name, kind):
    _, U, result = computed(name, kind)

    n = len(U)
    expected = {v: c / (n - 1) for v, c in nx.harmonic_centrality(U).items()}

    assert measure(result, "closeness") == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_pagerank_equals_networkx(name, kind):
    D, _, result = computed(name, kind)

    # nx.pagerank needs scipy; this is networkx's own pure-Python version.
    expected = _pagerank_python(D, alpha=0.85, tol=1e-13, max_iter=10_000, weight=None)

    assert measure(result, "pagerank") == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_core_number_equals_networkx(name, kind):
    _, U, result = computed(name, kind)

    assert measure(result, "core") == nx.core_number(U)


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_components_are_weak_components_numbered_from_the_largest(name, kind):
    D, _, result = computed(name, kind)

    component = measure(result, "component")
    expected = sorted(nx.weakly_connected_components(D), key=len, reverse=True)
    found = [{v for v, c in component.items() if c == i} for i in range(len(expected))]

    assert [len(c) for c in found] == [len(c) for c in expected]
    assert sorted(map(sorted, found)) == sorted(map(sorted, expected))
    assert result.figures["reconstructed"]["component_sizes"] == [
        len(c) for c in expected
    ]


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_constraint_and_effective_size_equal_networkx(name, kind):
    _, U, result = computed(name, kind)

    assert measure(result, "constraint") == pytest.approx(nx.constraint(U), abs=1e-6)
    assert measure(result, "effective_size") == pytest.approx(
        nx.effective_size(U), abs=1e-6
    )


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_modularity_is_of_the_reported_partition_and_as_good_as_networkx(name, kind):
    _, U, result = computed(name, kind)

    community = measure(result, "community")
    partition = [
        {v for v, c in community.items() if c == i}
        for i in range(max(community.values()) + 1)
    ]
    reported = result.figures["reconstructed"]["modularity"]
    louvain = nx.community.louvain_communities(U, weight=None, seed=42)

    assert reported == pytest.approx(
        nx.community.modularity(U, partition, weight=None), abs=1e-6
    )
    assert reported >= nx.community.modularity(U, louvain, weight=None) - 0.02


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_round_figures_equal_networkx(name, kind):
    D, U, result = computed(name, kind)

    figures = result.figures["reconstructed"]
    giant = U.subgraph(max(nx.connected_components(U), key=len))

    assert figures["density"] == pytest.approx(nx.density(U))
    assert figures["reciprocity"] == pytest.approx(nx.overall_reciprocity(D))
    assert figures["transitivity"] == pytest.approx(nx.transitivity(U))
    assert figures["average_path_length"] == pytest.approx(
        nx.average_shortest_path_length(giant)
    )
