"""Round figures and sector mixing on a small network worked by hand."""

import pytest

from network.engine import NominationRow, OrganizationRow, compute_network
from network.figures import degree_centralization, ei_index, fragmentation


def small_round():
    """Six organizations: 1<->2 confirmed, 2->3, 4->5, and 6 alone.

    Organizations 1, 2 and 4 responded.
    """
    organizations = [
        OrganizationRow(1, "One", "Health", responded=True),
        OrganizationRow(2, "Two", "Health", responded=True),
        OrganizationRow(3, "Three", "Housing"),
        OrganizationRow(4, "Four", "Housing", responded=True),
        OrganizationRow(5, "Five", "Education"),
        OrganizationRow(6, "Six", None),
    ]
    nominations = [
        NominationRow(1, 2),
        NominationRow(2, 1),
        NominationRow(2, 3),
        NominationRow(4, 5),
    ]
    return compute_network(organizations, nominations)


def test_reconstructed_figures_match_hand_computation():
    figures = small_round().figures["reconstructed"]

    assert figures["organizations"] == 6
    assert figures["ties"] == 3
    assert figures["density"] == pytest.approx(3 / 15)
    assert figures["reciprocity"] == pytest.approx(2 / 4)
    assert figures["confirmed_share"] == pytest.approx(1 / 3)
    assert figures["components"] == 3
    assert figures["component_sizes"] == [3, 2, 1]
    assert figures["fragmentation"] == pytest.approx(1 - (6 + 2) / 30)
    assert figures["transitivity"] == 0
    assert figures["degree_centralization"] == pytest.approx(6 / 20)
    assert figures["average_path_length"] == pytest.approx(4 / 3)


def test_respondents_figures_keep_only_ties_among_respondents():
    figures = small_round().figures["respondents"]

    assert figures["organizations"] == 3
    assert figures["ties"] == 1
    assert figures["density"] == pytest.approx(1 / 3)
    assert figures["reciprocity"] == 1
    assert figures["component_sizes"] == [2, 1]


def test_mixing_counts_ties_between_sectors_and_their_e_i_index():
    mixing = small_round().figures["mixing"]

    assert mixing["sectors"] == ["Education", "Health", "Housing"]
    assert mixing["matrix"] == [[0, 0, 1], [0, 1, 1], [1, 1, 0]]
    assert mixing["ei_index"] == pytest.approx((2 - 1) / 3)
    assert mixing["ei_by_sector"] == {"Education": 1, "Health": 0, "Housing": 1}


def test_ties_to_an_organization_without_a_sector_stay_out_of_mixing():
    organizations = [
        OrganizationRow(1, "One", "Health", responded=True),
        OrganizationRow(2, "Two", None),
    ]

    mixing = compute_network(organizations, [NominationRow(1, 2)]).figures["mixing"]

    assert mixing["unknown_ties"] == 1
    assert mixing["ei_index"] is None


def test_fragmentation_is_zero_when_connected_and_one_when_all_apart():
    assert fragmentation([5]) == 0
    assert fragmentation([1, 1, 1, 1]) == 1
    assert fragmentation([]) == 0


def test_degree_centralization_is_one_for_a_star_and_zero_for_a_cycle():
    assert degree_centralization([4, 1, 1, 1, 1]) == 1
    assert degree_centralization([2, 2, 2, 2]) == 0


def test_e_i_index_runs_from_all_internal_to_all_external():
    assert ei_index(0, 4) == -1
    assert ei_index(4, 0) == 1
    assert ei_index(0, 0) is None


def test_an_empty_round_has_zero_figures():
    figures = compute_network([], []).figures["reconstructed"]

    assert figures["organizations"] == 0
    assert figures["density"] == 0
    assert figures["fragmentation"] == 0
    assert figures["average_path_length"] is None
