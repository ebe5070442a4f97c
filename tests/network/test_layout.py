"""Map positions: inside the box, deterministic and stable across rebuilds."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synthetic import generate_region
from network.engine import NominationRow, compute_network


def positions(result):
    return np.array([(row["x"], row["y"]) for row in result.organizations.values()])


def test_positions_fill_the_box_from_minus_one_to_one():
    result = compute_network(*generate_region(300, seed=5))

    coords = positions(result)

    assert coords.min() >= -1
    assert coords.max() <= 1
    assert np.isclose(np.abs(coords).max(), 1)


def test_the_same_seed_gives_the_same_map():
    organizations, nominations = generate_region(300, seed=5)

    first = compute_network(organizations, nominations, seed=7)
    second = compute_network(organizations, nominations, seed=7)

    assert (positions(first) == positions(second)).all()


def test_adding_one_tie_moves_existing_organizations_little():
    organizations, nominations = generate_region(300, seed=5)
    before = compute_network(organizations, nominations)
    previous = {node: (r["x"], r["y"]) for node, r in before.organizations.items()}
    ids = list(before.organizations)

    after = compute_network(
        organizations, [*nominations, NominationRow(ids[0], ids[150])], previous
    )

    moves = np.linalg.norm(positions(after) - positions(before), axis=1)
    assert moves.mean() < 0.02
    assert moves.max() < 0.2


def test_a_new_organization_starts_next_to_its_partners():
    organizations, nominations = generate_region(300, seed=5)
    before = compute_network(organizations, nominations)
    previous = {node: (r["x"], r["y"]) for node, r in before.organizations.items()}
    partner = next(iter(before.organizations))

    after = compute_network(
        organizations,
        [*nominations, NominationRow(partner, "write-in:newcomer")],
        previous,
    )

    newcomer = after.organizations["write-in:newcomer"]
    near = after.organizations[partner]
    distance = np.hypot(newcomer["x"] - near["x"], newcomer["y"] - near["y"])
    assert distance < 0.2


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 199), st.integers(0, 199))
def test_any_added_tie_moves_the_map_little_and_deterministically(seed, a, b):
    organizations, nominations = generate_region(200, seed=seed)
    ids = [row.id for row in organizations]
    before = compute_network(organizations, nominations, seed=seed)
    previous = {node: (r["x"], r["y"]) for node, r in before.organizations.items()}
    grown = [*nominations, NominationRow(ids[a], ids[b])]

    after = compute_network(organizations, grown, previous, seed=seed)
    again = compute_network(organizations, grown, previous, seed=seed)

    moves = np.linalg.norm(positions(after) - positions(before), axis=1)
    assert moves.mean() < 0.05
    assert (positions(after) == positions(again)).all()
