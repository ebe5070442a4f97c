"""The engine's stages, sampling and determinism."""

import numpy as np
import pytest

from bench.synthetic import generate_region
from network.engine import compute_network


@pytest.fixture(scope="module")
def region():
    return generate_region(600, seed=11)


@pytest.fixture(scope="module")
def exact(region):
    return compute_network(*region)


def column(result, key):
    return np.array([row[key] for row in result.organizations.values()])


def test_small_networks_are_exact_and_say_so(exact):
    assert exact.figures["sampling"] is None
    assert exact.figures["reconstructed"]["average_path_length_sources"] is None


def test_sampled_measures_estimate_the_exact_ones(region, exact):
    sampled = compute_network(*region, sample_size=300)

    between = column(sampled, "betweenness") - column(exact, "betweenness")
    closeness = column(sampled, "closeness") - column(exact, "closeness")
    sampling = sampled.figures["sampling"]

    assert sampling["sources"] == 300
    assert sampling["organizations"] == len(exact.organizations)
    assert np.abs(closeness).mean() < 3 * sampling["closeness_standard_error"]["mean"]
    assert np.abs(between).mean() < 3 * sampling["betweenness_standard_error"]["mean"]
    assert sampled.figures["reconstructed"]["average_path_length"] == pytest.approx(
        exact.figures["reconstructed"]["average_path_length"], rel=0.05
    )


def test_a_sample_as_large_as_the_network_is_exact(region, exact):
    result = compute_network(*region, sample_size=10_000)

    assert result.figures["sampling"] is None
    assert (column(result, "betweenness") == column(exact, "betweenness")).all()


def test_the_same_seed_gives_the_same_communities(region, exact):
    again = compute_network(*region)

    assert (column(again, "community") == column(exact, "community")).all()
    assert column(exact, "community").max() > 0


def test_progress_reports_every_stage_up_to_one_hundred(region):
    reports = []

    result = compute_network(*region, progress=lambda s, p: reports.append((s, p)))

    assert [stage for stage, _ in reports] == list(result.timings)
    assert [p for _, p in reports] == sorted(p for _, p in reports)
    assert reports[-1] == ("figures", 100)
    assert {"graph", "betweenness", "closeness", "layout"} <= set(result.timings)


def test_positions_follow_the_documented_rules(exact):
    positions = column(exact, "position")
    degree = column(exact, "degree")

    assert set(positions) <= {
        "isolate",
        "broker",
        "well_connected",
        "peripheral",
        "connected",
    }
    assert (positions[degree == 0] == "isolate").all()
    assert (positions[degree == 1] != "well_connected").all()
    brokers = positions == "broker"
    assert brokers.any()
    assert column(exact, "betweenness")[brokers].min() > np.median(
        column(exact, "betweenness")
    )
