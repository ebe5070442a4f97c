"""Gould-Fernandez brokerage roles, worked by hand and by brute force."""

import random

import networkx as nx
import numpy as np
import pytest

from network.brokerage import ROLES, gould_fernandez
from network.engine import NominationRow, OrganizationRow, compute_network
from network.graph import to_igraph

SECTORS = {
    "A": "Health",
    "B": "Health",
    "F": "Health",
    "C": "Housing",
    "D": "Housing",
    "G": "Housing",
    "E": "Education",
}
ARCS = [
    ("A", "B"),
    ("A", "C"),
    ("B", "C"),
    ("C", "B"),
    ("C", "D"),
    ("D", "E"),
    ("E", "B"),
    ("B", "F"),
    ("E", "G"),
]


def hand_example():
    organizations = [
        OrganizationRow(n, n, s, responded=True) for n, s in SECTORS.items()
    ]
    return compute_network(organizations, [NominationRow(a, b) for a, b in ARCS])


def roles_of(result, node):
    return result.organizations[node]["brokerage"]


def test_b_coordinates_gatekeeps_and_liaises():
    """Worked from the definition, broker B (Health), in {A, C, E}, out {C, F}.

    A->B->C is closed by A->C; C->B->C returns to C; A->B->F is all Health
    (coordinator); C->B->F and E->B->F come from outside into Health
    (gatekeeper, twice); E->B->C joins three sectors (liaison).
    """
    assert roles_of(hand_example(), "B") == {
        "coordinator": 1,
        "gatekeeper": 2,
        "representative": 0,
        "consultant": 0,
        "liaison": 1,
    }


def test_c_gatekeeps_twice_and_the_closed_path_does_not_count():
    """C (Housing), in {A, B}, out {B, D}: A->C->B is closed by A->B,
    B->C->B returns, A->C->D and B->C->D bring Health into Housing."""
    assert roles_of(hand_example(), "C") == {
        "coordinator": 0,
        "gatekeeper": 2,
        "representative": 0,
        "consultant": 0,
        "liaison": 0,
    }


def test_d_represents_housing_and_e_consults_and_liaises():
    """C->D->E: Housing to Education through Housing (representative).
    D->E->G: Housing to Housing through Education (consultant);
    D->E->B: Housing to Health through Education (liaison)."""
    result = hand_example()

    assert roles_of(result, "D")["representative"] == 1
    assert sum(roles_of(result, "D").values()) == 1
    assert roles_of(result, "E") == {
        "coordinator": 0,
        "gatekeeper": 0,
        "representative": 0,
        "consultant": 1,
        "liaison": 1,
    }


def test_organizations_without_two_paths_broker_nothing():
    result = hand_example()

    for node in ("A", "F", "G"):
        assert sum(roles_of(result, node).values()) == 0


def brute_force(D, groups):
    """Count roles by walking every two-path a -> b -> c."""
    index = {node: i for i, node in enumerate(D)}
    counts = np.zeros((len(D), len(ROLES)), dtype=int)
    for b in D:
        for a in D.predecessors(b):
            for c in D.successors(b):
                if a == c or D.has_edge(a, c):
                    continue
                ga, gb, gc = (groups[index[x]] for x in (a, b, c))
                if min(ga, gb, gc) < 0:
                    continue
                if ga == gb == gc:
                    role = "coordinator"
                elif gb == gc:
                    role = "gatekeeper"
                elif ga == gb:
                    role = "representative"
                elif ga == gc:
                    role = "consultant"
                else:
                    role = "liaison"
                counts[index[b], ROLES.index(role)] += 1
    return counts


@pytest.mark.parametrize("seed", range(40))
def test_vectorized_counts_equal_walking_every_two_path(seed):
    rng = random.Random(seed)
    D = nx.gnp_random_graph(rng.randint(1, 25), rng.random() * 0.4, seed, True)
    groups = [rng.randint(-1, 3) for _ in D]
    g, u = to_igraph(D)

    assert (gould_fernandez(g, groups, u=u) == brute_force(D, groups)).all()
