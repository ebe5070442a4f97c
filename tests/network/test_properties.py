"""Properties that hold for every network, checked on random ones."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network.engine import NominationRow, OrganizationRow, compute_network

PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
SECTORS = ["Health", "Housing", "Education", None]


@st.composite
def rounds(draw):
    """Draw organizations (some responding, some write-ins) and nominations."""
    n = draw(st.integers(1, 18))
    organizations = [
        OrganizationRow(
            i if i < n - 1 or n == 1 else f"write-in:{i}",
            f"Organization {i}",
            draw(st.sampled_from(SECTORS)),
            on_roster=i < n - 1 or n == 1,
            responded=draw(st.booleans()),
        )
        for i in range(n)
    ]
    ids = [row.id for row in organizations]
    pairs = list(itertools.permutations(ids, 2))
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=60)) if pairs else []
    nominations = [
        NominationRow(
            a,
            b,
            draw(st.sampled_from(["communication", "coordination", "collaboration"])),
            sends_referrals=draw(st.booleans()),
        )
        for a, b in chosen
    ]
    return organizations, nominations


@PROPERTY
@given(rounds())
def test_measures_stay_in_their_ranges(region):
    result = compute_network(*region)

    rows = result.organizations.values()
    n = len(result.organizations)
    assert all(0 <= row["betweenness"] <= 1 for row in rows)
    assert all(0 <= row["closeness"] <= 1 for row in rows)
    assert sum(row["pagerank"] for row in rows) == pytest.approx(1)
    assert sum(result.figures["reconstructed"]["component_sizes"]) == n
    assert 0 <= result.figures["reconstructed"]["fragmentation"] <= 1
    ei = result.figures["mixing"]["ei_index"]
    assert ei is None or -1 <= ei <= 1
    for value in result.figures["mixing"]["ei_by_sector"].values():
        assert value is None or -1 <= value <= 1


@PROPERTY
@given(rounds())
def test_degrees_count_distinct_partners(region):
    organizations, nominations = region

    result = compute_network(organizations, nominations)

    arcs = {(n.source, n.target) for n in nominations if n.source != n.target}
    for node, row in result.organizations.items():
        assert row["out_degree"] == sum(1 for a, _ in arcs if a == node)
        assert row["in_degree"] == sum(1 for _, b in arcs if b == node)


@PROPERTY
@given(rounds())
def test_a_tie_is_confirmed_exactly_when_both_named_each_other(region):
    organizations, nominations = region

    result = compute_network(organizations, nominations)

    arcs = {(n.source, n.target) for n in nominations if n.source != n.target}
    pairs = {frozenset(arc) for arc in arcs}
    assert len(result.ties) == len(pairs)
    for tie in result.ties:
        forward = (tie["source"], tie["target"]) in arcs
        backward = (tie["target"], tie["source"]) in arcs
        assert tie["confirmed"] == (forward and backward)


@PROPERTY
@given(rounds())
def test_isolates_have_no_constraint_and_a_position_of_isolate(region):
    result = compute_network(*region)

    for row in result.organizations.values():
        isolated = row["in_degree"] == 0 and row["out_degree"] == 0
        assert (row["constraint"] is None) == isolated
        assert (row["position"] == "isolate") == isolated
        assert not np.isnan(row["closeness"])
